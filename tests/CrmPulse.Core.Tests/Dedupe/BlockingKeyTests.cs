using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>The blocking keys added for issue 17: each proposes a true pair that no other key proposed.</summary>
public sealed class BlockingKeyTests
{
    private static long[] Keys(PersonRecord r)
    {
        var keys = new long[PreparedPerson.MaxKeys];
        var n = new PreparedPerson(r, PreparedPerson.CompanyKey(r)).AddKeys(keys);
        return keys[..n];
    }

    /// <summary>The keys the two records share (the only reason blocking proposes them).</summary>
    private static long[] Shared(PersonRecord a, PersonRecord b) => Keys(a).Intersect(Keys(b)).ToArray();

    private static long Key(char kind, string a, string b) => Text.KeyHash(kind, a, b);

    [Fact]
    public void A_surname_typo_at_the_same_company_with_nothing_else_shares_no_key()
    {
        // The benchmark's copy c0097804 of c0035229: no e-mail, no phone, no address; "edberg" is E316, "edbegr" E312.
        // A key on the company with the first name's code ('k') would propose it, but it was taken out again: the fitted
        // weights give a shared company about 16 bits, so the key proposed every same-first-name colleague of a large
        // company, and at 1,000,000 contacts planted-duplicate precision fell from 0.9982 to 0.9906 (README "Deduplication").
        var a = new PersonRecord { Id = "a", FirstName = "Nancy", LastName = "Edberg", CompanyId = "co1" };
        var b = new PersonRecord { Id = "b", FirstName = "Nancy", LastName = "Edbegr", CompanyId = "co1" };

        Assert.Empty(Shared(a, b));
        Assert.Equal(0, Deduplicator.MatchPeople([a, b], new DedupeOptions()).Candidates);
    }

    [Fact]
    public void The_same_street_and_number_with_a_postcode_one_off_and_another_surname_share_the_address_key()
    {
        // febrl2's rec-… pair of Lucy Webl / Webb: the postcode one keystroke off (2288, 2289), the surname's code
        // changed (W140, W100). Only 'a': the street number 10 with the street name's code (tenison-wodos, tenison-woods: T525).
        var a = new PersonRecord { Id = "a", FirstName = "lucy", LastName = "webl", Street = "10 tenison-wodos circuit", City = "moe", Postcode = "2288" };
        var b = new PersonRecord { Id = "b", FirstName = "lucy", LastName = "webb", Street = "10 tenison-woods circuit", City = "moe", Postcode = "2289" };

        Assert.Equal("T525", Text.Soundex(Text.Words("tenison-wodos")!.Split(' ')[0]));
        // Since the first name with the city ('m') was added, "lucy" of "moe" is shared as well.
        Assert.Equal([Key('a', "10", "T525"), Key('m', "lucy", "moe")], Shared(a, b));
        Assert.Equal(1, Deduplicator.MatchPeople([a, b], new DedupeOptions()).Candidates);
    }

    [Fact]
    public void A_year_typo_with_a_first_name_missing_shares_the_last_names_code_with_month_and_day()
    {
        // fake_1000-like: 1974-10-05 against 1984-10-05, one first name missing: the date, the year and the names
        // differ; 'd' (G650 with 1005) is shared.
        var a = new PersonRecord { Id = "a", LastName = "Green", BirthDate = "1974-10-05" };
        var b = new PersonRecord { Id = "b", FirstName = "Thomas", LastName = "Green", BirthDate = "1984-10-05" };

        Assert.Equal([Key('d', "G650", "1005")], Shared(a, b));
        // A year-only placeholder says no month and day: no 'd' key.
        var placeholder = new PersonRecord { Id = "c", LastName = "Green", BirthDate = "1862-01-01" };
        Assert.DoesNotContain(Key('d', "G650", "0101"), Keys(placeholder));
    }

    [Fact]
    public void One_exact_name_with_the_birth_place_shares_a_city_key_when_the_other_name_differs()
    {
        // Historical records of one person with nothing but the names and the birth place: an alias for the first name
        // ('l': the surname with the city), another surname ('m': the first name with the city; a nickname counts as
        // its formal name).
        var a = new PersonRecord { Id = "a", FirstName = "William", LastName = "Cavendish", City = "Chatsworth" };
        var alias = new PersonRecord { Id = "b", FirstName = "Hartington", LastName = "Cavendish", City = "Chatsworth" };
        var renamed = new PersonRecord { Id = "c", FirstName = "Bill", LastName = "Devonshire", City = "Chatsworth" };

        Assert.Equal([Key('l', "cavendish", "chatsworth")], Shared(a, alias));
        Assert.Equal([Key('m', "william", "chatsworth")], Shared(a, renamed));
    }

    [Fact]
    public void The_first_names_code_with_the_postcode_proposes_a_pair_whose_surname_changed()
    {
        // The same postcode and first name, the surname replaced and nothing else: 'v' (the postcode with J500).
        var a = new PersonRecord { Id = "a", FirstName = "John", LastName = "Russell", Postcode = "SW1A 1AA" };
        var b = new PersonRecord { Id = "b", FirstName = "Jon", LastName = "Bedford", Postcode = "SW1A 1AA" };

        Assert.Equal([Key('v', "sw1a1aa", "J500")], Shared(a, b));
    }

    [Fact]
    public void The_postcode_with_the_city_proposes_a_pair_whose_names_both_differ()
    {
        // Both names replaced (a peer's title for the family name, a foreign form of the given name), the birth place
        // and postcode intact: 'o' (the postcode with the city).
        var a = new PersonRecord { Id = "a", FirstName = "Giovanni", LastName = "Spencer", City = "Althorp", Postcode = "NN7 4HQ" };
        var b = new PersonRecord { Id = "b", FirstName = "John", LastName = "Sunderland", City = "Althorp", Postcode = "NN7 4HQ" };

        Assert.Equal([Key('o', "nn74hq", "althorp")], Shared(a, b));
    }

    [Theory]
    [InlineData("giovanni.spencer@example.org", null, "john.sunderland@example.org", null)]
    [InlineData(null, "+44 1604 770107", null, "+44 1604 770934")]
    [InlineData("giovanni.spencer@example.org", null, null, "+44 1604 770934")]
    public void The_place_keys_are_left_out_for_records_with_an_email_or_a_phone(
        string? emailA, string? phoneA, string? emailB, string? phoneB)
    {
        // The pair above, each with its own e-mail or phone: a contact is found by those and its name keys, and in a
        // CRM where most contacts share a few cities the place keys (o, v, l, m) doubled the candidates at 1M.
        var a = new PersonRecord
        {
            Id = "a", FirstName = "Giovanni", LastName = "Spencer", City = "Althorp", Postcode = "NN7 4HQ", Email = emailA,
            Phone = phoneA,
        };
        var b = new PersonRecord
        {
            Id = "b", FirstName = "Giovanni", LastName = "Sunderland", City = "Althorp", Postcode = "NN7 4HQ", Email = emailB,
            Phone = phoneB,
        };

        Assert.Empty(Shared(a, b));
    }
}
