using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Dedupe;

public sealed class DeduplicatorTests
{
    private static readonly DedupeOptions Defaults = new();
    private static readonly IReadOnlyDictionary<string, string> NoCompanies = new Dictionary<string, string>();

    private static DedupeResult Match(params PersonRecord[] people) => Deduplicator.MatchPeople(people, Defaults);

    [Fact]
    public void A_nickname_and_the_same_phone_in_another_format_match_with_the_reason()
    {
        var r = Match(
            new PersonRecord { Id = "a", FirstName = "Robert", LastName = "Miller", Phone = "+1 (415) 555-0199", Company = "Acme Inc." },
            new PersonRecord { Id = "b", FirstName = "Bob", LastName = "Miller", Phone = "415.555.0199", Company = "ACME" });

        // phone 9 + first name (nickname: 0.95 → all of 4) + last name 6 + company 2 = 21 bits → 1 / (1 + 2^(9 − 21))
        var pair = Assert.Single(r.Pairs);
        // A nickname is a near match (0.95), so the name is "similar" rather than "same".
        Assert.Equal(("a", "b", "same phone + similar name + company"), (pair.LeftId, pair.RightId, pair.Reason));
        Assert.Equal(1 / (1 + Math.Pow(2, -12)), pair.Score, 9);
    }

    [Fact]
    public void The_same_name_with_another_email_and_phone_is_another_person()
    {
        // name 4 + 6 = 10, e-mail −2 (different local parts and domains), phone −2 → 6 bits, probability 0.11
        var r = Match(
            new PersonRecord { Id = "a", FirstName = "John", LastName = "Smith", Email = "john@alpha.com", Phone = "212 555 0101" },
            new PersonRecord { Id = "b", FirstName = "John", LastName = "Smith", Email = "jsmith@beta.org", Phone = "617 555 0123" });

        Assert.Empty(r.Pairs);
        Assert.Empty(r.Clusters);
    }

    [Fact]
    public void Colleagues_sharing_a_switchboard_number_are_not_duplicates()
    {
        // phone 9, first name −3, last name −4, company 2 → 4 bits
        var r = Match(
            new PersonRecord { Id = "a", FirstName = "Anna", LastName = "Berg", Phone = "+44 20 7946 0000", Company = "Initech" },
            new PersonRecord { Id = "b", FirstName = "Omar", LastName = "Nasser", Phone = "020 7946 0000", Company = "Initech" });

        Assert.Empty(r.Clusters);
    }

    [Fact]
    public void The_survivor_is_the_oldest_record_then_the_smallest_id_and_unknown_dates_come_last()
    {
        var t = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        PersonRecord Jane(string id, DateTimeOffset? created) =>
            new() { Id = id, FirstName = "Jane", LastName = "Doe", Email = "jane.doe@acme.com", CreatedAt = created };

        var r = Match(Jane("z", t.AddDays(1)), Jane("a", null), Jane("m", t), Jane("k", t));

        var cluster = Assert.Single(r.Clusters);
        Assert.Equal(["k", "m", "z", "a"], cluster.RecordIds); // k and m are oldest (k < m), a has no date
        Assert.Equal(6, r.Pairs.Count);                        // all 4·3/2 pairs agree
        Assert.Equal("same e-mail + same name", cluster.ReasonFor("m"));
    }

    [Fact]
    public void Blocks_larger_than_the_maximum_are_compared_in_a_window_or_not_at_all()
    {
        var same = Enumerable.Range(0, 4).Select(i => new PersonRecord { Id = $"p{i}", FirstName = "Jane", LastName = "Doe", Email = "jane@acme.com" }).ToArray();

        Assert.Equal(6, Deduplicator.MatchPeople(same, new DedupeOptions()).Candidates);
        // Every key the four share makes a block of 4. Over a maximum of 2 with a window of 1, each record is compared
        // with the next in name order (ties by record): p0–p1, p1–p2, p2–p3, one cluster still.
        var windowed = Deduplicator.MatchPeople(same, new DedupeOptions { MaxBlockSize = 2, LargeBlockWindow = 1 });
        Assert.Equal((3, 4), (windowed.Candidates, Assert.Single(windowed.Clusters).RecordIds.Count));
        // With no window, nothing is compared.
        var capped = Deduplicator.MatchPeople(same, new DedupeOptions { MaxBlockSize = 2, LargeBlockWindow = 0 });
        Assert.Empty(capped.Clusters);
        Assert.Equal(0, capped.Candidates);
    }

    [Fact]
    public void Ten_thousand_namesakes_cost_a_window_of_comparisons_instead_of_fifty_million()
    {
        // 10,000 "John Smith" at one company with distinct e-mails: a quadratic pass would compare 49,995,000 pairs.
        var people = Enumerable.Range(0, 10_000)
            .Select(i => new PersonRecord { Id = $"p{i}", FirstName = "John", LastName = "Smith", Company = "Acme", Email = $"js{i}@acme{i}.com" })
            .ToArray();

        var r = Deduplicator.MatchPeople(people, Defaults);

        // Two keys are shared by all (both names; the company with the last name's code): each a block of 10,000 in a
        // window of 5, 10,000 · 5 − 15 = 49,985 pairs, the same pairs both times (same order).
        Assert.Equal(49_985, r.Candidates);
        Assert.Empty(r.Clusters);
    }

    [Fact]
    public void A_window_below_zero_and_a_link_share_outside_zero_to_one_are_named()
    {
        var options = new DedupeOptions { MinLinkShare = 1.5, LargeBlockWindow = -1 };

        Assert.Equal(["MinLinkShare must be in [0, 1], was 1.5.", "LargeBlockWindow must be 0 or more, was -1."], options.Validate());
    }

    [Fact]
    public void A_fitted_threshold_outside_zero_to_one_an_unknown_weighing_and_too_few_records_for_a_fit_are_named()
    {
        var options = new DedupeOptions { FittedThreshold = 1, MinRecordsForFit = 1, Weights = (DedupeWeights)7 };

        Assert.Equal(["FittedThreshold must be in (0, 1), was 1.", "MinRecordsForFit must be at least 2, was 1.", "Weights must be Fixed or Fitted, was 7."],
            options.Validate());
    }

    [Fact]
    public void Two_records_with_one_id_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Match(new PersonRecord { Id = "x" }, new PersonRecord { Id = "x" }));

        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void Contacts_use_their_company_ids_and_custom_address_fields()
    {
        // Same person, typed twice: no e-mail, no phone. first 4 + last 6 + company (same id) 2 + street 5
        // + postcode 3 + birth date 7 = 27 bits.
        Contact Person(string id) => new()
        {
            Id = id, FirstName = "Kiara", LastName = "Everett", CompanyId = "co1",
            Custom = new Dictionary<string, string?> { ["street"] = "8 Eddy Crescent", ["postcode"] = "6076", ["birth_date"] = "1980-02-03" },
        };
        var names = new Dictionary<string, string> { ["co1"] = "Acme Inc." };

        var clusters = Deduplicator.FindContactClusters([Person("c1"), Person("c2")], names, Defaults);

        Assert.Equal("same name + birth date + address + company", Assert.Single(clusters).ReasonFor("c2"));
    }

    [Fact]
    public void Namesakes_at_two_companies_with_alike_names_are_two_people()
    {
        // The File-source case of issue 17: "Larsen Ltd 16" and "Larsen GmbH 24" normalize to "larsen 16" and
        // "larsen 24", Jaro-Winkler (7/9 + 7/9 + 1) / 3 + 4 · 0.1 · (1 − 0.8519) = 0.9111, which gives
        // −1 + 3 · (0.9111 − 0.75) / 0.2 = 1.42 of the 2 company bits: 4 + 6 + 1.42 = 11.42 ≥ 11, merged when the
        // names are all there is. Compared by id the companies differ: 4 + 6 − 1 = 9 bits, probability 0.5, under 0.8.
        Contact Grace(string id, string companyId) => new() { Id = id, FirstName = "Grace", LastName = "Jensen", CompanyId = companyId };
        var names = new Dictionary<string, string> { ["co16"] = "Larsen Ltd 16", ["co24"] = "Larsen GmbH 24" };

        var clusters = Deduplicator.FindContactClusters([Grace("c1", "co16"), Grace("c2", "co24")], names, Defaults);
        var people = Deduplicator.MatchPeople(
            [PersonRecord.FromContact(Grace("c1", "co16"), "Larsen Ltd 16"), PersonRecord.FromContact(Grace("c2", "co24"), "Larsen GmbH 24")], Defaults);

        var namesOnly = Match(
            new PersonRecord { Id = "c1", FirstName = "Grace", LastName = "Jensen", Company = "Larsen Ltd 16" },
            new PersonRecord { Id = "c2", FirstName = "Grace", LastName = "Jensen", Company = "Larsen GmbH 24" });

        Assert.Empty(clusters);
        Assert.Empty(people.Clusters);
        Assert.Equal(1 / (1 + Math.Pow(2, 9 - 11.42)), Assert.Single(namesOnly.Pairs).Score, 2);
        Assert.Equal(0.5, PersonScorer.Score(
            new PreparedPerson(PersonRecord.FromContact(Grace("c1", "co16"), "Larsen Ltd 16"), "#co16"),
            new PreparedPerson(PersonRecord.FromContact(Grace("c2", "co24"), "Larsen GmbH 24"), "#co24")), 9);
    }

    [Fact]
    public void Company_names_are_compared_only_when_either_side_has_no_company_id()
    {
        // A CSV without ids: names, without legal suffixes ("acme" both): 4 + 6 + 2 = 12 bits → 0.8
        // An id on one side and a name on the other: no evidence either way, 10 bits → 0.67 (no match).
        var byName = Match(
            new PersonRecord { Id = "a", FirstName = "Grace", LastName = "Jensen", Company = "Acme Inc." },
            new PersonRecord { Id = "b", FirstName = "Grace", LastName = "Jensen", Company = "ACME" });
        var mixed = Match(
            new PersonRecord { Id = "a", FirstName = "Grace", LastName = "Jensen", Company = "Acme Inc.", CompanyId = "co1" },
            new PersonRecord { Id = "b", FirstName = "Grace", LastName = "Jensen", Company = "ACME" });

        Assert.Equal(1 / (1 + Math.Pow(2, -3)), Assert.Single(byName.Pairs).Score, 9);
        Assert.Empty(mixed.Pairs);
    }

    [Fact]
    public void A_parent_company_and_its_child_are_not_duplicates_even_with_one_name_and_domain()
    {
        var companies = new[]
        {
            new Company { Id = "co1", Name = "Acme", Domain = "acme.com" },
            new Company { Id = "co2", Name = "Acme", Domain = "acme.com", ParentId = "co1" },
            new Company { Id = "co3", Name = "Globex", Domain = "globex.com" },
            new Company { Id = "co4", Name = "Globex Corporation", Domain = "www.globex.com" },
        };

        var cluster = Assert.Single(Deduplicator.FindCompanyClusters(companies, Defaults));

        Assert.Equal(["co3", "co4"], cluster.RecordIds);
    }

    [Fact]
    public void Companies_known_only_by_id_agree_only_when_the_ids_are_equal()
    {
        // No company names: "co-0001" and "co-0002" look alike as text but are two companies. Same name and same
        // phone: 9 + 4 + 6 = 19 bits; the company adds 2 when the ids are equal and takes 1 when they differ.
        Contact Person(string id, string companyId) =>
            new() { Id = id, FirstName = "Ann", LastName = "Lee", Phone = "555 010 2030", CompanyId = companyId };

        var same = Deduplicator.FindContactClusters([Person("c1", "co-0001"), Person("c2", "co-0001")], NoCompanies, Defaults);
        var other = Deduplicator.FindContactClusters([Person("c1", "co-0001"), Person("c2", "co-0002")], NoCompanies, Defaults);

        Assert.Equal("same phone + same name + company", Assert.Single(same).ReasonFor("c2"));
        Assert.Equal("same phone + same name", Assert.Single(other).ReasonFor("c2"));
    }

    [Fact]
    public void Contact_address_fields_are_read_from_their_aliases_too()
    {
        var contact = new Contact
        {
            Id = "c1",
            Custom = new Dictionary<string, string?> { ["postal_code"] = "2171", ["postcode"] = " ", ["date_of_birth"] = "19461208" },
        };

        var person = PersonRecord.FromContact(contact, null);

        Assert.Equal(("2171", "19461208", null), (person.Postcode, person.BirthDate, person.Street)); // a blank postcode yields
    }

    [Fact]
    public void Under_MinRecordsForFit_records_the_fixed_weights_decide_and_from_it_the_fitted_ones()
    {
        // febrl1 (1,000 records): its first 999 are matched with the fixed weights whatever Weights says; all 1,000
        // with the weights fitted to them, which find pairs the fixed weights miss (README: F1 1.0000 against 0.9827).
        var (people, _) = AccuracyData.Load("febrl1.csv");
        var options = AccuracyData.Options("febrl1.csv");
        var fixedOptions = AccuracyData.Options("febrl1.csv");
        fixedOptions.Weights = DedupeWeights.Fixed;
        static string[] Pairs(DedupeResult r) => r.Pairs.Select(p => $"{p.LeftId}|{p.RightId}|{p.Score}").ToArray();

        var few = people.Take(options.MinRecordsForFit - 1).ToList();
        Assert.Equal(DedupeWeights.Fitted, options.Weights);
        Assert.Equal(Pairs(Deduplicator.MatchPeople(few, fixedOptions)), Pairs(Deduplicator.MatchPeople(few, options)));

        var all = people.Take(options.MinRecordsForFit).ToList();
        var (fitted, fixedWeights) = (Deduplicator.MatchPeople(all, options), Deduplicator.MatchPeople(all, fixedOptions));
        Assert.True(fitted.Pairs.Count > fixedWeights.Pairs.Count, $"fitted {fitted.Pairs.Count} pairs, fixed {fixedWeights.Pairs.Count}");
    }
}
