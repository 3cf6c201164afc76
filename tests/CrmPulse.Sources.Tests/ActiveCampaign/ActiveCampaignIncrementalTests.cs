using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

public sealed class ActiveCampaignIncrementalTests
{
    private static readonly DateTimeOffset Later = SmallOrg.AsOf.AddHours(1);

    private static string S(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static int Requests(ActiveCampaignHarness h, string resource) => h.Server.Count(r => r.Path == "/api/3/" + resource);

    /// <summary>The same changes applied to a second account, synced once in full, give the mirror an incremental sync must give.</summary>
    private static async Task<string> FullSyncOf(Action<FakeActiveCampaign> change)
    {
        using var fresh = new ActiveCampaignHarness();
        SmallOrg.Load(fresh.Server);
        change(fresh.Server);
        await fresh.SyncAsync();
        return fresh.Mirror.Fingerprint();
    }

    private static void Changes(FakeActiveCampaign s)
    {
        s.Update("contacts", "2", Later, ("phone", "+44 20 7946 0000"));
        s.Add("contacts", FakeActiveCampaign.Contact("6", "Fay", "New", "fay@globex.example", null, Later));
        s.Update("deals", "1", Later, ("stage", "1"), ("status", "1"));
        s.Add("dealTasks", FakeActiveCampaign.Task("4", "Deal", "1", "1", "1", Later, Later.AddDays(2), done: false));
    }

    [Fact]
    public async Task An_incremental_sync_reads_only_what_changed_and_leaves_the_mirror_a_full_sync_would()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        await h.SyncAsync();
        Changes(h.Server);
        h.Server.Clear();

        var changes = await h.SyncAsync();

        Assert.Equal(["2", "4", "6"], changes.Contacts.Select(c => c.Id).Order());
        Assert.Equal("+44 20 7946 0000", h.Mirror.Get<Contact>(ObjectKind.Contact, "2").Phone);
        Assert.Equal(["1", "4"], changes.Deals.Select(d => d.Id).Order());
        Assert.True(h.Mirror.Get<Deal>(ObjectKind.Deal, "1").IsWon);
        Assert.DoesNotContain(ObjectKind.Contact, changes.CompleteKinds);
        // One page of changes and one total per kind; the filter starts one minute (Overlap) before the watermark.
        Assert.Equal(2, Requests(h, "contacts"));
        Assert.Equal(2, Requests(h, "deals"));
        var filter = h.Server.Requests.First(r => r.Path == "/api/3/contacts").Query["filters[updated_after]"];
        Assert.Equal(SmallOrg.AsOf.AddDays(-2).AddMinutes(-1), DateTimeOffset.Parse(filter!, CultureInfo.InvariantCulture));
        Assert.Equal(await FullSyncOf(Changes), h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task Requests_grow_with_the_changes_not_with_the_size_of_the_account()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        for (var i = 100; i < 1100; i++) h.Server.Add("contacts", FakeActiveCampaign.Contact(S(i), "P", "Q", $"p{i}@x.example", null, SmallOrg.LongAgo));
        for (var i = 100; i < 600; i++) h.Server.Add("deals", FakeActiveCampaign.Deal(S(i), "D", 100, "1", "1", "2", S(i + 500), null, 0, SmallOrg.LongAgo));
        await h.SyncAsync();
        Assert.Equal(11, Requests(h, "contacts"));
        Assert.Equal(6, Requests(h, "deals"));

        var costs = new List<(int Contacts, int Deals)>();
        foreach (var changed in new[] { 0, 3, 150 })
        {
            h.Server.Clear();
            var at = Later.AddHours(costs.Count);
            for (var i = 0; i < changed; i++)
            {
                h.Server.Update("contacts", S(100 + i), at, ("firstName", "Changed"));
                h.Server.Update("deals", S(100 + i), at, ("value", "200"));
            }
            await h.SyncAsync();
            costs.Add((Requests(h, "contacts"), Requests(h, "deals")));
        }

        // Changed pages (ceil(changes / 100), at least one) plus one total request: 1+1, 1+1, 2+1. The 1 005 contacts
        // and 504 deals would cost 11 and 6 requests read whole.
        Assert.Equal([(2, 2), (2, 2), (3, 3)], costs);
        Assert.Equal("Changed", h.Mirror.Get<Contact>(ObjectKind.Contact, "249").FirstName);
        Assert.Equal(2m, h.Mirror.Get<Deal>(ObjectKind.Deal, "249").Amount);
    }

    [Fact]
    public async Task A_deleted_contact_is_found_by_the_count_check_and_leaves_the_mirror()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        await h.SyncAsync();
        // One deleted, one created: the total alone stays 5, the expected count is 6.
        h.Server.Remove("contacts", "3");
        h.Server.Add("contacts", FakeActiveCampaign.Contact("7", "Gil", "Late", "gil@acme.example", null, Later));
        h.Server.Remove("deals", "4");
        h.Server.Clear();

        var changes = await h.SyncAsync();

        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Contact, "3")));
        Assert.True(h.Mirror.Records.ContainsKey((ObjectKind.Contact, "7")));
        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Deal, "4")));
        Assert.Contains(ObjectKind.Contact, changes.CompleteKinds);
        Assert.Contains(changes.Notices, n => n.Location == "/api/3/contacts" && n.Reason.Contains("holds 5 contacts where 6 were expected", StringComparison.Ordinal));
        Assert.Equal("5", h.Mirror.Watermarks["activecampaign:contacts:count"]);
        Assert.Equal("3", h.Mirror.Watermarks["activecampaign:deals:count"]);
        Assert.Equal(await FullSyncOf(s =>
        {
            s.Remove("contacts", "3");
            s.Add("contacts", FakeActiveCampaign.Contact("7", "Gil", "Late", "gil@acme.example", null, Later));
            s.Remove("deals", "4");
        }), h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task Deleted_users_accounts_tasks_and_notes_leave_the_mirror_because_those_kinds_are_read_whole()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        await h.SyncAsync();
        h.Server.Remove("users", "3");
        h.Server.Remove("accounts", "2");
        h.Server.Remove("dealTasks", "3");
        h.Server.Remove("notes", "2");

        await h.SyncAsync();

        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.User, "3")));
        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Company, "2")));
        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Activity, "task:3")));
        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Activity, "note:2")));
        Assert.True(h.Mirror.Records.ContainsKey((ObjectKind.Activity, "task:2")));
    }

    [Fact]
    public async Task A_contact_linked_to_an_account_since_the_last_sync_is_read_again_by_id()
    {
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        await h.SyncAsync();
        h.Server.Add("accountContacts", FakeActiveCampaign.AccountContact("4", "2", "3", Later));
        h.Server.Clear();

        await h.SyncAsync();

        Assert.Equal("2", h.Mirror.Get<Contact>(ObjectKind.Contact, "3").CompanyId);
        var byId = h.Server.Requests.Single(r => r.Path == "/api/3/contacts" && r.Query.GetValues("ids[]") is not null);
        Assert.Equal(["3"], byId.Query.GetValues("ids[]")!);
    }
}
