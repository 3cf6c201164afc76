using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using Xunit.Abstractions;
using static CrmPulse.Sources.Tests.Salesforce.FakeOrg;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>Integration and API logins must not make anyone an active user.</summary>
public sealed class SalesforceAdoptionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Integration_and_api_logins_do_not_count_toward_active_users()
    {
        using var h = new SalesforceHarness();
        var now = h.Clock.Now;
        h.Server.Add("User", User(1, "Ada UI"));
        h.Server.Add("User", User(2, "Bob Data Loader"));
        h.Server.Add("User", User(3, "Cleo Mobile"));
        h.Server.Add("User", User(4, "Sync Integration", profile: "Salesforce API Only System Integrations", license: "Salesforce Integration"));
        h.Server.Add("User", User(5, "Dan Typo"));
        var logins = new[]
        {
            Login(1, Id("005", 1), now.AddDays(-1)), // a person at the browser
            Login(2, Id("005", 2), now.AddDays(-1), "Remote Access 2.0", application: "Data Loader"), // a tool on a person's account
            Login(3, Id("005", 3), now.AddDays(-3), "Remote Access 2.0", application: "Salesforce for iOS"), // the mobile app: a person
            Login(4, Id("005", 4), now.AddHours(-1), "Remote Access 2.0", application: "Warehouse Sync"),
            Login(5, Id("005", 4), now.AddHours(-2), "Other Apex API", application: "N/A"),
            Login(6, Id("005", 5), now.AddDays(-2), status: "Invalid Password"),
        };
        foreach (var l in logins) h.Server.Of("LoginHistory")[(string)l["Id"]!] = l;

        await h.SyncAsync();

        var mirrored = Adoption(new CrmSnapshot("salesforce", h.Mirror.All<CrmUser>().ToList(), h.Mirror.All<LoginEvent>().ToList(), [], [], [], []), now);
        // Naive: every successful LoginHistory row is a login, every user a licensed human.
        var naive = Adoption(new CrmSnapshot("salesforce",
            h.Mirror.All<CrmUser>().Select(u => u with { IsIntegration = false }).ToList(),
            logins.Where(l => (string)l["Status"]! == "Success")
                .Select(l => new LoginEvent((string)l["Id"]!, (string)l["UserId"]!, DateTimeOffset.Parse(((string)l["LoginTime"]!).Replace("+0000", "Z")), true)).ToList(),
            [], [], [], []), now);
        output.WriteLine($"human logins only: {mirrored.Active} of {mirrored.Licensed} licensed users active this week (ratio {mirrored.Ratio}), " +
            $"{mirrored.ApiLogins} API logins by {mirrored.ApiUsers} users reported apart; " +
            $"every login counted: {naive.Active} of {naive.Licensed} (ratio {naive.Ratio})");

        // Licensed: Ada, Bob, Cleo, Dan (the integration user is excluded); active: Ada (browser) and Cleo (mobile app).
        // API logins are mirrored apart: rows 2 (Bob's Data Loader), 4 and 5 (the integration user) = 3 logins, 2 users.
        Assert.Equal((4d, 2d, 0.5, 3d, 2d), mirrored);
        // Counting every successful login: 5 users, of whom Ada, Bob, Cleo and the integration user were "active".
        // (The naive snapshot marks every login interactive, so it has no API logins.)
        Assert.Equal((5d, 4d, 0.8, 0d, 0d), naive);
        Assert.Equal(new Sources.Salesforce.SalesforceLoginCounts(2, 1, 3), h.Source.LastLogins);
    }

    private static (double Licensed, double Active, double Ratio, double ApiLogins, double ApiUsers) Adoption(CrmSnapshot snapshot, DateTimeOffset asOf)
    {
        var kpis = new KpiOutput(snapshot.Source, asOf);
        new AdoptionKpis().Compute(new KpiContext(snapshot, asOf, new KpiOptions()), kpis);
        double Value(string kpi) => kpis.Samples.Single(s => s.Kpi == kpi && s.Dimensions.Count == 0).Value;
        return (Value("licensed_users"), Value("weekly_active_users"), Value("weekly_active_ratio"), Value("api_logins_30d"), Value("api_login_users_30d"));
    }
}
