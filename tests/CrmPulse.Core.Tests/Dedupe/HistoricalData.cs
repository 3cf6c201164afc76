using System.Globalization;
using System.Text;
using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>
/// A seeded stand-in for Splink's historical_50k (historical people from Wikidata, duplicated with heavy corruption by
/// moj-analytical-services/splink_synthetic_data), which cannot be downloaded here: the same columns (unique_id, cluster,
/// full_name, first_and_surname, first_name, surname, dob, birth_place, postcode_fake, gender, occupation) and the same
/// corruption process as that pipeline's "uk_citizens_groupsize_20" run, reimplemented from its description; the master
/// data (Wikidata's names, dates, places) is generated with a realistic skew instead.
/// </summary>
/// <remarks>
/// The corruption, per person: one clean record, then 2..20 corrupted ones (P(k) ∝ 1/√(k−1), a Zipf tail; about 9.7
/// records per person). For the j-th of k corrupted records each field is corrupted with a probability rising linearly
/// from its first to its last record, and nulled likewise:
/// <list type="bullet">
/// <item>full name (corrupt 0.1→1.0, null 0→0.2): an alias instead of the label (more often the more aliases), else
/// each name part replaced by an alternative form (nickname, foreign form, surname variant; the original kept 1 in 3),
/// given names missing from an alias put back before the surname, and when nothing changed one keyboard typo; then every
/// corrupted record loses each middle word with probability 0.5, and with the null probability its first or last word.
/// first_name and surname are the first and last words of what is left (surname empty for a single word).</item>
/// <item>dob (0.1→0.7, null 0→0.5): one numeric-keypad typo after the century ("1862-01-01" → "1865-01-01", "1862-04-01").</item>
/// <item>birth place (0.1→0.7, null 0→0.3): one of the place's other names (district, ward, parish).</item>
/// <item>postcode (0.1→0.7, null 0→0.5): a house move (0.6: another postcode up to tens of km away, or the home one),
/// a neighbouring postcode (0.3: mostly the same outward code) or a keyboard typo (0.1).</item>
/// <item>gender (0.01→0.1, null 0→0.5): flipped. occupation (0.1→1.0, null 0→0.7): another of the person's occupations.</item>
/// </list>
/// Master data: 84 % men; first names Zipf-distributed over real English names (the top one near 5 % of people) then
/// generated ones; surnames over real common ones then a long generated tail; a tenth are peers ("thomas clifford, 1st
/// baron clifford of chudleigh": surname "chudleigh") and a tenth knights or baronets ("sir john smith, 1st baronet":
/// first name "sir", surname "baronet"); 35 % of birth dates are year-only (YYYY-01-01), most years 1780–1940; birth
/// places Zipf with London first; postcodes near the birth place.
/// </remarks>
internal static class HistoricalData
{
    public static readonly string[] Columns =
        ["unique_id", "cluster", "full_name", "first_and_surname", "first_name", "surname", "dob", "birth_place", "postcode_fake", "gender", "occupation"];

    /// <summary>One output row.</summary>
    public sealed record Row(string UniqueId, string Cluster, string? FullName, string? FirstName, string? Surname, string? Dob,
        string? BirthPlace, string? Postcode, string? Gender, string? Occupation)
    {
        public string? FirstAndSurname => FirstName is null && Surname is null ? null : string.Join(' ', new[] { FirstName, Surname }.Where(n => n is not null));
    }

    /// <summary>The rows of <paramref name="people"/> people (about 9.7 rows each), the same for the same seed.</summary>
    public static List<Row> Generate(int people, int seed)
    {
        var world = new World(new Random(seed));
        var random = new Random(seed + 1);
        var rows = new List<Row>();
        for (var p = 0; p < people; p++)
        {
            var person = world.Person(random, $"Q{1000 + p * 7 + random.Next(7)}");
            var index = 1;
            rows.Add(person.Clean(index++));
            var k = world.CorruptedCount(random);
            for (var j = 0; j < k; j++) rows.Add(person.Corrupted(random, index++, (double)j / (k - 1)));
        }
        return rows;
    }

    /// <summary>Writes the rows as a CSV with a header (values with a comma or quote quoted).</summary>
    public static void WriteCsv(string path, IEnumerable<Row> rows)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.WriteLine(string.Join(',', Columns));
        foreach (var r in rows)
        {
            w.WriteLine(string.Join(',', new[] { r.UniqueId, r.Cluster, r.FullName, r.FirstAndSurname, r.FirstName, r.Surname, r.Dob, r.BirthPlace, r.Postcode, r.Gender, r.Occupation }
                .Select(Quote)));
        }
    }

    private static string Quote(string? v) => v is null ? "" : v.Contains(',') || v.Contains('"') ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;

    /// <summary>
    /// Reads a CSV in historical_50k's columns as the dedupe command maps them with
    /// <c>--map city=birth_place --map postcode=postcode_fake --map gender:exact=gender --map occupation:text=occupation</c>
    /// (first_name, surname, dob and unique_id are found by name), and each record's true cluster.
    /// </summary>
    public static (List<PersonRecord> People, Dictionary<string, string> EntityOf) Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = SplitCsv(lines[0]);
        int Col(string name) => header.IndexOf(name) is var i && i >= 0 ? i : throw new InvalidDataException($"{path}: no column {name}");
        var people = new List<PersonRecord>();
        var entityOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = SplitCsv(line);
            string? Get(string name) => f[Col(name)] is { Length: > 0 } v ? v : null;
            var id = Get("unique_id")!;
            people.Add(new PersonRecord
            {
                Id = id, FirstName = Get("first_name"), LastName = Get("surname"), BirthDate = Get("dob"), City = Get("birth_place"),
                Postcode = Get("postcode_fake"),
                Extra = new Dictionary<string, string?> { ["gender"] = Get("gender"), ["occupation"] = Get("occupation") },
            });
            entityOf[id] = Get("cluster")!;
        }
        return (people, entityOf);
    }

    /// <summary>The options the stand-in is matched with: the defaults, gender an exact and occupation a text extra field.</summary>
    public static DedupeOptions Options() => new() { ExtraFields = { ["gender"] = "exact", ["occupation"] = "text" } };

    private static List<string> SplitCsv(string line)
    {
        var values = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { values.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        values.Add(sb.ToString());
        return values;
    }

    /// <summary>A person's master data, and how its records are written.</summary>
    private sealed class Person(string cluster)
    {
        public required string Label;
        public required List<string> Aliases;
        /// <summary>Name part → its alternative forms (given names and surnames that have them).</summary>
        public required Dictionary<string, string[]> Alternatives;
        public required List<string> GivenNames;
        public string? Dob;
        public required string BirthPlace;
        public required string[] BirthPlaceOptions;
        public required string Postcode;
        public required string[] NearbyPostcodes;
        public required string[] MovedPostcodes;
        public string? Gender;
        public string[]? Occupations;
        public string? Occupation;

        public Row Clean(int index) => Make(index, Label, Dob, BirthPlace, Postcode, Gender, Occupation);

        public Row Corrupted(Random r, int index, double t)
        {
            double P(double start, double end) => start + (end - start) * t;
            bool Hit(double start, double end) => r.NextDouble() < P(start, end);

            var name = Hit(0.1, 1.0) ? CorruptName(r) : Label;
            name = NullName(r, name, P(0, 0.2));
            var dob = Hit(0.1, 0.7) && Dob is not null ? Dob[..2] + Keys.Typo(r, Dob[2..], Keys.Numpad) : Dob;
            if (r.NextDouble() < P(0, 0.5)) dob = null;
            var place = Hit(0.1, 0.7) ? BirthPlaceOptions[r.Next(BirthPlaceOptions.Length)] : BirthPlace;
            if (r.NextDouble() < P(0, 0.3)) place = null;
            var postcode = Postcode;
            if (Hit(0.1, 0.7))
            {
                var u = r.NextDouble();
                postcode = u < 0.6 ? (r.Next(MovedPostcodes.Length + 1) is var m && m < MovedPostcodes.Length ? MovedPostcodes[m] : Postcode)
                    : u < 0.9 ? NearbyPostcodes[r.Next(NearbyPostcodes.Length)]
                    : Keys.Typo(r, Postcode, Keys.Qwerty);
            }
            if (r.NextDouble() < P(0, 0.5)) postcode = null;
            var gender = Hit(0.01, 0.1) ? Gender switch { "male" => "female", "female" => "male", _ => Gender } : Gender;
            if (r.NextDouble() < P(0, 0.5)) gender = null;
            var occupation = Hit(0.1, 1.0) && Occupations is not null ? Occupations[r.Next(Occupations.Length)] : Occupation;
            if (r.NextDouble() < P(0, 0.7)) occupation = null;
            return Make(index, name, dob, place, postcode, gender, occupation);
        }

        private string CorruptName(Random r)
        {
            // An alias outright: the more aliases, the likelier.
            if (Aliases.Count > 0 && r.NextDouble() < (Aliases.Count switch { 1 => 0.25, 2 => 0.33, 3 => 0.5, _ => 0.75 }))
            {
                return Aliases[r.Next(Aliases.Count)];
            }
            var pick = r.Next(Aliases.Count + 1);
            if (pick > 0) return Aliases[pick - 1];
            // The label: its parts' alternative forms, given names an alias left out put back, else a typo.
            var parts = Label.Split(' ').ToList();
            var changed = false;
            var used = new HashSet<string>(parts);
            for (var i = 0; i < parts.Count; i++)
            {
                if (!Alternatives.TryGetValue(parts[i].TrimEnd(','), out var alts)) continue;
                var k = r.Next(alts.Length * 2 + 1);
                if (k < alts.Length * 2)
                {
                    parts[i] = alts[k / 2] + (parts[i].EndsWith(',') ? "," : "");
                    changed = true;
                }
            }
            foreach (var given in GivenNames.Where(g => !used.Contains(g) && Alternatives.ContainsKey(g)))
            {
                parts.Insert(Math.Max(0, parts.Count - 1), given);
                changed = true;
            }
            var name = string.Join(' ', parts);
            return changed ? name : Keys.Typo(r, name, Keys.Qwerty);
        }

        private static string? NullName(Random r, string name, double nullProbability)
        {
            var parts = name.Split(' ').ToList();
            string? first = parts.Count > 0 ? parts[0] : null, last = parts.Count > 1 ? parts[^1] : null;
            var middle = parts.Count > 2 ? parts.Skip(1).Take(parts.Count - 2).Where(_ => r.NextDouble() < 0.5).ToList() : [];
            if (r.NextDouble() < nullProbability)
            {
                if (r.NextDouble() < 0.5) first = null; else last = null;
            }
            var kept = new[] { first }.Concat(middle).Append(last).Where(n => n is not null).ToList();
            return kept.Count == 0 ? null : string.Join(' ', kept);
        }

        private Row Make(int index, string? fullName, string? dob, string? place, string? postcode, string? gender, string? occupation)
        {
            var words = fullName?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(',')).Where(w => w.Length > 0).ToArray() ?? [];
            return new Row($"{cluster}-{index}", cluster, fullName, words.Length > 0 ? words[0] : null, words.Length > 1 ? words[^1] : null,
                dob, place, postcode, gender, occupation);
        }
    }

    /// <summary>The generated master data's vocabularies and their skew.</summary>
    private sealed class World
    {
        private static readonly string[] MaleNames =
        [
            "john", "william", "thomas", "george", "james", "charles", "henry", "robert", "edward", "richard", "frederick",
            "arthur", "francis", "joseph", "david", "samuel", "alfred", "walter", "harry", "albert", "peter", "michael", "hugh",
            "alexander", "ernest", "herbert", "sidney", "edmund", "benjamin", "christopher", "stephen", "matthew", "daniel",
            "andrew", "philip", "patrick", "ralph", "roger", "anthony", "nicholas", "edwin", "frank", "percy", "harold",
            "reginald", "cecil", "leonard", "stanley", "norman", "geoffrey", "nathaniel", "isaac", "lewis", "alan", "kenneth",
            "douglas", "gilbert", "herbert", "horace", "jonathan", "lionel", "martin", "oliver", "owen", "timothy", "victor",
            "wilfred", "basil", "bernard", "claude", "eric", "evan", "gerald", "guy", "humphrey", "ivor", "jack", "laurence",
        ];

        private static readonly string[] FemaleNames =
        [
            "mary", "elizabeth", "margaret", "anne", "jane", "sarah", "catherine", "emily", "charlotte", "frances", "alice",
            "dorothy", "florence", "edith", "helen", "louisa", "harriet", "eleanor", "ellen", "agnes", "isabella", "victoria",
            "ethel", "grace", "lucy", "maria", "susan", "violet", "winifred", "amelia", "beatrice", "caroline", "constance",
        ];

        // Alternative forms, as Wikidata's "said to be the same as" gives them: nicknames, foreign forms, spellings.
        private static readonly Dictionary<string, string[]> GivenAlternatives = new()
        {
            ["john"] = ["jack", "johnny", "jon", "johan", "ian", "sean", "evan", "jan", "juan"],
            ["william"] = ["bill", "will", "billy", "willie", "wilhelm", "guillaume", "liam"],
            ["thomas"] = ["tom", "tommy", "tomas", "thom"], ["george"] = ["georg", "georgie", "jorge"],
            ["james"] = ["jim", "jimmy", "jamie", "jacob", "seamus"], ["charles"] = ["charlie", "chas", "carl", "karl", "carlos"],
            ["henry"] = ["harry", "hal", "heinrich", "henri", "enrique"], ["robert"] = ["bob", "rob", "bobby", "robin", "rupert"],
            ["edward"] = ["ted", "ned", "eddie", "edwin"], ["richard"] = ["dick", "rick", "ricardo"],
            ["frederick"] = ["fred", "freddie", "friedrich"], ["arthur"] = ["art", "artur"], ["francis"] = ["frank", "francesco", "franz"],
            ["joseph"] = ["joe", "josef", "jose"], ["david"] = ["dave", "dafydd", "davy"], ["samuel"] = ["sam", "sammy"],
            ["alfred"] = ["alf", "alfie", "fred"], ["walter"] = ["walt", "wat"], ["albert"] = ["bert", "al"],
            ["peter"] = ["pete", "piers", "pierre", "pedro"], ["michael"] = ["mike", "mick", "michel"],
            ["alexander"] = ["alex", "alec", "sandy", "alistair"], ["benjamin"] = ["ben"], ["christopher"] = ["chris", "kit"],
            ["stephen"] = ["steve", "steven", "stefan"], ["matthew"] = ["matt", "mathew"], ["daniel"] = ["dan", "danny"],
            ["andrew"] = ["andy", "drew", "andreas"], ["philip"] = ["phil", "phillip"], ["patrick"] = ["pat", "paddy"],
            ["anthony"] = ["tony", "antony", "anton"], ["nicholas"] = ["nick", "nicolas", "nico"], ["hugh"] = ["hugo", "huw"],
            ["mary"] = ["molly", "polly", "marie", "maria"], ["elizabeth"] = ["eliza", "beth", "betty", "lizzie", "bess", "elisabeth"],
            ["margaret"] = ["maggie", "peggy", "meg", "marguerite"], ["anne"] = ["ann", "annie", "anna", "nan"],
            ["jane"] = ["jenny", "jean", "joan"], ["sarah"] = ["sally", "sara"], ["catherine"] = ["kate", "kitty", "katherine", "kathleen"],
            ["charlotte"] = ["lottie"], ["frances"] = ["fanny"], ["alice"] = ["alicia", "alys"], ["helen"] = ["helena", "ellen", "nell"],
        };

        private static readonly string[] Surnames =
        [
            "smith", "jones", "williams", "brown", "taylor", "davies", "wilson", "evans", "thomas", "johnson", "roberts",
            "walker", "wright", "robinson", "thompson", "white", "hughes", "edwards", "green", "hall", "wood", "harris",
            "lewis", "martin", "jackson", "clarke", "clark", "turner", "hill", "scott", "cooper", "morris", "ward", "moore",
            "king", "watson", "baker", "harrison", "morgan", "young", "allen", "mitchell", "james", "anderson", "phillips",
            "lee", "bell", "parker", "davis", "stewart", "campbell", "murray", "russell", "howard", "stanley", "percy",
            "cavendish", "spencer", "grey", "seymour", "herbert", "russell", "howard", "clifford", "neville", "talbot",
        ];

        private static readonly string[] Occupations =
        [
            "politician", "cricketer", "writer", "painter", "actor", "priest", "military officer", "barrister", "poet",
            "engineer", "architect", "physician", "composer", "journalist", "novelist", "historian", "judge", "footballer",
            "lawyer", "businessperson", "merchant", "naval officer", "diplomat", "clergyman", "botanist", "mathematician",
            "photographer", "sculptor", "singer", "translator", "teacher", "economist", "surgeon", "chemist", "rugby player",
            "banker", "astronomer", "philosopher", "inventor", "illustrator", "organist", "antiquarian", "explorer",
        ];

        private readonly string[] _male, _female, _surnames, _places, _districts;
        private readonly double[] _maleCum, _femaleCum, _surnameCum, _placeCum, _occupationCum, _corruptedCum;
        private readonly Dictionary<string, string[]> _surnameAlternatives = new();
        private readonly Dictionary<string, (string District, string Area, int Number)> _placeInfo = new();
        public World(Random r)
        {
            // First names: the real ones first, then generated ones; Zipf (s 1.1, offset 3) puts "john" near 5 %.
            _male = MaleNames.Distinct().Concat(Generated(r, 1800, 2, 3)).Distinct().ToArray();
            _female = FemaleNames.Concat(Generated(r, 600, 2, 3)).Distinct().ToArray();
            _maleCum = Zipf(_male.Length, 1.1, 3);
            _femaleCum = Zipf(_female.Length, 1.1, 3);
            // Surnames: a long, flat tail (most historical surnames are rare); "smith" near 1 %.
            _surnames = Surnames.Distinct().Concat(Generated(r, 20000, 2, 3)).Distinct().ToArray();
            _surnameCum = Zipf(_surnames.Length, 0.9, 12);
            foreach (var s in _surnames.Where(_ => r.NextDouble() < 0.15)) _surnameAlternatives[s] = [Variant(r, s)];
            // Places: london first, 2,000 towns in 150 districts, each district with its postcode area.
            _districts = Generated(r, 150, 2, 3).Select(d => d + (r.Next(3) == 0 ? "shire" : "")).Distinct().ToArray();
            var areas = Enumerable.Range(0, _districts.Length).Select(i => i < 26 ? ((char)('a' + i)).ToString() : $"{(char)('a' + i % 26)}{(char)('a' + (i / 26 + 7 * i) % 26)}").ToArray();
            _places = new[] { "london", "edinburgh", "manchester", "liverpool", "birmingham", "dublin", "bristol", "glasgow", "leeds", "bath" }
                .Concat(Generated(r, 2000, 2, 3)).Distinct().ToArray();
            for (var i = 0; i < _places.Length; i++)
            {
                var d = r.Next(_districts.Length);
                _placeInfo[_places[i]] = (_districts[d], areas[d], 1 + r.Next(60));
            }
            _placeCum = Zipf(_places.Length, 1.0, 2);
            _occupationCum = Zipf(Occupations.Length, 1.0, 1);
            // 2..20 corrupted records, P(k) ∝ 1/√(k−1).
            _corruptedCum = Cumulate(Enumerable.Range(2, 19).Select(k => 1 / Math.Sqrt(k - 1)).ToArray());
        }

        public int CorruptedCount(Random r) => 2 + Pick(_corruptedCum, r);

        public Person Person(Random r, string cluster)
        {
            var gender = r.NextDouble() switch { < 0.84 => "male", < 0.99 => "female", _ => (string?)null };
            var (names, cum) = gender == "female" ? (_female, _femaleCum) : (_male, _maleCum);
            var first = names[Pick(cum, r)];
            var middles = new List<string>();
            var u = r.NextDouble();
            for (var m = 0; m < (u < 0.10 ? 2 : u < 0.45 ? 1 : 0); m++) middles.Add(names[Pick(cum, r)]);
            var surname = _surnames[Pick(_surnameCum, r)];
            var place = _places[Pick(_placeCum, r)];
            var (district, area, number) = _placeInfo[place];
            var seat = _places[r.Next(_places.Length)];
            var given = new List<string> { first };
            given.AddRange(middles);
            var plain = string.Join(' ', given.Append(surname));

            var aliases = new List<string>();
            string label;
            var kind = r.NextDouble();
            if (kind < 0.10)
            {
                // A peer: the label ends with the title's place, which becomes the surname.
                var rank = new[] { "baron", "earl", "viscount" }[r.Next(3)];
                label = $"{first} {surname}, {Ordinal(1 + (int)Math.Min(8, -Math.Log(r.NextDouble()) * 2))} {rank} {(rank == "baron" ? "" : "of ")}{seat}".Replace("  ", " ");
                aliases.Add($"{first} {surname}");
                if (r.NextDouble() < 0.6) aliases.Add($"{first} of {seat}");
                if (r.NextDouble() < 0.4) aliases.Add($"lord {seat}");
            }
            else if (kind < 0.20)
            {
                // A knight or baronet: "sir" as the first word, often "baronet" as the last.
                label = r.NextDouble() < 0.5 ? $"sir {plain}, {Ordinal(1 + (int)Math.Min(8, -Math.Log(r.NextDouble()) * 2))} baronet" : $"sir {plain}";
                aliases.Add(plain);
            }
            else
            {
                label = plain;
                if (r.NextDouble() < 0.25) aliases.Add($"{first} {surname}");
                if (middles.Count > 0 && r.NextDouble() < 0.3) aliases.Add($"{first} {middles[0][0]}. {surname}");
                if (GivenAlternatives.TryGetValue(first, out var nicks) && r.NextDouble() < 0.2) aliases.Add($"{nicks[0]} {surname}");
            }
            aliases = aliases.Distinct().Where(a => a != label).ToList();

            var alternatives = new Dictionary<string, string[]>();
            foreach (var g in given.Where(GivenAlternatives.ContainsKey)) alternatives[g] = GivenAlternatives[g];
            if (_surnameAlternatives.TryGetValue(surname, out var salts)) alternatives[surname] = salts;

            // Birth year mostly 1780-1940; a third of the dates are year-only, as Wikidata writes them (YYYY-01-01).
            string? dob = null;
            if (r.NextDouble() < 0.95)
            {
                var year = (int)Math.Clamp(1860 + Normal(r) * 45, 1550, 1960);
                dob = r.NextDouble() < 0.35 ? $"{year:D4}-01-01" : new DateTime(year, 1, 1).AddDays(r.Next(365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            var ward = Generated(r, 1, 2, 3).First();
            var parish = Generated(r, 1, 2, 3).First();
            var realPlace = r.NextDouble() < 0.8;
            var options = realPlace ? new[] { place, district, ward, parish } : [district, ward, parish];
            string Code(string a, int n) => $"{a}{n} {r.Next(10)}{(char)('a' + r.Next(26))}{(char)('a' + r.Next(26))}";
            var home = Code(area, number);
            var nearby = Enumerable.Range(0, 4).Select(_ => r.NextDouble() < 0.9 ? Code(area, number) : Code(area, Math.Max(1, number + r.Next(-2, 3)))).Append(home).ToArray();
            var moved = Enumerable.Range(0, 3).Select(_ =>
            {
                // A move tens of km away: mostly another district of the same area, sometimes another area.
                var otherPlace = _places[r.Next(_places.Length)];
                return r.NextDouble() < 0.5 ? Code(area, 1 + r.Next(60)) : Code(_placeInfo[otherPlace].Area, _placeInfo[otherPlace].Number);
            }).ToArray();

            string[]? occupations = null;
            if (r.NextDouble() < 0.9)
            {
                occupations = Enumerable.Range(0, 1 + (r.NextDouble() < 0.4 ? 1 : 0) + (r.NextDouble() < 0.15 ? 1 : 0))
                    .Select(_ => Occupations[Pick(_occupationCum, r)]).Distinct().ToArray();
            }

            return new Person(cluster)
            {
                Label = label, Aliases = aliases, Alternatives = alternatives, GivenNames = given, Dob = dob,
                BirthPlace = options[0], BirthPlaceOptions = options, Postcode = home, NearbyPostcodes = nearby, MovedPostcodes = moved,
                Gender = gender, Occupations = occupations, Occupation = occupations?[r.Next(occupations.Length)],
            };
        }

        private static string Ordinal(int n) => n switch { 1 => "1st", 2 => "2nd", 3 => "3rd", _ => $"{n}th" };

        private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

        /// <summary>A spelling variant of a surname (smith → smyth, taylor → tayler, clark → clarke).</summary>
        private static string Variant(Random r, string s)
        {
            var vowels = "aeiouy";
            var i = s.IndexOfAny(vowels.ToCharArray(), 1);
            return r.Next(3) switch
            {
                0 when i > 0 => s[..i] + vowels[(vowels.IndexOf(s[i]) + 1 + r.Next(5)) % 6] + s[(i + 1)..],
                1 => s.EndsWith('e') ? s[..^1] : s + "e",
                _ => s.Length > 3 ? s[..2] + s[2] + s[2..] : s + "s",
            };
        }

        /// <summary>Pronounceable generated names of the given syllable counts.</summary>
        private static IEnumerable<string> Generated(Random r, int count, int minSyllables, int maxSyllables)
        {
            string[] onsets = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "r", "s", "sh", "st", "t", "th", "v", "w", "y"];
            string[] nuclei = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "ey"];
            string[] codas = ["", "", "n", "r", "l", "s", "th", "ck", "m", "ld", "rd", "nt"];
            for (var k = 0; k < count; k++)
            {
                var sb = new StringBuilder();
                var syllables = r.Next(minSyllables, maxSyllables + 1);
                for (var s = 0; s < syllables; s++) sb.Append(onsets[r.Next(onsets.Length)]).Append(nuclei[r.Next(nuclei.Length)]).Append(s == syllables - 1 || r.Next(2) == 0 ? codas[r.Next(codas.Length)] : "");
                yield return sb.ToString();
            }
        }

        private static double[] Zipf(int n, double s, double offset) => Cumulate(Enumerable.Range(0, n).Select(i => 1 / Math.Pow(i + offset, s)).ToArray());

        private static double[] Cumulate(double[] weights)
        {
            var total = weights.Sum();
            var cum = new double[weights.Length];
            double acc = 0;
            for (var i = 0; i < weights.Length; i++) cum[i] = (acc += weights[i]) / total;
            return cum;
        }

        private static int Pick(double[] cum, Random r) => Math.Min(cum.Length - 1, Array.BinarySearch(cum, r.NextDouble()) is var i && i < 0 ? ~i : i);
    }

    /// <summary>Keyboard typos: one character replaced by a neighbour on the keyboard (up to ten tries for a character
    /// that has neighbours; otherwise unchanged), as the corruption pipeline types them.</summary>
    private static class Keys
    {
        // Neighbours on a QWERTY keyboard (same row and the rows above and below) and on a numeric keypad (7 8 9 / 4 5 6 / 1 2 3 / 0).
        public static readonly Dictionary<char, string> Qwerty = Neighbours(["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"]);
        public static readonly Dictionary<char, string> Numpad = Neighbours(["789", "456", "123", "0"]);

        private static Dictionary<char, string> Neighbours(string[] rows)
        {
            var map = new Dictionary<char, string>();
            for (var y = 0; y < rows.Length; y++)
            {
                for (var x = 0; x < rows[y].Length; x++)
                {
                    var sb = new StringBuilder();
                    if (x > 0) sb.Append(rows[y][x - 1]);
                    if (x + 1 < rows[y].Length) sb.Append(rows[y][x + 1]);
                    if (y > 0 && x < rows[y - 1].Length) sb.Append(rows[y - 1][x]);
                    if (y + 1 < rows.Length && x < rows[y + 1].Length) sb.Append(rows[y + 1][x]);
                    map[rows[y][x]] = sb.ToString();
                }
            }
            return map;
        }

        public static string Typo(Random r, string value, Dictionary<char, string> keyboard)
        {
            if (value.Length == 0) return value;
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var at = r.Next(value.Length);
                if (!keyboard.TryGetValue(value[at], out var near) || near.Length == 0) continue;
                return string.Concat(value.AsSpan(0, at), near[r.Next(near.Length)].ToString(), value.AsSpan(at + 1));
            }
            return value;
        }
    }
}
