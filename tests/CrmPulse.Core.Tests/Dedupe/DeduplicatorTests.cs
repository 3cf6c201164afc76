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
    public void Blocks_larger_than_the_maximum_are_not_compared()
    {
        var same = Enumerable.Range(0, 3).Select(i => new PersonRecord { Id = $"p{i}", FirstName = "Jane", LastName = "Doe", Email = "jane@acme.com" }).ToArray();

        Assert.Single(Deduplicator.MatchPeople(same, new DedupeOptions()).Clusters);
        // Every key the three share makes a block of 3: over a maximum of 2, nothing is compared.
        var capped = Deduplicator.MatchPeople(same, new DedupeOptions { MaxBlockSize = 2 });
        Assert.Empty(capped.Clusters);
        Assert.Equal(0, capped.Candidates);
    }

    [Fact]
    public void Ten_thousand_namesakes_cost_no_comparisons_instead_of_fifty_million()
    {
        // 10,000 "John Smith" at one company with distinct e-mails: a quadratic pass would compare 49,995,000 pairs.
        var people = Enumerable.Range(0, 10_000)
            .Select(i => new PersonRecord { Id = $"p{i}", FirstName = "John", LastName = "Smith", Company = "Acme", Email = $"js{i}@acme{i}.com" })
            .ToArray();

        var r = Deduplicator.MatchPeople(people, Defaults);

        Assert.Equal(0, r.Candidates);
        Assert.Empty(r.Clusters);
    }

    [Fact]
    public void Two_records_with_one_id_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Match(new PersonRecord { Id = "x" }, new PersonRecord { Id = "x" }));

        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void Contacts_use_their_company_names_and_custom_address_fields()
    {
        // Same person, typed twice: no e-mail, no phone. first 4 + last 6 + company (same name via the map) 2
        // + street 5 + postcode 3 + birth date 7 = 27 bits.
        Contact Person(string id, string companyId) => new()
        {
            Id = id, FirstName = "Kiara", LastName = "Everett", CompanyId = companyId,
            Custom = new Dictionary<string, string?> { ["street"] = "8 Eddy Crescent", ["postcode"] = "6076", ["birth_date"] = "1980-02-03" },
        };
        var names = new Dictionary<string, string> { ["co1"] = "Acme Inc.", ["co2"] = "ACME" };

        var clusters = Deduplicator.FindContactClusters([Person("c1", "co1"), Person("c2", "co2")], names, Defaults);

        Assert.Equal("same name + birth date + address + company", Assert.Single(clusters).ReasonFor("c2"));
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
}
