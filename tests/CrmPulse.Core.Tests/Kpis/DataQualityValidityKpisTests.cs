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

    [Theory]
    [InlineData("+1 (415) 555-0100", true)] // 11 digits
    [InlineData("1234567", true)]           // 7 digits: the minimum
    [InlineData("123456789012345", true)]   // 15 digits: the maximum
    [InlineData("123456", false)]
    [InlineData("1234567890123456", false)]
    [InlineData("n/a", false)]
    [InlineData("555 0100 ext 2", false)]   // letters
    [InlineData("555\t0100 123", false)]    // a tab is not a space
    [InlineData(null, false)]
    public void Valid_phone_is_7_to_15_digits_with_only_spaces_and_plus_minus_parentheses_dots(string? phone, bool valid) =>
        Assert.Equal(valid, DataQualityChecks.IsValidPhone(phone));

    // c1: valid e-mail, valid phone          → reachable
    // c2: invalid e-mail "x@y", no phone     → invalid e-mail, unreachable
    // c3: e-mail "  " (not filled), phone "12" invalid → invalid phone, unreachable
    // c4: no e-mail, valid phone             → reachable
    // c5: e-mail "jane@" invalid, phone "n/a" invalid → both invalid, unreachable
    // Filled e-mails: c1, c2, c5 = 3 (invalid 2); filled phones: c1, c3, c4, c5 = 4 (invalid 2).
    private static Fixture Contacts() => new Fixture()
        .User("u1", "Sales")
        .Contact(new Contact { Id = "c1", Email = "a@x.com", Phone = "+44 20 7946 0958" })
        .Contact(new Contact { Id = "c2", Email = "x@y", OwnerId = "u1" })
        .Contact(new Contact { Id = "c3", Email = "  ", Phone = "12" })
        .Contact(new Contact { Id = "c4", Phone = "020 7946 0958" })
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
