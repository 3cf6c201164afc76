namespace CrmPulse.Core.Dedupe;

/// <summary>
/// An unsupervised Fellegi–Sunter model of people, fitted to the records it then scores: each field's comparison falls
/// into a level (exact, close, far, …, or missing), each level has an m probability (among true pairs) and a u
/// probability (among random pairs), and a pair's weight is the sum of log2(m / u) over its fields.
/// </summary>
/// <remarks>
/// <para>No labels: u is counted on random pairs of the input (a fixed seed, so a run is repeatable); m and the share
/// of true pairs among the candidates (λ) come from expectation–maximisation over the candidate pairs, with u held
/// fixed (as Splink does). The candidates' level patterns are few, so EM runs over distinct patterns with their counts.</para>
/// <para>Term frequencies: an exact agreement on a first name, last name, city or birth date weighs log2(m / f), f the
/// share of records with that value, instead of log2(m / u): "smith" weighs less than "zarkovic".</para>
/// <para>The match probability is 1 / (1 + 2^−(log2(λ / (1 − λ)) + W)).</para>
/// </remarks>
internal sealed class PersonModel
{
    /// <summary>The compared fields, each 4 bits of a level pattern.</summary>
    private enum Field { First, Last, Birth, Email, Phone, Street, City, Postcode, State, Company }

    private const int Fields = 10;

    /// <summary>Levels per field: 0 is missing (no weight), 1 exact, then closer to farther, the last one "disagrees".</summary>
    private static readonly int[] LevelCount = [5, 5, 6, 5, 4, 4, 4, 4, 3, 4];

    private readonly double[][] _m;
    private readonly double[][] _u;
    private readonly double[][] _weight;
    private readonly double _prior;
    private readonly Dictionary<string, double>[] _tf;

    private PersonModel(double[][] m, double[][] u, double lambda, Dictionary<string, double>[] tf)
    {
        (_m, _u, _tf) = (m, u, tf);
        _prior = Math.Log2(lambda / (1 - lambda));
        _weight = new double[Fields][];
        for (var f = 0; f < Fields; f++)
        {
            _weight[f] = new double[LevelCount[f]];
            for (var l = 1; l < LevelCount[f]; l++) _weight[f][l] = Math.Log2(m[f][l] / u[f][l]);
        }
    }

    /// <summary>λ: the estimated share of true pairs among the candidates.</summary>
    public double Lambda => 1 / (1 + Math.Pow(2, -_prior));

    /// <summary>The fitted m and u of one field's levels (for the README's figures and tests).</summary>
    public (double[] M, double[] U) Levels(int field) => (_m[field], _u[field]);

    /// <summary>Fits the model to <paramref name="records"/> and their candidate pairs (packed i &lt;&lt; 32 | j).</summary>
    public static PersonModel Fit(PreparedPerson[] records, long[] candidates, int candidateCount)
    {
        var tf = TermFrequencies(records);

        // u: level frequencies among random pairs, with one pseudo-count per level so that no level is impossible.
        var samples = (int)Math.Min(300_000, (long)records.Length * (records.Length - 1) / 2);
        var uCounts = NewCounts(1);
        var random = new Random(20260101);
        Span<byte> levels = stackalloc byte[Fields];
        for (var s = 0; s < samples; s++)
        {
            var i = random.Next(records.Length);
            var j = random.Next(records.Length - 1);
            if (j >= i) j++;
            Compare(records[i], records[j], levels);
            for (var f = 0; f < Fields; f++) uCounts[f][levels[f]]++;
        }
        var u = Normalize(uCounts);

        // The candidates' distinct patterns, 4 bits a field.
        var patterns = new Dictionary<ulong, long>();
        const int chunk = 8192;
        var partial = new Dictionary<ulong, long>?[(candidateCount + chunk - 1) / chunk];
        Parallel.For(0, partial.Length, c =>
        {
            var counts = new Dictionary<ulong, long>();
            Span<byte> lv = stackalloc byte[Fields];
            for (var k = c * chunk; k < Math.Min(candidateCount, (c + 1) * chunk); k++)
            {
                Compare(records[(int)(candidates[k] >> 32)], records[(int)(candidates[k] & 0xFFFFFFFF)], lv);
                var key = Pack(lv);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            partial[c] = counts;
        });
        foreach (var counts in partial)
        {
            foreach (var (key, n) in counts!) patterns[key] = patterns.GetValueOrDefault(key) + n;
        }
        var (m, lambda) = ExpectationMaximisation(records, patterns, u);
        return new PersonModel(m, u, lambda, tf);
    }

    /// <summary>
    /// m by EM in sessions, as Splink trains: each session is a sample of the pairs that agree exactly on one field
    /// (the birth date, the last name, the first name, the e-mail, the phone, the postcode, the city), drawn from all
    /// records rather than from the candidates, and that field is left out of it (the pairs were chosen for agreeing on
    /// it, so their agreement there says nothing of m; the other fields are as random as they are among all such pairs).
    /// Each field's m is the mean over the sessions that estimated it; λ alone is then fitted over the candidates.
    /// </summary>
    private static (double[][] M, double Lambda) ExpectationMaximisation(PreparedPerson[] records, Dictionary<ulong, long> patterns, double[][] u)
    {
        var sums = NewCounts(0);
        var sessions = new int[Fields];
        foreach (var held in new[] { Field.Birth, Field.Last, Field.First, Field.Email, Field.Phone, Field.Postcode, Field.City })
        {
            var session = SamePairs(records, held);
            var pairs = session.Sum(p => p.Value);
            if (pairs < MinSessionPairs) continue;
            var (m, lambda) = Em(session, u, Start(), 0.1, held);
            if (lambda * pairs < MinSessionMatches) continue;
            for (var f = 0; f < Fields; f++)
            {
                if (f == (int)held || !Seen(session, f)) continue;
                for (var l = 1; l < LevelCount[f]; l++) sums[f][l] += m[f][l];
                sessions[f]++;
            }
        }
        var start = Start();
        for (var f = 0; f < Fields; f++)
        {
            if (sessions[f] == 0) continue;
            for (var l = 1; l < LevelCount[f]; l++) start[f][l] = sums[f][l] / sessions[f];
        }
        var (_, all) = Em(patterns.ToArray(), u, start, 0.3, null, fitM: false);
        return (start, all);
    }

    /// <summary>The level patterns of up to <see cref="SessionSamples"/> pairs agreeing exactly on <paramref name="field"/>:
    /// a random record, then a random other record with its value (fixed seed).</summary>
    private static KeyValuePair<ulong, long>[] SamePairs(PreparedPerson[] records, Field field)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var withValue = new List<int>();
        for (var i = 0; i < records.Length; i++)
        {
            if (ValueOf(field, records[i]) is not { } v) continue;
            if (!groups.TryGetValue(v, out var g)) groups[v] = g = [];
            g.Add(i);
            withValue.Add(i);
        }
        var counts = new Dictionary<ulong, long>();
        var random = new Random(20260102 + (int)field);
        Span<byte> levels = stackalloc byte[Fields];
        for (var s = 0; s < SessionSamples && withValue.Count > 0; s++)
        {
            var i = withValue[random.Next(withValue.Count)];
            var group = groups[ValueOf(field, records[i])!];
            if (group.Count < 2) continue;
            var j = group[random.Next(group.Count - 1)];
            if (j == i) j = group[^1];
            Compare(records[i], records[j], levels);
            var key = Pack(levels);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts.ToArray();
    }

    /// <summary>How many record draws a session makes (draws of a record alone with its value pair with nobody).</summary>
    private const int SessionSamples = 100_000;

    private static string? ValueOf(Field f, in PreparedPerson r) => f switch
    {
        Field.First => r.First,
        Field.Last => r.Last,
        Field.Birth => r.BirthDate,
        Field.Email => r.Email,
        Field.Phone => r.Phone,
        Field.Postcode => r.Postcode,
        Field.City => r.City,
        _ => null,
    };

    /// <summary>A session needs this many pairs, and this many estimated true pairs, to count.</summary>
    private const int MinSessionPairs = 50, MinSessionMatches = 10;

    /// <summary>True when some pair of the session has the field on both sides.</summary>
    private static bool Seen(KeyValuePair<ulong, long>[] session, int field) => session.Any(p => Level(p.Key, field) != 0);

    /// <summary>The starting m: true pairs mostly agree exactly.</summary>
    private static double[][] Start()
    {
        var m = new double[Fields][];
        for (var f = 0; f < Fields; f++)
        {
            m[f] = new double[LevelCount[f]];
            var rest = LevelCount[f] - 2;
            m[f][1] = 0.8;
            for (var l = 2; l < LevelCount[f]; l++) m[f][l] = 0.2 / rest;
        }
        return m;
    }

    /// <summary>EM over level patterns with u fixed: m (unless <paramref name="fitM"/> is false) and λ, the field
    /// <paramref name="held"/> left out.</summary>
    private static (double[][] M, double Lambda) Em(KeyValuePair<ulong, long>[] list, double[][] u, double[][] m, double lambda,
        Field? held, bool fitM = true)
    {
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var counts = NewCounts(0);
            double matched = 0, total = 0;
            foreach (var (key, n) in list)
            {
                var logOdds = Math.Log2(lambda / (1 - lambda));
                for (var f = 0; f < Fields; f++)
                {
                    var l = Level(key, f);
                    if (l != 0 && f != (int?)held) logOdds += Math.Log2(m[f][l] / u[f][l]);
                }
                var q = 1 / (1 + Math.Pow(2, Math.Clamp(-logOdds, -60, 60)));
                matched += q * n;
                total += n;
                for (var f = 0; f < Fields; f++) counts[f][Level(key, f)] += q * n;
            }
            if (fitM)
            {
                // A tiny pseudo-count keeps every level possible among true pairs.
                for (var f = 0; f < Fields; f++) for (var l = 1; l < LevelCount[f]; l++) counts[f][l] += 1e-3;
                var next = Normalize(counts);
                for (var f = 0; f < Fields; f++) if (f != (int?)held) m[f] = next[f];
            }
            lambda = Math.Clamp(matched / total, 1e-6, 1 - 1e-6);
        }
        return (m, lambda);
    }

    private static double[][] NewCounts(double start)
    {
        var counts = new double[Fields][];
        for (var f = 0; f < Fields; f++)
        {
            counts[f] = new double[LevelCount[f]];
            for (var l = 1; l < LevelCount[f]; l++) counts[f][l] = start;
        }
        return counts;
    }

    /// <summary>Each field's counts over its levels 1.. as probabilities (level 0, missing, is left out).</summary>
    private static double[][] Normalize(double[][] counts)
    {
        var p = new double[Fields][];
        for (var f = 0; f < Fields; f++)
        {
            p[f] = new double[LevelCount[f]];
            var sum = 0.0;
            for (var l = 1; l < LevelCount[f]; l++) sum += counts[f][l];
            for (var l = 1; l < LevelCount[f]; l++) p[f][l] = counts[f][l] / sum;
        }
        return p;
    }

    private static ulong Pack(ReadOnlySpan<byte> levels)
    {
        ulong key = 0;
        for (var f = 0; f < Fields; f++) key |= (ulong)levels[f] << (4 * f);
        return key;
    }

    private static int Level(ulong key, int field) => (int)(key >> (4 * field)) & 0xF;

    /// <summary>Share of records with each value, per field with term-frequency adjustment (first, last, city, birth).</summary>
    private static Dictionary<string, double>[] TermFrequencies(PreparedPerson[] records)
    {
        var tf = new Dictionary<string, double>[Fields];
        for (var f = 0; f < Fields; f++) tf[f] = new Dictionary<string, double>(StringComparer.Ordinal);
        void Count(Field f, Func<PreparedPerson, string?> value)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var total = 0;
            foreach (var r in records)
            {
                if (value(r) is not { } v) continue;
                counts[v] = counts.GetValueOrDefault(v) + 1;
                total++;
            }
            foreach (var (v, n) in counts) tf[(int)f][v] = (double)n / total;
        }
        Count(Field.First, r => r.First);
        Count(Field.Last, r => r.Last);
        Count(Field.City, r => r.City);
        Count(Field.Birth, r => r.BirthDate);
        return tf;
    }

    /// <summary>The match probability of a pair (0..1).</summary>
    public double Score(in PreparedPerson a, in PreparedPerson b)
    {
        Span<byte> levels = stackalloc byte[Fields];
        Compare(a, b, levels);
        // A name alone is never enough, however rare: two "Michelle Ulison" with nothing else in common (or nothing
        // else known) are namesakes as often as they are one person. Nor is a name with a field that many people share
        // (colleagues at one company, neighbours in one city): some field of the person's own must agree too.
        if (!Supported(levels)) return 0;
        var w = _prior;
        for (var f = 0; f < Fields; f++)
        {
            var l = levels[f];
            if (l == 0) continue;
            var weight = _weight[f][l];
            if (l == 1 && _tf[f].Count > 0 && TfValue((Field)f, a, b) is { } v && _tf[f].TryGetValue(v, out var share))
            {
                // The chance that two random records agree on this very value: its share (never above the field's u).
                weight = Math.Log2(_m[f][1] / Math.Clamp(share, _u[f][1] / TfCap, _u[f][1]));
            }
            w += weight;
        }
        return 1 / (1 + Math.Pow(2, -w));
    }

    /// <summary>True when a field of the person's own (birth date, e-mail, phone, street, postcode) agrees or nearly
    /// agrees, or the city or the company does.</summary>
    private static bool Supported(ReadOnlySpan<byte> levels)
    {
        foreach (var f in Own)
        {
            if (levels[(int)f] is 1 or 2) return true;
        }
        return levels[(int)Field.City] is 1 or 2 || levels[(int)Field.Company] is 1 or 2;
    }

    private static readonly Field[] Own = [Field.Birth, Field.Email, Field.Phone, Field.Street, Field.Postcode];

    /// <summary>A rare value weighs at most log2(TfCap) bits more than the field's average exact agreement.</summary>
    private const double TfCap = 4;

    private static string? TfValue(Field f, in PreparedPerson a, in PreparedPerson b) => f switch
    {
        Field.First => a.First == b.First ? a.First : null,
        Field.Last => a.Last == b.Last ? a.Last : null,
        Field.City => a.City,
        Field.Birth => a.BirthDate,
        _ => null,
    };

    /// <summary>The level of each field for a pair (0 when either side lacks it).</summary>
    public static void Compare(in PreparedPerson a, in PreparedPerson b, Span<byte> levels)
    {
        var (first, last) = Names(a, b);
        levels[(int)Field.First] = first;
        levels[(int)Field.Last] = last;
        levels[(int)Field.Birth] = BirthLevel(a.BirthDate, b.BirthDate);
        levels[(int)Field.Email] = EmailLevel(a, b);
        // An e-mail built from the name repeats the name's difference ("virginia.stoick@", "virginia.stowick@"): when
        // the names differ, user names that differ are two names, not a typo.
        if (levels[(int)Field.Email] is 2 or 3 && (first != 1 || last != 1) && !a.EmailLocal.SequenceEqual(b.EmailLocal))
            levels[(int)Field.Email] = (byte)(LevelCount[(int)Field.Email] - 1);
        levels[(int)Field.Phone] = ExactOrOneEdit(a.Phone, b.Phone);
        levels[(int)Field.Street] = StreetLevel(a.Street, b.Street);
        levels[(int)Field.City] = a.City is null || b.City is null ? (byte)0 : a.City == b.City ? (byte)1 : Text.JaroWinkler(a.City, b.City) >= 0.9 ? (byte)2 : (byte)3;
        levels[(int)Field.Postcode] = ExactOrOneEdit(a.Postcode, b.Postcode);
        levels[(int)Field.State] = a.State is null || b.State is null ? (byte)0 : a.State == b.State ? (byte)1 : (byte)2;
        levels[(int)Field.Company] = CompanyLevel(a.Company, b.Company);
    }

    /// <summary>First and last name levels, as given or swapped (typed into each other's fields), whichever agrees more.</summary>
    private static (byte First, byte Last) Names(in PreparedPerson a, in PreparedPerson b)
    {
        var first = NameLevel(a.First, a.FirstCanonical, b.First, b.FirstCanonical);
        var last = NameLevel(a.Last, a.Last, b.Last, b.Last);
        if (first + last > 2 && a.First is not null && a.Last is not null && b.First is not null && b.Last is not null)
        {
            var sf = NameLevel(a.First, a.First, b.Last, b.Last);
            var sl = NameLevel(a.Last, a.Last, b.First, b.First);
            if (sf + sl < first + last) return (sf, sl);
        }
        return (first, last);
    }

    /// <summary>1 equal; 2 the same formal name (nickname), an initial of the other, or Jaro-Winkler ≥ 0.92; 3 ≥ 0.8; 4 else.</summary>
    private static byte NameLevel(string? a, string? aFormal, string? b, string? bFormal)
    {
        if (a is null || b is null) return 0;
        if (a == b) return 1;
        if (aFormal == bFormal) return 2;
        if ((a.Length == 1 && b[0] == a[0]) || (b.Length == 1 && a[0] == b[0])) return 3;
        var s = Text.JaroWinkler(a, b);
        return s >= 0.92 ? (byte)2 : s >= 0.8 ? (byte)3 : (byte)4;
    }

    /// <summary>
    /// 1 the same full date; 2 day and month swapped or one digit off; 3 the same year only (a year-only date written
    /// as January 1st, "18310101", is a year, not a full date); 4 two digits off; 5 else.
    /// </summary>
    private static byte BirthLevel(string? a, string? b)
    {
        if (a is null || b is null) return 0;
        var aYearOnly = a.Length == 8 && a.EndsWith("0101", StringComparison.Ordinal);
        var bYearOnly = b.Length == 8 && b.EndsWith("0101", StringComparison.Ordinal);
        if (a == b) return aYearOnly ? (byte)3 : (byte)1;
        var full = !aYearOnly && !bYearOnly;
        if (full)
        {
            if (a.Length == 8 && b.Length == 8 && a[..4] == b[..4] && a[4..6] == b[6..8] && a[6..8] == b[4..6]) return 2;
            if (a.Length == b.Length && Text.WithinOneEdit(a, b)) return 2;
        }
        if (a.Length >= 4 && b.Length >= 4 && a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4))) return 3;
        return full && a.Length == b.Length && Mismatches(a, b) == 2 ? (byte)4 : (byte)5;
    }

    /// <summary>Positions at which two strings of one length differ.</summary>
    private static int Mismatches(string a, string b)
    {
        var n = 0;
        for (var i = 0; i < a.Length; i++) n += a[i] != b[i] ? 1 : 0;
        return n;
    }

    private static byte ExactOrOneEdit(string? a, string? b) =>
        a is null || b is null ? (byte)0 : a == b ? (byte)1 : Text.WithinOneEdit(a, b) ? (byte)2 : (byte)3;

    /// <summary>1 equal; 2 a typo of the other (<see cref="PersonScorer.EmailSimilarity"/>: a user name one slip off at
    /// one domain, or the same user name at a domain one keystroke off); 3 the same user name at a domain
    /// alike by Jaro-Winkler ≥ 0.85 (several typos in the domain); 4 else. The same user name at an unrelated provider is
    /// "else": "first.last@" merely repeats the name.</summary>
    private static byte EmailLevel(in PreparedPerson a, in PreparedPerson b)
    {
        if (a.Email is null || b.Email is null) return 0;
        if (a.Email == b.Email) return 1;
        if (PersonScorer.EmailSimilarity(a, b) >= 0.85) return 2;
        var sameLocal = a.EmailLocal.SequenceEqual(b.EmailLocal);
        if (sameLocal && Text.JaroWinkler(a.EmailDomain, b.EmailDomain) >= 0.85) return 3;
        return 4;
    }

    /// <summary>1 the same words (in any order: lines swapped); 2 Jaro-Winkler ≥ 0.9 or most words shared; 3 else.</summary>
    private static byte StreetLevel(string? a, string? b)
    {
        if (a is null || b is null) return 0;
        if (a == b) return 1;
        var aw = a.Split(' ');
        var bw = b.Split(' ');
        var shared = aw.Count(w => Array.IndexOf(bw, w) >= 0);
        if (shared == aw.Length && shared == bw.Length) return 1;
        if (shared * 3 >= 2 * Math.Max(aw.Length, bw.Length) || Text.JaroWinkler(a, b) >= 0.9) return 2;
        return 3;
    }

    /// <summary>1 the same company (by id when both have one); 2 names alike (only without ids); 3 else.</summary>
    private static byte CompanyLevel(string? a, string? b)
    {
        if (a is null || b is null) return 0;
        if (a == b) return 1;
        if (a[0] == '#' || b[0] == '#') return 3;
        return Text.JaroWinkler(a, b) >= 0.9 ? (byte)2 : (byte)3;
    }
}
