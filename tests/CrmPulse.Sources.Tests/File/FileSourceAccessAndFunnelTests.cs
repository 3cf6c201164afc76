namespace CrmPulse.Sources.Tests.File;

/// <summary>The access-review columns of users (is_admin, profile) and the funnel columns of contacts (lead_source,
/// mql_at, sql_at, opportunity_at, won_at).</summary>
public sealed class FileSourceAccessAndFunnelTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Users_say_who_is_an_administrator_and_a_blank_cell_is_unknown()
    {
        using var folder = new TempFolder().Write("users.csv",
            "id,name,is_admin,profile",
            "u1,Ada,yes,System Administrator",
            "u2,Bob,false,Standard User",
            "u3,Cy,,");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal([(true, "System Administrator"), (false, "Standard User"), ((bool?)null, (string?)null)],
            changes.Users.Select(u => (u.IsAdmin, u.Profile)));
    }

    [Fact]
    public async Task Without_the_column_nobody_is_known_to_be_an_administrator()
    {
        using var folder = new TempFolder().Write("users.csv", "id,name", "u1,Ada");

        var changes = await folder.PullAsync();

        Assert.Null(Assert.Single(changes.Users).IsAdmin);
    }

    [Fact]
    public async Task An_unreadable_admin_flag_is_a_bad_cell_named_by_line_and_column()
    {
        using var folder = new TempFolder().Write("users.csv", "id,is_admin", "u1,perhaps", "u2,no", "u3,1", "u4,");

        var changes = await folder.PullAsync();

        Assert.Equal([("u2", false), ("u3", true), ("u4", (bool?)null)], changes.Users.Select(u => (u.Id, u.IsAdmin)));
        var problem = Assert.Single(changes.Problems);
        Assert.Equal(("users.csv", (int?)2, "is_admin"), (problem.Location, problem.Line, problem.Column));
    }

    [Fact]
    public async Task Contacts_carry_their_lead_source_and_the_dates_they_entered_the_funnel_stages()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            "id,lead_source,mql_at,sql_at,opportunity_at,won_at,created_at",
            "c1,Web,2024-03-01T08:00:00Z,2024-03-05,,2024-04-01T10:00:00+02:00,2024-02-28T08:00:00Z",
            "c2,,,,,,2024-02-28T08:00:00Z");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        var c1 = changes.Contacts[0];
        Assert.Equal("Web", c1.LeadSource);
        Assert.Equal(new Dictionary<string, DateTimeOffset>
        {
            ["mql"] = Utc("2024-03-01T08:00:00Z"), ["sql"] = Utc("2024-03-05T00:00:00Z"), ["won"] = Utc("2024-04-01T08:00:00Z"),
        }, c1.StageDates);
        Assert.Equal(((string?)null, (IReadOnlyDictionary<string, DateTimeOffset>?)null), (changes.Contacts[1].LeadSource, changes.Contacts[1].StageDates));
    }
}
