using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

public sealed class ActiveCampaignFirstSyncTests
{
    [Fact]
    public async Task The_first_sync_reads_every_kind_in_the_documented_shapes()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);

        var changes = await h.SyncAsync();

        Assert.Equal(["1", "2", "3"], changes.Users.Select(u => u.Id));
        Assert.Equal(new CrmUser("2", "Bob Seller", "bob@museum.example", null, true, false), changes.Users[1]);
        var acme = changes.Companies.Single(c => c.Id == "1");
        Assert.Equal(("Acme", "acme.example"), (acme.Name, acme.Domain));
        Assert.Null(changes.Companies.Single(c => c.Id == "2").Domain);
        Assert.Equal(5, changes.Contacts.Count);
        var alice = changes.Contacts.Single(c => c.Id == "1");
        Assert.Equal(("Alice", "Smith", "alice@acme.example", "+1 212 555 0100", "1"), (alice.FirstName, alice.LastName, alice.Email, alice.Phone, alice.CompanyId));
        Assert.Equal(SmallOrg.LongAgo, alice.CreatedAt);
        Assert.Equal("1", changes.Contacts.Single(c => c.Id == "5").CompanyId);
        Assert.Null(changes.Contacts.Single(c => c.Id == "3").Email);
        var renewal = changes.Deals.Single(d => d.Id == "1");
        Assert.Equal((12_500m, "1", "2", "2", "1", "1", false, false),
            (renewal.Amount, renewal.Pipeline, renewal.Stage, renewal.OwnerId, renewal.ContactId, renewal.CompanyId, renewal.IsClosed, renewal.IsWon));
        var won = changes.Deals.Single(d => d.Id == "2");
        Assert.True(won.IsClosed && won.IsWon);
        var lost = changes.Deals.Single(d => d.Id == "3");
        Assert.True(lost.IsClosed && !lost.IsWon);
        Assert.Null(lost.CloseDate);
        Assert.Null(lost.ClosedAt);
        var overdue = changes.Activities.Single(a => a.Id == "task:2");
        Assert.Equal((ActivityType.Task, "1", "3", (string?)null, SmallOrg.AsOf.AddDays(-1), false),
            (overdue.Type, overdue.OwnerId, overdue.ContactId, overdue.DealId, overdue.DueAt!.Value, overdue.Completed));
        Assert.True(changes.Activities.Single(a => a.Id == "task:3").Completed);
        var note = changes.Activities.Single(a => a.Id == "note:1");
        Assert.Equal((ActivityType.Note, "2", "1", SmallOrg.AsOf.AddDays(-1)), (note.Type, note.OwnerId, note.DealId, note.CreatedAt));
        Assert.Empty(changes.Logins);
        Assert.Contains(changes.Notices, n => n.Reason.Contains("no login events", StringComparison.Ordinal));
        Assert.Equal("5", h.Mirror.Watermarks["activecampaign:contacts:count"]);
        Assert.Equal("4", h.Mirror.Watermarks["activecampaign:deals:count"]);
    }

    [Fact]
    public async Task Every_request_carries_the_token_and_pages_hold_at_most_100()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        for (var i = 100; i < 350; i++)
            h.Server.Add("contacts", FakeActiveCampaign.Contact(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "P", "Q", $"p{i}@x.example", null, SmallOrg.LongAgo));

        var changes = await h.SyncAsync();

        Assert.Equal(255, changes.Contacts.Count);
        Assert.Equal(255, changes.Contacts.Select(c => c.Id).Distinct().Count());
        Assert.All(h.Server.Requests, r => Assert.True(int.Parse(r.Query["limit"]!, System.Globalization.CultureInfo.InvariantCulture) <= 100));
        // 255 contacts: offsets 0, 100, 200.
        Assert.Equal(["0", "100", "200"], h.Server.Requests.Where(r => r.Path == "/api/3/contacts").Select(r => r.Query["offset"]));
        var usage = changes.ApiUsage!;
        Assert.Equal(h.Server.Requests.Count, usage.Requests);
        Assert.Equal(0, usage.Errors);
    }

    [Fact]
    public async Task Requests_are_paced_under_the_accounts_limit()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        h.Options.RequestsPerSecond = 2;

        await h.SyncAsync();

        // Each wait is what is left of 500 ms since the previous request; the waits never exceed the spacing.
        Assert.NotEmpty(h.Clock.Waits);
        Assert.All(h.Clock.Waits, w => Assert.InRange(w, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void Links_open_the_record_in_the_account_when_AppUrl_is_set()
    {
        using var h = new ActiveCampaignHarness();
        Assert.Null(h.Source.LinkTo("contact", "7"));
        h.Options.AppUrl = "https://museum.activehosted.com/";
        var source = new CrmPulse.Sources.ActiveCampaign.ActiveCampaignSource("ac", h.Options, h.Clock);

        Assert.Equal("https://museum.activehosted.com/app/contacts/7", source.LinkTo("contact", "7")!.ToString());
        Assert.Equal("https://museum.activehosted.com/app/deals/12", source.LinkTo("deal", "12")!.ToString());
        Assert.Equal("https://museum.activehosted.com/app/accounts/3", source.LinkTo("company", "3")!.ToString());
        Assert.Null(source.LinkTo("task", "1"));
    }
}
