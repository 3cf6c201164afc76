using CrmPulse.Core.Model;
using Xunit.Abstractions;
using static CrmPulse.Sources.Tests.Salesforce.FakeOrg;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>A big org: request counts of a first and an incremental sync.</summary>
public sealed class SalesforceScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_org_of_50000_contacts_and_200000_logins_syncs_and_an_incremental_sync_after_1_percent_changed_makes_few_requests()
    {
        using var h = new SalesforceHarness();
        // The request count is exact: no page of this large fake org may time out and be retried on a loaded machine.
        h.Options.RequestTimeout = TimeSpan.FromMinutes(5);
        for (var u = 1; u <= 20; u++) h.Server.Add("User", User(u, $"User {u}"));
        // Contact i modified at Start + i seconds.
        AddContacts(h.Server, 50_000, i => Start.AddSeconds(i));
        // 200,000 logins over the last 27.8 days (one every 12 s), spread over the 20 users; every 10th is an API login.
        var firstLogin = h.Clock.Now.AddDays(-30);
        var logins = h.Server.Of("LoginHistory");
        for (var i = 0; i < 200_000; i++)
        {
            var login = i % 10 == 0
                ? Login(i + 1, Id("005", 1 + i % 20), firstLogin.AddSeconds(12 * i), "Remote Access 2.0", application: "Data Loader")
                : Login(i + 1, Id("005", 1 + i % 20), firstLogin.AddSeconds(12 * i));
            logins[(string)login["Id"]!] = login;
        }

        var first = await h.SyncAsync();
        var firstRequests = first.ApiUsage!.Requests;

        // An hour later 1% has changed: 500 contacts (every 100th) and 2,000 new logins (1% of 200,000).
        h.Clock.Now = h.Clock.Now.AddHours(1);
        for (var k = 0; k < 500; k++) h.Server.Touch("Contact", Id("003", 1 + k * 100), h.Clock.Now.AddMinutes(-30).AddSeconds(k), "LastName", "Changed");
        for (var i = 0; i < 2_000; i++)
        {
            var login = Login(300_001 + i, Id("005", 1 + i % 20), h.Clock.Now.AddMinutes(-59).AddSeconds(i));
            logins[(string)login["Id"]!] = login;
        }
        var second = await h.SyncAsync();
        var secondRequests = second.ApiUsage!.Requests;

        output.WriteLine($"first sync: {firstRequests} requests; incremental sync after 1% changed: {secondRequests} requests");
        Assert.Equal(50_000, h.Mirror.All<Contact>().Count());
        // 200,000 (the 20,000 API logins among them, not interactive) + 2,000 new human ones.
        Assert.Equal(202_000, h.Mirror.All<LoginEvent>().Count());
        Assert.Equal(20_000, h.Mirror.All<LoginEvent>().Count(l => !l.Interactive));
        Assert.Equal("Changed", h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 49_901)).LastName);
        // First: /limits + User + Account + 25 Contact pages of 2,000 + Lead + Opportunity + Task + Event
        // + 100 LoginHistory pages of 2,000 = 132 (no getDeleted: every object was read in full).
        Assert.Equal(132, firstRequests);
        // Incremental: /limits + User + Account + 1 Contact page (the 500 changed + the one at the watermark)
        // + Lead + Opportunity + Task + Event + 6 getDeleted + 3 Lead lookups of the 501 contacts (200 ids each)
        // + 2 LoginHistory pages (2,000 new + the one at the watermark = 2,001) = 19.
        Assert.Equal(501, second.Contacts.Count);
        Assert.Equal(2_001, second.Logins.Count);
        Assert.Equal(19, secondRequests);
    }
}
