using CrmPulse.Core.Model;
using Xunit.Abstractions;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Big portals: request counts of a first and an incremental sync, and a bulk job that stamps 20,000 contacts alike.</summary>
public sealed class HubSpotScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Incremental_sync_of_a_100000_contact_portal_costs_a_small_fraction_of_the_first()
    {
        using var h = new HubSpotHarness();
        h.Server.DealPipelines = HubSpotHarness.DealPipeline;
        // Contact i modified at Start + i seconds.
        FakePortal.AddContacts(h.Server, 100_000, i => FakePortal.Start.AddSeconds(i));

        var first = await h.SyncAsync();
        var firstRequests = first.ApiUsage!.Requests;
        // 1% of the contacts change, one every 7th id, after the watermark.
        var later = FakePortal.Start.AddSeconds(100_000);
        for (var i = 0; i < 1_000; i++) FakePortal.Touch(h.Server, "contacts", 1001 + i * 7, later.AddSeconds(i));
        var second = await h.SyncAsync();
        var secondRequests = second.ApiUsage!.Requests;

        output.WriteLine($"first sync: {firstRequests} requests; incremental sync after 1% changed: {secondRequests} requests");
        Assert.Equal(100_000, h.Mirror.All<Contact>().Count());
        Assert.Equal(1_001, second.Contacts.Count); // 1,000 changed + the one at the old watermark (GTE)
        Assert.Equal("Changed", h.Mirror.Get<Contact>(ObjectKind.Contact, (1001 + 999 * 7).ToString()).FirstName);
        // First: 1,000 contact pages of 100 (companies inline) + 7 other listings + 8 archived listings + account
        // details + 2 owner pages (live, archived) + users + pipelines + logins = 1,021.
        Assert.Equal(1_021, firstRequests);
        // Incremental: 1,001 results at 200 per search page = 6 searches + 11 batches of 100 for their companies
        // + 7 empty searches of the other types + 8 archived listings + 2 owner pages + users + pipelines + logins = 37.
        Assert.Equal(37, secondRequests);
        Assert.Equal(6, h.Server.Count(r => r.Path == "/crm/v3/objects/contacts/search"));
        Assert.Equal("5001", h.Mirror.Get<Contact>(ObjectKind.Contact, "1001").CompanyId);
    }

    [Fact]
    public async Task Twenty_thousand_contacts_sharing_one_modification_stamp_sync_completely()
    {
        using var h = new HubSpotHarness();
        FakePortal.AddContacts(h.Server, 5, _ => FakePortal.Start);
        await h.SyncAsync();
        // A bulk import stamps 20,000 contacts with the same millisecond, then one more contact changes later.
        var bulk = FakePortal.Start.AddHours(1);
        FakePortal.AddContacts(h.Server, 20_000, _ => bulk);
        h.Server.Of("contacts")[1001 + 19_999].Properties["lastmodifieddate"] = FakePortal.Iso(bulk.AddSeconds(1));

        var changes = await h.SyncAsync();

        Assert.Equal(20_000, changes.Contacts.Count);
        Assert.Equal(20_000, changes.Contacts.Select(c => c.Id).Distinct().Count());
        Assert.Equal(bulk.AddSeconds(1).ToUnixTimeMilliseconds().ToString(), h.Mirror.Watermarks["hubspot:contacts"]);
        // The stuck stamp was read in id windows: hs_object_id GT <last id>, sorted by hs_object_id.
        var idWindows = h.Server.Requests.Where(r => r.IsSearch && r.Body.Contains("\"hs_object_id\",\"operator\":\"GT\"")).ToList();
        Assert.NotEmpty(idWindows);
        Assert.All(h.Server.Requests.Where(r => r.IsSearch), r => Assert.True(
            !r.Json.TryGetProperty("after", out var a) || int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(a.GetString()!))[2..]) + 200 <= 10_000));
        var third = await h.SyncAsync();
        Assert.Single(third.Contacts); // only the one at the watermark: no loop, nothing skipped
    }
}
