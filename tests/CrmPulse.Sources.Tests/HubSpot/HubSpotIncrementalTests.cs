using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Syncs after the first: search since the watermark, deletions from archived listings, the 10,000 cap.</summary>
public sealed class HubSpotIncrementalTests
{
    private static bool ContactList(FakeRequest r) => r.Path == "/crm/v3/objects/contacts" && r.Query["archived"] == "false";
    private static bool ContactSearch(FakeRequest r) => r.Path == "/crm/v3/objects/contacts/search";

    [Fact]
    public async Task Second_sync_searches_only_records_modified_since_the_watermark()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        await h.SyncAsync();
        Assert.Equal("1722019512900", h.Mirror.Watermarks["hubspot:contacts"]); // 2024-07-26T18:45:12.900Z, the latest contact
        var lists = h.Server.Count(ContactList);
        FakePortal.Touch(h.Server, "contacts", 51, DateTimeOffset.Parse("2024-11-01T10:00:00Z"));

        var changes = await h.SyncAsync();

        Assert.Equal(lists, h.Server.Count(ContactList)); // no new full listing
        // 51 changed; 251 sits exactly at the watermark (GTE re-reads it, so a record written in that same
        // millisecond after the last read is not missed) and is applied again unchanged.
        Assert.Equal(["251", "51"], changes.Contacts.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal("Changed", h.Mirror.Get<Contact>(ObjectKind.Contact, "51").FirstName);
        Assert.Equal("1730455200000", h.Mirror.Watermarks["hubspot:contacts"]); // 2024-11-01T10:00:00Z
        var search = h.Server.Requests.Last(ContactSearch).Json;
        var filter = search.GetProperty("filterGroups")[0].GetProperty("filters")[0];
        Assert.Equal("lastmodifieddate", filter.GetProperty("propertyName").GetString());
        Assert.Equal("GTE", filter.GetProperty("operator").GetString());
        Assert.Equal("1722019512900", filter.GetProperty("value").GetString()); // Overlap 0 in the harness
    }

    [Fact]
    public async Task Overlap_rereads_recent_records_but_applies_each_once()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Options.Overlap = TimeSpan.FromDays(1);
        FakePortal.Touch(h.Server, "contacts", 51, DateTimeOffset.Parse("2024-11-01T10:00:00Z"));
        FakePortal.Touch(h.Server, "contacts", 151, DateTimeOffset.Parse("2024-11-01T00:00:00Z"));
        await h.SyncAsync();
        var before = h.Mirror.Fingerprint();

        var changes = await h.SyncAsync();

        // Within one day before the watermark 2024-11-01T10:00Z: contacts 51 and 151 (00:00), each once; unchanged.
        Assert.Equal(["151", "51"], changes.Contacts.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(before, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task Search_results_get_their_associations_from_v4_batches_with_per_record_paging()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        await h.SyncAsync();
        h.Server.AssociationPageSize = 2; // deal 21917278677 has 3 contacts: two pages for it
        FakePortal.Touch(h.Server, "deals", 21917278677, DateTimeOffset.Parse("2024-11-01T10:00:00Z"), "amount", "12.50");

        await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "21917278677");
        Assert.Equal(12.50m, deal.Amount);
        Assert.Equal("18785867255", deal.CompanyId); // labelled Primary in the v4 answer
        Assert.Equal("151", deal.ContactId);
        Assert.Equal(2, h.Server.Count(r => r.Path == "/crm/v4/associations/deals/contacts/batch/read"));
    }

    [Fact]
    public async Task Archived_records_become_deletions_and_leave_the_mirror()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        await h.SyncAsync();
        h.Server.Of("contacts")[151].ArchivedAt = DateTimeOffset.Parse("2024-11-01T09:00:00Z");

        var changes = await h.SyncAsync();

        Assert.Equal([(ObjectKind.Contact, "151")], changes.Deletions);
        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Contact, "151")));
        Assert.Equal(5, h.Mirror.All<Contact>().Count());

        var again = await h.SyncAsync();
        Assert.Empty(again.Deletions); // archived at the archived watermark (Overlap 0): not sent again
    }

    [Fact]
    public async Task More_than_ten_thousand_changes_are_read_in_time_windows_without_a_400()
    {
        using var h = new HubSpotHarness();
        FakePortal.AddContacts(h.Server, 10, i => FakePortal.Start);
        await h.SyncAsync();
        // 25,000 contacts modified after the watermark, 4 per millisecond.
        FakePortal.AddContacts(h.Server, 25_000, i => FakePortal.Start.AddSeconds(1).AddMilliseconds(i / 4));

        var changes = await h.SyncAsync();

        Assert.Equal(25_000, changes.Contacts.Count);
        Assert.Equal(25_000, changes.Contacts.Select(c => c.Id).Distinct().Count());
        Assert.Equal(25_000, h.Mirror.All<Contact>().Count()); // the 10 first ones were re-created as ids 1001..1010
        Assert.DoesNotContain(h.Server.Requests, r => r.IsSearch && r.Json.TryGetProperty("after", out var a) && a.GetString() is null);
        Assert.Equal(FakePortal.Start.AddSeconds(1).AddMilliseconds(24_999 / 4).ToUnixTimeMilliseconds().ToString(),
            h.Mirror.Watermarks["hubspot:contacts"]);
    }

    [Fact]
    public async Task The_documented_search_response_is_read_and_its_cursor_sent_back_unchanged()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        await h.SyncAsync();
        // HubSpot's docs example: "total", a relative paging link, an opaque url-encoded cursor.
        h.Server.Fault = r => !r.IsSearch || r.Path != "/crm/v3/objects/contacts/search" ? null
            : r.Json.TryGetProperty("after", out var after)
                ? (after.GetString() == "NTI1Cg%3D%3D" ? new FakeResponse(200, """{"total":123,"results":[]}""") : new FakeResponse(400, "{}"))
                : FakeResponse.Recorded(200, "hubspot_crm_v3_objects_search_response_docs.json");

        var changes = await h.SyncAsync();

        var contact = Assert.Single(changes.Contacts);
        Assert.Equal("512", contact.Id);
        Assert.Equal(DateTimeOffset.Parse("2019-12-07T16:50:06.678Z"), contact.ModifiedAt); // no lastmodifieddate: updatedAt
        Assert.Equal(2, h.Server.Count(r => r.Path == "/crm/v3/objects/contacts/search"));
    }
}
