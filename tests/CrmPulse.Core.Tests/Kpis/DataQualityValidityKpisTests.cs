using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DataQualityValidityKpisTests
{
    private static readonly DataQualityValidityKpis Family = new();

    [Theory]
    [InlineData("jane@example.com", true)]
    [InlineData("  Jane.Doe@Example.CO.UK ", true)] // trimmed, case does not matter
    [InlineData("x@y", false)]                      // no dot in the domain
    [InlineData("jane.doe@", false)]                // no domain
    [InlineData("@example.com", false)]             // no local part
    [InlineData("a@@example.com", false)]
    [InlineData("a b@example.com", false)]          // white space inside
    [InlineData("a@example.c", false)]              // one-letter top-level domain
    [InlineData("a@example.c0m", false)]            // digits in the top-level domain
    [InlineData("a@example..com", false)]           // empty label
    [InlineData("a@.example.com", false)]           // empty first label
    [InlineData("a@example.com.", false)]           // empty last label
    [InlineData("a@example.com\t", true)]           // trailing tab trimmed like a space
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Valid_email_is_one_at_a_local_part_and_a_dotted_domain(string? email, bool valid) =>
        Assert.Equal(valid, DataQualityChecks.IsValidEmail(email));

    // Each case was checked against the numbering plan it names (libphonenumber's metadata): US numbers are 10 digits
    // after the country code 1, with an area code and an exchange that do not start with 0 or 1; London numbers are
    // "20" plus 8 digits; German Berlin numbers "30" plus up to 8 digits.
    [Theory]
    [InlineData("+1 (415) 555-0100", "US", true)]         // country code 1, area 415, 7-digit subscriber
    [InlineData("(415) 555-0100", "US", true)]            // no country code: the region's plan
    [InlineData("1.415.555.0100", "US", true)]            // US trunk prefix 1, dots
    [InlineData("415 555 0100", "GB", false)]             // the same digits are no UK number
    [InlineData("+1 415 555 0100", "GB", true)]           // '+': its own country code, whatever the region
    [InlineData("020 7946 0958", "GB", true)]             // UK national form, trunk prefix 0
    [InlineData("020 7946 0958", "US", false)]            // read as a US number: area 020 does not exist
    [InlineData("+44 20 7946 0958", "US", true)]
    [InlineData("011 44 20 7946 0958", "US", true)]       // dialled from the US with its international prefix
    [InlineData("0049 30 12345678", "GB", true)]          // dialled from the UK with 00
    [InlineData("030 12345678", "DE", true)]
    [InlineData("089 1234567", "DE", true)]               // Munich
    [InlineData("089 1234567", "GB", false)]
    [InlineData("+1 555 0100", "US", false)]              // 7 digits after +1: the old rule's "7 to 15 digits" took it
    [InlineData("555 0199", "US", false)]                 // a local number without its area code
    [InlineData("1234567", "US", false)]                  // old minimum, no plan has it
    [InlineData("123456789012345", "US", false)]          // old maximum
    [InlineData("+1 650 253 000", "US", false)]           // one digit short
    [InlineData("+1 650 253 00000", "US", false)]         // one digit too many
    [InlineData("+1 015 555 0100", "US", false)]          // area code starting with 0
    [InlineData("+44 20 7946 095", "US", false)]          // London with 7 digits after 20
    [InlineData("+999 1234 5678", "US", false)]           // no country has code 999
    [InlineData("+1 650 253 0000 ext. 123", "US", true)]  // an extension is allowed
    [InlineData("650 253 0000 x123", "US", true)]
    [InlineData("555 0100 ext 2", "US", false)]           // an extension does not mend a short number
    [InlineData("n/a", "US", false)]
    [InlineData("12", "US", false)]
    [InlineData(" ", "US", false)]
    [InlineData(null, "US", false)]
    public void Valid_phone_is_a_number_of_its_countrys_numbering_plan(string? phone, string region, bool valid) =>
        Assert.Equal(valid, DataQualityChecks.IsValidPhone(phone, region));

    [Theory]
    [InlineData("GB", "GB")]
    [InlineData(" de ", "DE")]   // trimmed, any case
    [InlineData("UK", "US")]     // not an ISO 3166-1 code (the UK's is GB): the default
    [InlineData("Germany", "US")] // a name, not a code: the default
    [InlineData("", "US")]
    [InlineData(null, "US")]
    public void The_country_field_gives_the_region_when_it_holds_a_known_code(string? country, string region) =>
        Assert.Equal(region, DataQualityChecks.PhoneRegionFor(country, "US"));

    [Fact]
    public void Phone_settings_are_checked()
    {
        Assert.Empty(new DataQualityOptions().Validate());
        Assert.Equal("US", new DataQualityOptions().PhoneRegion);
        Assert.Equal(["PhoneRegion must be an ISO 3166-1 alpha-2 region code in upper case that libphonenumber knows (e.g. US, GB, DE), was 'UK'."],
            new DataQualityOptions { PhoneRegion = "UK" }.Validate());
        Assert.Single(new DataQualityOptions { PhoneRegion = "gb" }.Validate());
        Assert.Equal(["PhoneCountryField must name a contact field or be left out."], new DataQualityOptions { PhoneCountryField = " " }.Validate());
    }

    // Default region "GB" and country field "country_code" (a custom field):
    // p1 "020 7946 0958", no country          → GB plan: valid
    // p2 "020 7946 0958", country "US"        → US plan: area 020 does not exist, invalid
    // p3 "(415) 555-0100", country "us"       → US plan: valid
    // p4 "(415) 555-0100", no country         → GB plan: invalid
    // p5 "+1 415 555 0100", country "DE"      → '+1' wins over the country: valid
    // p6 "+1 555 0100", no country            → too short for +1: invalid
    // p7 "089 1234567", country "Germany"     → not a code, so GB: no UK range starts 089, invalid (under DE it is a
    //                                           Munich number; "030 12345678" would not do: UK 030 numbers exist)
    // p8 "+44 20 7946 0958 ext 7", no country → valid with its extension
    // Filled phones 8, invalid: p2, p4, p6, p7 = 4.
    [Fact]
    public void Phones_are_judged_by_the_records_country_else_the_default_region()
    {
        static Contact P(string id, string phone, string? country = null) => new()
        {
            Id = id, Email = "a@x.com", Phone = phone,
            Custom = country is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["country_code"] = country },
        };
        var options = new KpiOptions { DataQuality = new DataQualityOptions { PhoneRegion = "GB", PhoneCountryField = "country_code" } };
        var r = new Fixture()
            .Contact(P("p1", "020 7946 0958")).Contact(P("p2", "020 7946 0958", "US")).Contact(P("p3", "(415) 555-0100", "us"))
            .Contact(P("p4", "(415) 555-0100")).Contact(P("p5", "+1 415 555 0100", "DE")).Contact(P("p6", "+1 555 0100"))
            .Contact(P("p7", "089 1234567", "Germany")).Contact(P("p8", "+44 20 7946 0958 ext 7"))
            .Run(Family, options);

        Assert.Equal(4, r.Value("invalid_phones", ("object", "contact")));
        Assert.Equal(4.0 / 8, r.Value("invalid_phone_ratio", ("object", "contact")));
        Assert.Equal(["p2", "p4", "p6", "p7"], r.IssueIds("invalid_phones"));
        Assert.Equal("phone '+1 555 0100' is not a number", r.Issue("invalid_phones", "p6").Detail);

        // Without the country field every national number is read as British: p3 is invalid too, p2 valid.
        var noField = new KpiOptions { DataQuality = new DataQualityOptions { PhoneRegion = "GB" } };
        var plain = new Fixture()
            .Contact(P("p1", "020 7946 0958")).Contact(P("p2", "020 7946 0958", "US")).Contact(P("p3", "(415) 555-0100", "us"))
            .Run(Family, noField);
        Assert.Equal(["p3"], plain.IssueIds("invalid_phones"));
    }

    // The same eight contacts as above, judged as a sync judges them (DataQualityChecks.JudgePhones): each verdict is
    // the pass's own judgement (p2, p4, p6, p7 invalid), and a pass over the judged contacts gives the same samples and
    // issues as one over the contacts without verdicts.
    [Fact]
    public void Phones_judged_at_sync_give_the_same_samples_and_issues()
    {
        static Contact P(string id, string phone, string? country = null) => new()
        {
            Id = id, Email = "a@x.com", Phone = phone,
            Custom = country is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["country_code"] = country },
        };
        var quality = new DataQualityOptions { PhoneRegion = "GB", PhoneCountryField = "country_code" };
        List<Contact> Plain() =>
        [
            P("p1", "020 7946 0958"), P("p2", "020 7946 0958", "US"), P("p3", "(415) 555-0100", "us"), P("p4", "(415) 555-0100"),
            P("p5", "+1 415 555 0100", "DE"), P("p6", "+1 555 0100"), P("p7", "089 1234567", "Germany"), P("p8", "+44 20 7946 0958 ext 7"),
            new Contact { Id = "p9", Email = "a@x.com", Phone = " " },
        ];
        var judged = Plain();
        DataQualityChecks.JudgePhones(judged, quality);

        Assert.Equal([("GB", true), ("US", false), ("US", true), ("GB", false), ("DE", true), ("GB", false), ("GB", false), ("GB", true)],
            judged.Take(8).Select(c => (c.PhoneVerdict!.Value.Region, c.PhoneVerdict.Value.Valid)));
        Assert.Equal(DataQualityChecks.PhoneFingerprint("(415) 555-0100"), judged[2].PhoneVerdict!.Value.Phone);
        Assert.Null(judged[8].PhoneVerdict); // nothing to judge
        var options = new KpiOptions { DataQuality = quality };
        var withVerdicts = judged.Aggregate(new Fixture(), (f, c) => f.Contact(c)).Run(Family, options);
        var without = Plain().Aggregate(new Fixture(), (f, c) => f.Contact(c)).Run(Family, options);
        Assert.Equal(["p2", "p4", "p6", "p7"], withVerdicts.IssueIds("invalid_phones"));
        Assert.Equal(without.Samples, withVerdicts.Samples);
        Assert.Equal(without.Issues, withVerdicts.Issues);
    }

    // A pass takes a stored verdict as it is when it was reached for the same phone text and region: these verdicts are
    // deliberately wrong, to show which ones the pass read. "12" is no number anywhere.
    // v1: verdict "valid" for "12" in US                 → read: not counted
    // v2: verdict "valid" for another text ("13") in US   → ignored, judged again: invalid
    // v3: verdict "valid" for "12" in GB (default is US)  → ignored, judged again: invalid
    // v4: verdict "invalid" for "(415) 555-0100" in US    → read: counted invalid
    [Fact]
    public void A_stored_verdict_counts_only_for_the_same_phone_and_region()
    {
        static Contact V(string id, string phone, PhoneVerdict verdict) => new() { Id = id, Email = "a@x.com", Phone = phone, PhoneVerdict = verdict };
        var r = new Fixture()
            .Contact(V("v1", "12", new PhoneVerdict("US", true, DataQualityChecks.PhoneFingerprint("12"))))
            .Contact(V("v2", "12", new PhoneVerdict("US", true, DataQualityChecks.PhoneFingerprint("13"))))
            .Contact(V("v3", "12", new PhoneVerdict("GB", true, DataQualityChecks.PhoneFingerprint("12"))))
            .Contact(V("v4", "(415) 555-0100", new PhoneVerdict("US", false, DataQualityChecks.PhoneFingerprint("(415) 555-0100"))))
            .Run(Family);

        Assert.Equal(["v2", "v3", "v4"], r.IssueIds("invalid_phones"));
    }

    [Fact]
    public void The_default_region_is_US()
    {
        // "(415) 555-0100" is a US number; "020 7946 0958" is read as US and is not one; "+44 20 7946 0958" is valid anywhere.
        var r = new Fixture()
            .Contact(new Contact { Id = "a", Phone = "(415) 555-0100" })
            .Contact(new Contact { Id = "b", Phone = "020 7946 0958" })
            .Contact(new Contact { Id = "c", Phone = "+44 20 7946 0958" })
            .Run(Family);

        Assert.Equal(["b"], r.IssueIds("invalid_phones"));
        Assert.Equal(1.0 / 3, r.Value("invalid_phone_ratio", ("object", "contact")));
    }

    // c1: valid e-mail, valid phone          → reachable
    // c2: invalid e-mail "x@y", no phone     → invalid e-mail, unreachable
    // c3: e-mail "  " (not filled), phone "12" invalid → invalid phone, unreachable
    // c4: no e-mail, valid phone (a US number: the default region is US) → reachable
    // c5: e-mail "jane@" invalid, phone "n/a" invalid → both invalid, unreachable
    // Filled e-mails: c1, c2, c5 = 3 (invalid 2); filled phones: c1, c3, c4, c5 = 4 (invalid 2).
    private static Fixture Contacts() => new Fixture()
        .User("u1", "Sales")
        .Contact(new Contact { Id = "c1", Email = "a@x.com", Phone = "+44 20 7946 0958" })
        .Contact(new Contact { Id = "c2", Email = "x@y", OwnerId = "u1" })
        .Contact(new Contact { Id = "c3", Email = "  ", Phone = "12" })
        .Contact(new Contact { Id = "c4", Phone = "(415) 555-0100" })
        .Contact(new Contact { Id = "c5", Email = "jane@", Phone = "n/a" });

    [Fact]
    public void Invalid_ratios_divide_by_the_contacts_with_the_field_filled()
    {
        var r = Contacts().Run(Family);

        Assert.Equal(2, r.Value("invalid_emails", ("object", "contact")));
        Assert.Equal(2.0 / 3, r.Value("invalid_email_ratio", ("object", "contact"))); // c2, c5 of c1, c2, c5
        Assert.Equal(2, r.Value("invalid_phones", ("object", "contact")));
        Assert.Equal(2.0 / 4, r.Value("invalid_phone_ratio", ("object", "contact"))); // c3, c5 of c1, c3, c4, c5
        Assert.Equal(["c2", "c5"], r.IssueIds("invalid_emails"));
        Assert.Equal(["c3", "c5"], r.IssueIds("invalid_phones"));
    }

    [Fact]
    public void Unreachable_contacts_have_neither_a_valid_email_nor_a_valid_phone()
    {
        var r = Contacts().Run(Family);

        Assert.Equal(3, r.Value("unreachable_contacts", ("object", "contact")));
        Assert.Equal(["c2", "c3", "c5"], r.IssueIds("unreachable_contacts"));
        Assert.Equal(new RecordIssue("invalid_emails", "contact", "c2", "u1", "Sales", "email", "e-mail 'x@y' is not an address"),
            r.Issue("invalid_emails", "c2"));
        Assert.Equal("no valid e-mail ('  ') and no valid phone ('12')", r.Issue("unreachable_contacts", "c3").Detail);
    }

    [Fact]
    public void Without_filled_values_the_counts_are_zero_and_the_ratios_are_left_out()
    {
        var r = new Fixture().Contact(new Contact { Id = "c1", Email = "", Phone = " " }).Run(Family);

        Assert.Equal(0, r.Value("invalid_emails", ("object", "contact")));
        Assert.Equal(0, r.Value("invalid_phones", ("object", "contact")));
        Assert.Equal(1, r.Value("unreachable_contacts", ("object", "contact")));
        Assert.DoesNotContain(r.Samples, s => s.Kpi is "invalid_email_ratio" or "invalid_phone_ratio");
    }

    [Fact]
    public void No_contacts_gives_zero_counts_and_no_issues()
    {
        var r = new Fixture().Run(Family);

        Assert.Equal(["invalid_emails", "invalid_phones", "unreachable_contacts"], r.Samples.Select(s => s.Kpi).Order(StringComparer.Ordinal));
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
        Assert.Empty(r.Issues);
    }
}
