using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>The fitted model's comparison levels (PersonLevels), EM, the values' shares and the weighing, on hand-made
/// cases with hand-computed values.</summary>
public sealed class PersonModelTests
{
    private static PreparedPerson P(PersonRecord r) => new(r, PreparedPerson.CompanyKey(r));

    private static byte[] Levels(PersonRecord a, PersonRecord b, IReadOnlyList<ExtraField>? extras = null)
    {
        var levels = new PersonLevels(extras ?? []);
        var lv = new byte[PersonLevels.MaxFields];
        levels.Compare(new PreparedPerson(a, PreparedPerson.CompanyKey(a), extras: extras), new PreparedPerson(b, PreparedPerson.CompanyKey(b), extras: extras), lv);
        return lv[..levels.Fields];
    }

    [Theory]
    [InlineData("19800312", "19800312", 1)] // the same full date
    [InlineData("19800312", "19801203", 2)] // day and month swapped
    [InlineData("19800312", "19800313", 2)] // one digit off
    [InlineData("18310101", "18310101", 3)] // a year-only date twice: the same year, not the same day
    [InlineData("18310101", "18310514", 3)] // a year against a full date of that year
    [InlineData("19800312", "19800415", 3)] // the same year only
    [InlineData("19800312", "19810313", 4)] // two digits off, another year
    [InlineData("19800312", "19751120", 5)]
    [InlineData(null, "19751120", 0)] // missing on one side
    public void Birth_dates_fall_into_their_levels(string? a, string? b, int level) =>
        Assert.Equal(level, PersonLevels.BirthLevel(a, b));

    [Theory]
    [InlineData("Robert", "Smith", "Robert", "Smith", 1, 1)]
    [InlineData("Bob", "Smith", "Robert", "Smith", 2, 1)] // a nickname: the same formal name
    [InlineData("J", "Smith", "John", "Smith", 3, 1)] // an initial
    [InlineData("Smith", "Robert", "Robert", "Smith", 1, 1)] // first and last swapped
    [InlineData("Jonathan", "Smith", "Jonathon", "Smith", 2, 1)] // Jaro-Winkler 0.95
    [InlineData("Mary", "Smith", "Peter", "Smith", 4, 1)]
    [InlineData(null, "Smith", "Peter", "Smith", 0, 1)]
    public void Names_fall_into_their_levels(string? af, string? al, string? bf, string? bl, int first, int last)
    {
        var lv = Levels(new PersonRecord { Id = "a", FirstName = af, LastName = al }, new PersonRecord { Id = "b", FirstName = bf, LastName = bl });
        Assert.Equal((first, last), (lv[PersonLevels.First], lv[PersonLevels.Last]));
    }

    [Fact]
    public void A_pair_with_nothing_but_names_and_extra_fields_to_compare_cannot_be_judged()
    {
        // The clustering rule counts such a pair neither way when two clusters meet (BlockMatcher.Clusters).
        var namesOnly = new PersonRecord { Id = "a", FirstName = "Ada", LastName = "Byron", Extra = new Dictionary<string, string?> { ["gender"] = "f" } };
        var withCity = new PersonRecord { Id = "b", FirstName = "Ada", LastName = "Lovelace", City = "London" };
        var withBirth = new PersonRecord { Id = "c", FirstName = "Augusta", LastName = "King", BirthDate = "1815-12-10" };
        var alsoCity = new PersonRecord { Id = "d", FirstName = "Ada", LastName = "King", City = "Ockham" };

        Assert.False(PersonLevels.Judged(P(namesOnly), P(withCity)));
        Assert.False(PersonLevels.Judged(P(withCity), P(withBirth)));  // each has a field the other lacks
        Assert.True(PersonLevels.Judged(P(withCity), P(alsoCity)));    // both have a city, however different
    }

    [Fact]
    public void Postcode_street_company_and_email_fall_into_their_levels()
    {
        Assert.Equal(1, PersonLevels.ExactOrOneEdit("4883", "4883"));
        Assert.Equal(2, PersonLevels.ExactOrOneEdit("4883", "4838")); // one keystroke: a transposition
        Assert.Equal(3, PersonLevels.ExactOrOneEdit("4883", "3848"));
        Assert.Equal(1, PersonLevels.StreetLevel("12 main street", "main street 12")); // the same words in another order
        Assert.Equal(2, PersonLevels.StreetLevel("12 main street", "12 main road")); // two of three words
        Assert.Equal(3, PersonLevels.StreetLevel("12 main street", "7 oak avenue"));
        Assert.Equal(1, PersonLevels.CompanyLevel("#co16", "#co16"));
        Assert.Equal(3, PersonLevels.CompanyLevel("#co16", "#co24")); // two company records: two companies, however alike their names
        Assert.Equal(0, PersonLevels.CompanyLevel("#co16", "larsen")); // an id against a name: no evidence
        Assert.Equal(2, PersonLevels.CompanyLevel("larsen", "larson")); // names only when neither has an id

        var jane = new PersonRecord { Id = "a", FirstName = "Jane", LastName = "Smith", Email = "jane.smith@acme.com" };
        Assert.Equal(1, Levels(jane, jane with { Id = "b", Email = "JANE.SMITH@acme.com" })[PersonLevels.Email]);
        Assert.Equal(2, Levels(jane, jane with { Id = "b", Email = "jane.smith@acne.com" })[PersonLevels.Email]); // a domain one keystroke off
        Assert.Equal(4, Levels(jane, jane with { Id = "b", Email = "janesmith7@acme.com" })[PersonLevels.Email]); // a numbered namesake
    }

    [Fact]
    public void Address_lines_swapped_between_street_and_a_text_field_are_one_address()
    {
        ExtraField[] extras = [new("address_2", DedupeFieldKind.Text)];
        var a = new PersonRecord { Id = "a", Street = "12 rose villa", Extra = new Dictionary<string, string?> { ["address_2"] = "main street" } };
        var b = new PersonRecord { Id = "b", Street = "12 main street", Extra = new Dictionary<string, string?> { ["address_2"] = "rose villa" } };

        var lv = Levels(a, b, extras);

        Assert.Equal(1, lv[PersonLevels.Street]);
        Assert.Equal(0, lv[PersonLevels.StandardFields]); // the lines' own disagreement is no evidence
    }

    [Fact]
    public void Street_levels_and_swapped_address_lines_compare_words_without_splitting_as_the_split_lists_did()
    {
        // The rules as they were written with string.Split and sorted lists (matcher version 5): the span version must
        // give the same level for every pair. Few words, so that shared, repeated and swapped words are common.
        static byte SplitStreet(string a, string b)
        {
            if (a == b) return 1;
            var (aw, bw) = (a.Split(' '), b.Split(' '));
            var shared = aw.Count(w => Array.IndexOf(bw, w) >= 0);
            if (shared == aw.Length && shared == bw.Length) return 1;
            return shared * 3 >= 2 * Math.Max(aw.Length, bw.Length) || Text.JaroWinkler(a, b) >= 0.9 ? (byte)2 : (byte)3;
        }
        static bool SplitSameWords(string aStreet, string aLine, string bStreet, string bLine) =>
            aStreet.Split(' ').Concat(aLine.Split(' ')).Order(StringComparer.Ordinal)
                .SequenceEqual(bStreet.Split(' ').Concat(bLine.Split(' ')).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        string[] vocabulary = ["12", "rose", "villa", "main", "street", "flat", "3"];
        var random = new Random(5);
        string Words() => string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
        ExtraField[] extras = [new("address_2", DedupeFieldKind.Text)];
        var (ones, swapped) = (0, 0);
        for (var n = 0; n < 3000; n++)
        {
            var (aStreet, aLine, bStreet, bLine) = (Words(), Words(), Words(), Words());
            if (n % 4 == 0) (bStreet, bLine) = (aLine, aStreet); // every fourth pair: the lines typed into each other's fields
            var street = SplitStreet(aStreet, bStreet);
            Assert.Equal(street, PersonLevels.StreetLevel(aStreet, bStreet));
            var lv = Levels(new PersonRecord { Id = "a", Street = aStreet, Extra = new Dictionary<string, string?> { ["address_2"] = aLine } },
                new PersonRecord { Id = "b", Street = bStreet, Extra = new Dictionary<string, string?> { ["address_2"] = bLine } }, extras);
            var lines = street != 1 && SplitSameWords(aStreet, aLine, bStreet, bLine);
            Assert.Equal(lines ? 1 : street, lv[PersonLevels.Street]);
            ones += street == 1 ? 1 : 0;
            swapped += lines ? 1 : 0;
        }
        // Both rules were exercised, not only "differs".
        Assert.True(ones > 50 && swapped > 100, $"{ones} same-word streets, {swapped} swapped lines");
    }

    [Fact]
    public void Em_recovers_m_and_lambda_of_a_mixture_it_was_built_from()
    {
        // Two fields, agree (level 1) or disagree (2). True pairs: λ = 0.1, m(agree) = 0.9 on both; others u(agree) = 0.1.
        // Of 10,000 pairs: both agree 10,000 × (0.1 × 0.81 + 0.9 × 0.01) = 900; one of them 10,000 × (0.1 × 0.09 + 0.9 ×
        // 0.09) = 900 each; neither 10,000 × (0.1 × 0.01 + 0.9 × 0.81) = 7,300.
        double[][] u = [[0, 0.1, 0.9], [0, 0.1, 0.9]];
        KeyValuePair<ulong, long>[] patterns = [new(1 | 1 << 4, 900), new(1 | 2 << 4, 900), new(2 | 1 << 4, 900), new(2 | 2 << 4, 7300)];
        double[][] start = [[0, 0.6, 0.4], [0, 0.6, 0.4]];

        var (m, lambda) = PersonModel.Em(patterns, u, start, 0.3, held: [], iterations: 2000);

        Assert.Equal(0.1, lambda, 4);
        Assert.Equal(0.9, m[0][1], 4);
        Assert.Equal(0.9, m[1][1], 4);
        Assert.Equal(0.1, m[0][2], 4);
    }

    [Fact]
    public void Em_with_m_fixed_finds_lambda_alone()
    {
        // m and u fixed at the truth above: the share of true pairs is the only unknown.
        double[][] u = [[0, 0.1, 0.9], [0, 0.1, 0.9]];
        double[][] m = [[0, 0.9, 0.1], [0, 0.9, 0.1]];
        KeyValuePair<ulong, long>[] patterns = [new(1 | 1 << 4, 900), new(1 | 2 << 4, 900), new(2 | 1 << 4, 900), new(2 | 2 << 4, 7300)];

        var (fixedM, lambda) = PersonModel.Em(patterns, u, m, 0.5, held: [], fitM: false, iterations: 2000);

        Assert.Equal(0.1, lambda, 6);
        Assert.Equal(0.9, fixedM[0][1]);
    }

    [Fact]
    public void The_exact_agreement_of_random_pairs_is_counted_from_the_values()
    {
        // Last names a, a, a, b, b, c (and one record without): pairs with one value 3·2 + 2·1 = 8 of 6·5 = 30 ordered pairs.
        string?[] lasts = ["a", "a", "a", "b", "b", "c", null];
        var records = lasts.Select((l, i) => P(new PersonRecord { Id = $"r{i}", LastName = l is null ? null : "Xy" + l })).ToArray();

        var (tf, exactU) = PersonModel.ValueShares(records);

        Assert.Equal(8.0 / 30, exactU[PersonLevels.Last]!.Value, 12);
        Assert.Equal(3.0 / 6, tf[PersonLevels.Last]!["xya"], 12);
        Assert.Null(exactU[PersonLevels.Email]); // nobody has one
    }

    [Fact]
    public void A_rare_surname_weighs_more_than_a_common_one()
    {
        // Every field: m(exact) 0.9 against u(exact) 0.01; other levels m 0.1/(k − 2), u 0.99/(k − 2). Prior −20 bits.
        var levelCount = new PersonLevels([]).LevelCount;
        double[][] m = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.9 : 0.1 / (k - 2)).ToArray()).ToArray();
        double[][] u = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.01 : 0.99 / (k - 2)).ToArray()).ToArray();
        var tf = new Dictionary<string, double>?[levelCount.Length];
        tf[PersonLevels.Last] = new() { ["smith"] = 0.02, ["zarkovic"] = 0.0001 };
        var model = new PersonModel(levelCount, m, u, prior: -20, candidateLambda: 0.1, tf);
        var levels = new PersonLevels([]);
        PersonRecord Person(string id, string last) => new() { Id = id, LastName = last, Phone = "555 0100 200" };

        // Phone exact log2(0.9 / 0.01); smith log2(0.9 / 0.02); zarkovic's share 0.0001 is under u / 16 = 0.000625, so
        // it weighs log2(0.9 / 0.000625): 4 bits more than the average, no more.
        var smith = model.LogOdds(P(Person("a", "Smith")), P(Person("b", "Smith")), levels);
        var zarkovic = model.LogOdds(P(Person("a", "Zarkovic")), P(Person("b", "Zarkovic")), levels);

        Assert.Equal(-20 + Math.Log2(0.9 / 0.01) + Math.Log2(0.9 / 0.02), smith, 9);
        Assert.Equal(-20 + Math.Log2(0.9 / 0.01) + Math.Log2(0.9 / 0.000625), zarkovic, 9);
    }

    [Fact]
    public void A_name_alone_is_never_a_match_however_rare()
    {
        var levelCount = new PersonLevels([]).LevelCount;
        double[][] m = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.9 : 0.1 / (k - 2)).ToArray()).ToArray();
        double[][] u = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 1e-6 : (1 - 1e-6) / (k - 2)).ToArray()).ToArray();
        var model = new PersonModel(levelCount, m, u, prior: -10, candidateLambda: 0.1, new Dictionary<string, double>?[levelCount.Length]);
        var a = P(new PersonRecord { Id = "a", FirstName = "Michelle", LastName = "Ulison" });

        Assert.Equal(0, model.Score(a, P(new PersonRecord { Id = "b", FirstName = "Michelle", LastName = "Ulison" }), new PersonLevels([])));
    }

    [Fact]
    public void The_same_birth_year_supports_the_names_and_another_year_does_not()
    {
        // BoundModel: an exact agreement weighs log2(90), any other level log2(0.1 / 0.99). Two year-only dates of one
        // year are the same-year level (3): −5 + 2 log2(90) + log2(0.1 / 0.99) = 4.67 bits. Another year (level 5) is no
        // support, and names with nothing else that agrees never match (A_name_alone_is_never_a_match_however_rare).
        var model = BoundModel(-5, _ => { });
        var levels = new PersonLevels([]);
        PreparedPerson Born(string id, string date) => P(new PersonRecord { Id = id, FirstName = "James", LastName = "Tarrant", BirthDate = date });

        Assert.Equal(-5 + 2 * Math.Log2(90) + Math.Log2(0.1 / 0.99), model.LogOdds(Born("a", "1831-01-01"), Born("b", "1831-01-01"), levels), 9);
        Assert.Equal(-5 + 2 * Math.Log2(90) + Math.Log2(0.1 / 0.99), model.LogOdds(Born("a", "1831-01-01"), Born("b", "1831-06-14"), levels), 9);
        Assert.Equal(0, model.Score(Born("a", "1831-01-01"), Born("b", "1832-01-01"), levels));
    }

    [Fact]
    public void A_lone_name_counts_as_alike_in_the_other_records_field_where_it_agrees_better()
    {
        var smith = new PersonRecord { Id = "a", FirstName = "Smith" }; // a one-word name: the first word, no surname
        var johnSmith = new PersonRecord { Id = "b", FirstName = "John", LastName = "Smith" };
        var jon = new PersonRecord { Id = "c", FirstName = "Jon" };

        // "smith" against "john" differs (4); against the surname it is the same word, written in the other field: alike.
        Assert.Equal(new byte[] { 0, 2 }, Levels(smith, johnSmith)[..2]);
        Assert.Equal(new byte[] { 0, 2 }, Levels(johnSmith, smith)[..2]);
        // "jon" agrees better as the first name (Jaro-Winkler 0.93: alike) and stays there.
        Assert.Equal(new byte[] { 2, 0 }, Levels(jon, johnSmith)[..2]);
        // A surname alone against a full name, the other way round.
        Assert.Equal(new byte[] { 2, 0 }, Levels(new PersonRecord { Id = "d", LastName = "John" }, johnSmith)[..2]);

        // The early stop's name bound covers it: BoundModel (exact log2(90), else log2(0.1 / 0.99)) but an alike last name
        // weighing log2(0.5 / 0.001) = 8.97 bits, more than "smith" as an exact first name (log2(90) = 6.49, swapped).
        var model = BoundModel(-20, _ => { });
        var (m, u) = model.Levels(PersonLevels.Last);
        (m[2], u[2]) = (0.5, 0.001);
        model = new PersonModel(new PersonLevels([]).LevelCount, Enumerable.Range(0, PersonLevels.StandardFields).Select(f => model.Levels(f).M).ToArray(),
            Enumerable.Range(0, PersonLevels.StandardFields).Select(f => model.Levels(f).U).ToArray(), -20, 0.1, new Dictionary<string, double>?[PersonLevels.StandardFields]);
        Assert.Equal(Math.Log2(0.5 / 0.001), model.NameBound(P(smith), P(johnSmith)), 9);
    }

    [Fact]
    public void An_equal_text_or_date_extra_field_supports_the_names_and_an_exact_kind_field_does_not()
    {
        ExtraField[] extras = [new("gender", DedupeFieldKind.Exact), new("occupation", DedupeFieldKind.Text), new("joined_on", DedupeFieldKind.Date)];
        var levels = new PersonLevels(extras);
        PersonRecord Ada(string id, string? gender, string? occupation, string? joined) => new()
        {
            Id = id, FirstName = "Ada", LastName = "Byron",
            Extra = new Dictionary<string, string?> { ["gender"] = gender, ["occupation"] = occupation, ["joined_on"] = joined },
        };

        Assert.False(levels.Supported(Levels(Ada("a", "f", null, null), Ada("b", "f", null, null), extras)));
        Assert.False(levels.Supported(Levels(Ada("a", "f", "poet", null), Ada("b", "f", "poets", null), extras))); // alike, not equal
        Assert.True(levels.Supported(Levels(Ada("a", null, "poet", null), Ada("b", "f", "poet", null), extras)));
        Assert.True(levels.Supported(Levels(Ada("a", null, null, "2020-03-12"), Ada("b", null, null, "2020-03-13"), extras))); // one digit off
        Assert.False(levels.Supported(Levels(Ada("a", null, null, "2020-03-12"), Ada("b", null, null, "2021-07-30"), extras)));
    }

    [Fact]
    public void The_early_stop_never_changes_which_pairs_reach_the_threshold()
    {
        // Every candidate pair of febrl2, with a model fitted to it: scored fully and with the early stop at 0.99.
        var (people, _) = AccuracyData.Load("febrl2.csv");
        EarlyStopAgrees(people, [], Math.Log2(0.99 / 0.01));
    }

    [Fact]
    public void The_early_stop_never_changes_which_pairs_reach_the_threshold_on_historical_records()
    {
        // One-word names (a lone name compared across the fields), year-only dates, gender and occupation: a stand-in
        // for historical_50k (HistoricalData, 1,000 people), at the default fitted threshold 0.5 (0 bits).
        var path = Path.Combine(Path.GetTempPath(), $"crmpulse-historical-bound-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        try
        {
            HistoricalData.WriteCsv(path, HistoricalData.Generate(people: 1000, seed: 23));
            EarlyStopAgrees(HistoricalData.Load(path).People, HistoricalData.Options().Extras(), 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void EarlyStopAgrees(List<PersonRecord> people, IReadOnlyList<ExtraField> extras, double needed)
    {
        var prepared = people.Select(p => new PreparedPerson(p, PreparedPerson.CompanyKey(p), extras: extras)).ToArray();
        var (pairs, count) = BlockMatcher.Candidates(prepared.Length, PreparedPerson.MaxKeys, (i, k) => prepared[i].AddKeys(k), 50);
        var model = PersonModel.Fit(prepared, pairs, count, extras);
        var levels = new PersonLevels(extras);

        for (var k = 0; k < count; k++)
        {
            var (a, b) = (prepared[(int)(pairs[k] >> 32)], prepared[(int)(pairs[k] & 0xFFFFFFFF)]);
            var (full, fast) = (model.LogOdds(a, b, levels), model.LogOdds(a, b, levels, needed));
            if (full >= needed) Assert.Equal(full, fast);
            else Assert.True(fast < needed, $"{a.Id} / {b.Id}: {fast} from a full score of {full}");
        }
    }

    /// <summary>Every field: m(exact) 0.9 against u(exact) 0.01, so an exact agreement weighs log2(90) = 6.49 bits and
    /// the other levels m 0.1/(k − 2) against u 0.99/(k − 2), log2(0.1 / 0.99) = −3.31 bits; the given shares.</summary>
    private static PersonModel BoundModel(double prior, Action<Dictionary<string, double>?[]> shares)
    {
        var levelCount = new PersonLevels([]).LevelCount;
        double[][] m = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.9 : 0.1 / (k - 2)).ToArray()).ToArray();
        double[][] u = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.01 : 0.99 / (k - 2)).ToArray()).ToArray();
        var tf = new Dictionary<string, double>?[levelCount.Length];
        shares(tf);
        return new PersonModel(levelCount, m, u, prior, candidateLambda: 0.1, tf);
    }

    [Fact]
    public void The_early_stop_bounds_equal_names_by_their_own_weight_and_stops_at_the_first_cheap_field_that_rules_the_pair_out()
    {
        // "smith" has the share 0.02: log2(0.9 / 0.02) = log2(45) = 5.49 bits, where the field's best (a value under
        // u / 16) is log2(0.9 / 0.000625) = log2(1440) = 10.49.
        var model = BoundModel(-20, tf => tf[PersonLevels.Last] = new() { ["smith"] = 0.02 });
        var levels = new PersonLevels([]);
        var a = P(new PersonRecord { Id = "a", FirstName = "Ann", LastName = "Smith", Email = "ann.smith@one.example", Phone = "555 0100 200",
            City = "Leeds", CompanyId = "1" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Ann", LastName = "Smith", Email = "zed@two.example", Phone = "555 0999 999",
            City = "Leeds", CompanyId = "2" });

        // Names: Ann exact log2(90) (no share kept) + smith log2(45) = 11.98 (swapped, they differ: 0). With the city,
        // e-mail, phone and company at their best, log2(90) each: −20 + 11.98 + 25.97 = 17.95, over 0. The last name is
        // the heaviest field (10.49), then the others in field order: the e-mail differs (−3.31, the bound down 9.80 to
        // 8.15), then the phone (−3.31, down to −1.65): under 0, so the company ids are never compared.
        var bound = -20 + Math.Log2(90) + Math.Log2(45) + 2 * Math.Log2(90) + 2 * Math.Log2(0.1 / 0.99);
        Assert.Equal(Math.Log2(90) + Math.Log2(45), model.NameBound(a, b), 9);
        Assert.Equal(bound, model.LogOdds(a, b, levels, needed: 0), 9);
        // The full sum: the city agrees, the e-mail, phone and company differ: −20 + 11.98 + 6.49 − 9.92 = −11.45.
        var full = -20 + Math.Log2(90) + Math.Log2(45) + Math.Log2(90) + 3 * Math.Log2(0.1 / 0.99);
        Assert.Equal(full, model.LogOdds(a, b, levels), 9);
        // A bound that never falls under what is needed compares every field: at −15 bits the sum itself comes back.
        Assert.Equal(model.LogOdds(a, b, levels), model.LogOdds(a, b, levels, needed: -15));
    }

    [Fact]
    public void The_early_stop_counts_an_equal_rare_birth_date_at_its_own_weight_and_keeps_the_pair()
    {
        // The date's share 0.00001 is under u / 16: it weighs log2(1440) = 10.49 bits, 4 more than the field's log2(90).
        var model = BoundModel(-20, tf => tf[PersonLevels.Birth] = new() { ["19800312"] = 0.00001 });
        var levels = new PersonLevels([]);
        var a = P(new PersonRecord { Id = "a", FirstName = "Ann", LastName = "Lee", BirthDate = "1980-03-12" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Ann", LastName = "Lee", BirthDate = "1980-03-12" });

        // −20 + 2 × log2(90) + log2(1440) = 3.48 bits, over the 1 bit needed. Bounded by the field's log2(90) instead (the
        // rule of matcher version 5), the pair would have stopped at −20 + 3 × 6.49 = −0.52 and never matched.
        var full = -20 + 2 * Math.Log2(90) + Math.Log2(1440);
        Assert.Equal(full, model.LogOdds(a, b, levels), 9);
        Assert.Equal(model.LogOdds(a, b, levels), model.LogOdds(a, b, levels, needed: 1));
        Assert.True(-20 + 3 * Math.Log2(90) < 1);
        Assert.Equal(1 / (1 + Math.Pow(2, -full)), model.Score(a, b, levels, needed: 1), 12);
    }

    [Fact]
    public void The_early_stop_keeps_an_e_mail_typo_at_the_larger_of_its_weight_and_differs()
    {
        // A fit where an e-mail that differs weighs more than a typo (m 0.5 against u 0.25 is +1 bit; a typo m 0.05
        // against u 0.2 is −2 bits), and the first name's "alike" m 0.3 against u 0.15, +1 bit (its best inexact
        // level). With the first names only alike, an e-mail typo is taken as two people's addresses: level 4, +1 bit.
        var levelCount = new PersonLevels([]).LevelCount;
        double[][] m = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.9 : 0.1 / (k - 2)).ToArray()).ToArray();
        double[][] u = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.01 : 0.99 / (k - 2)).ToArray()).ToArray();
        m[PersonLevels.Email] = [0, 0.4, 0.05, 0.05, 0.5];
        u[PersonLevels.Email] = [0, 0.01, 0.2, 0.54, 0.25];
        m[PersonLevels.First] = [0, 0.6, 0.3, 0.05, 0.05];
        u[PersonLevels.First] = [0, 0.01, 0.15, 0.24, 0.6];
        var model = new PersonModel(levelCount, m, u, prior: -5, candidateLambda: 0.1, new Dictionary<string, double>?[levelCount.Length]);
        var levels = new PersonLevels([]);
        var a = P(new PersonRecord { Id = "a", FirstName = "Ann", LastName = "Lee", Email = "ann.lee@one.example", Phone = "555 0100 200" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Anna", LastName = "Lee", Email = "ann.lle@one.example", Phone = "555 0100 200" });

        var lv = new byte[PersonLevels.MaxFields];
        levels.CompareCheap(a, b, lv);
        // ann.lee / ann.lle: 6 matches, no transposition, Jaro 0.9048, prefix 4: 0.9429; 0.75 + 0.2 × 0.0429 / 0.08 = 0.857.
        Assert.Equal(2, lv[PersonLevels.Email]);
        levels.CompareText(a, b, lv);
        Assert.Equal(2, lv[PersonLevels.First]); // ann / anna: Jaro-Winkler 0.9417
        Assert.Equal(4, lv[PersonLevels.Email]);
        // −5 + Ann/Anna 1 + last name log2(90) + phone log2(90) + e-mail differs 1 = 9.98 bits. Needed 8: bounded by the
        // typo's −2 (the rule of matcher version 5) the pair would have stopped at 6.98.
        var full = -5 + 1 + 2 * Math.Log2(90) + 1;
        Assert.Equal(full, model.LogOdds(a, b, levels), 9);
        Assert.Equal(model.LogOdds(a, b, levels), model.LogOdds(a, b, levels, needed: 8));
        Assert.True(-5 + 1 + 2 * Math.Log2(90) - 2 < 8);
    }

    [Fact]
    public void A_fit_to_records_that_all_share_a_city_finds_the_copies_and_keeps_every_weight_finite()
    {
        // 100 people, each typed twice (the copy with its e-mail in capitals), all in one city: u of the city's exact
        // agreement is 1, which must not make its other levels impossible (an infinite weight).
        var people = Enumerable.Range(0, 100).SelectMany(i =>
        {
            var p = new PersonRecord { Id = $"p{i}a", FirstName = $"Ann{(char)('a' + i % 26)}", LastName = $"Lee{(char)('a' + i / 26)}x",
                Email = $"person{i}@mail.com", Phone = $"555 {1000 + i} 000", City = "Springfield" };
            return new[] { p, p with { Id = $"p{i}b", Email = $"PERSON{i}@mail.com" } };
        }).ToArray();
        var prepared = people.Select(P).ToArray();
        var (pairs, count) = BlockMatcher.Candidates(prepared.Length, PreparedPerson.MaxKeys, (i, k) => prepared[i].AddKeys(k), 50);

        var model = PersonModel.Fit(prepared, pairs, count, []);

        var levelCount = new PersonLevels([]).LevelCount;
        for (var f = 0; f < levelCount.Length; f++)
        {
            for (var l = 1; l < levelCount[f]; l++) Assert.True(double.IsFinite(model.Weight(f, l)), $"field {f} level {l}: {model.Weight(f, l)}");
        }
        var result = Deduplicator.MatchPeople(people, new DedupeOptions { MinRecordsForFit = 200 });
        Assert.Equal(100, result.Clusters.Count);
        Assert.All(result.Clusters, c => Assert.Equal(c.RecordIds[0][..^1], c.RecordIds[1][..^1]));
    }

    /// <summary>Every field: m(exact) 0.9 against u(exact) 0.01, other levels m 0.1/(k − 2) and u 0.99/(k − 2); the first
    /// name's "alike" level m 0.3 against u 0.02. Prior −10 bits; "smith" has the term-frequency share 0.02.</summary>
    private static PersonModel ReasonModel()
    {
        var levelCount = new PersonLevels([]).LevelCount;
        double[][] m = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.9 : 0.1 / (k - 2)).ToArray()).ToArray();
        double[][] u = levelCount.Select(k => Enumerable.Range(0, k).Select(l => l == 0 ? 0 : l == 1 ? 0.01 : 0.99 / (k - 2)).ToArray()).ToArray();
        m[PersonLevels.First] = [0, 0.6, 0.3, 0.05, 0.05];
        u[PersonLevels.First] = [0, 0.01, 0.02, 0.07, 0.9];
        var tf = new Dictionary<string, double>?[levelCount.Length];
        tf[PersonLevels.Last] = new() { ["smith"] = 0.02 };
        return new PersonModel(levelCount, m, u, prior: -10, candidateLambda: 0.1, tf);
    }

    [Fact]
    public void A_reason_names_the_fitted_levels_that_weigh_for_the_pair_with_their_bits_strongest_first()
    {
        var model = ReasonModel();
        var levels = new PersonLevels([]);
        var a = P(new PersonRecord { Id = "a", FirstName = "Robert", LastName = "Smith", Phone = "555 0100 200", Email = "rob@one.example", City = "Leeds" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Bob", LastName = "Smith", Phone = "555 0100 200", Email = "zed@two.example", City = "York" });

        // Phone exact log2(0.9 / 0.01) = 6.49; "smith" exact by its share, log2(0.9 / 0.02) = 5.49; Robert and Bob one
        // formal name, the first name's "alike" level, log2(0.3 / 0.02) = 3.91. The e-mail and the city differ
        // (log2((0.1 / 3) / (0.99 / 3)) and log2((0.1 / 2) / (0.99 / 2)), both −3.31): against the pair, left out.
        Assert.Equal("phone exact +6.5, last name exact +5.5, first name alike +3.9", model.Reason(a, b, levels));
    }

    [Fact]
    public void A_reason_lists_equal_weights_in_field_order_and_says_overall_similarity_when_no_field_weighs_for_the_pair()
    {
        var model = ReasonModel();
        var levels = new PersonLevels([]);
        var a = P(new PersonRecord { Id = "a", FirstName = "Ann", LastName = "Lee", Phone = "555 0100 200", Postcode = "4883" });
        var b = P(new PersonRecord { Id = "b", FirstName = "Ann", LastName = "Lee", Phone = "555 0100 200", Postcode = "4838" });
        var c = P(new PersonRecord { Id = "c", FirstName = "Zoe", LastName = "Park", Phone = "555 0999 999" });

        // First name exact log2(0.6 / 0.01) = 5.91; last name (no share kept for "lee") and phone exact, log2(0.9 / 0.01)
        // = 6.49 each, in field order; the postcodes differ by two digits swapped, and either of the postcode's levels
        // under exact weighs log2((0.1 / 2) / (0.99 / 2)) = −3.31: left out.
        Assert.Equal("last name exact +6.5, phone exact +6.5, first name exact +5.9", model.Reason(a, b, levels));
        Assert.Equal("overall similarity", model.Reason(a, c, levels));
    }

    [Fact]
    public void Clusters_scored_by_a_fitted_model_give_the_models_reasons()
    {
        // Two contacts with one phone and one name, one later than the other: scored by the model above, the pair weighs
        // −10 + 5.91 + 6.49 + 6.49 = 8.89 bits (over the threshold 0.5, 0 bits); the copy's reason is the model's.
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var contacts = new[]
        {
            new CrmPulse.Core.Model.Contact { Id = "c1", FirstName = "Ann", LastName = "Lee", Phone = "555 0100 200", CreatedAt = at },
            new CrmPulse.Core.Model.Contact { Id = "c2", FirstName = "Ann", LastName = "Lee", Phone = "555 0100 200", CreatedAt = at.AddDays(1) },
        };

        var clusters = Deduplicator.FindContactClusters(contacts, new DedupeOptions(), ReasonModel());

        var cluster = Assert.Single(clusters);
        Assert.Equal(["c1", "c2"], cluster.RecordIds);
        Assert.Equal("last name exact +6.5, phone exact +6.5, first name exact +5.9", cluster.ReasonFor("c2"));
    }
}
