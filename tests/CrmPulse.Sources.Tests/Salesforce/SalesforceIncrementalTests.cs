using CrmPulse.Core.Model;
using static CrmPulse.Sources.Tests.Salesforce.FakeOrg;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>Incremental pulls on SystemModstamp, deletions through getDeleted, the full resync, converted leads.</summary>
public sealed class SalesforceIncrementalTests
{
    /// <summary>5 contacts (modified Start + 0..4 minutes), a user and a task, synced once at 2024-11-01 12:00.</summary>
    private static async Task<SalesforceHarness> SyncedOrgAsync()
    {
        var h = new SalesforceHarness();
        h.Options.Overlap = TimeSpan.FromMinutes(1);
        h.Server.Add("User", User(1, "Ada Admin"));
        AddContacts(h.Server, 5, i => Start.AddMinutes(i));
        h.Server.Add("Task", Row(Id("00T", 1), Start, ("TaskSubtype", "Task"), ("OwnerId", Id("005", 1))));
        await h.SyncAsync();
        return h;
    }

    [Fact]
    public async Task An_incremental_pull_asks_for_rows_from_the_watermark_less_the_overlap_and_gets_each_once()
    {
        using var h = await SyncedOrgAsync();
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Touch("Contact", Id("003", 2), h.Clock.Now.AddMinutes(-10), "FirstName", "Changed");
        h.Server.Requests.Clear();

        var changes = await h.SyncAsync();

        // Watermark Start + 4 min (contact 5), less the 1-minute overlap: contacts 4 and 5 again, and contact 2.
        var query = Assert.Single(h.Server.Requests, r => r.Query["q"]?.Contains("FROM Contact WHERE", StringComparison.Ordinal) == true);
        Assert.Contains("WHERE SystemModstamp >= 2024-10-01T00:03:00Z ORDER BY SystemModstamp, Id", query.Query["q"]);
        Assert.Equal([Id("003", 2), Id("003", 4), Id("003", 5)], changes.Contacts.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal("Changed", h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 2)).FirstName);
        Assert.Equal(5, h.Mirror.All<Contact>().Count());
        Assert.Equal("2024-11-01T12:50:00.000Z", h.Mirror.Watermarks["salesforce:Contact"]);
    }

    [Fact]
    public async Task Deletions_reported_by_getDeleted_leave_the_mirror()
    {
        using var h = await SyncedOrgAsync();
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Delete("Contact", Id("003", 3), h.Clock.Now.AddMinutes(-5));
        h.Server.Delete("Task", Id("00T", 1), h.Clock.Now.AddMinutes(-5));

        var changes = await h.SyncAsync();

        Assert.Equal([(ObjectKind.Contact, Id("003", 3)), (ObjectKind.Activity, Id("00T", 1))], changes.Deletions);
        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Contact, Id("003", 3))));
        Assert.Empty(h.Mirror.All<Activity>());
        // One getDeleted per object: Account, Contact, Lead, Opportunity, Task, Event; start = last covered − overlap.
        var deleted = h.Server.Requests.Where(r => r.Path.EndsWith("/deleted/", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, deleted.Count);
        Assert.All(deleted, r => Assert.Equal("2024-11-01T11:59:00+00:00", r.Query["start"]));
        Assert.Equal("2024-11-01T13:00:00.000Z", h.Mirror.Watermarks["salesforce:Contact:deleted"]); // latestDateCovered
    }

    [Fact]
    public async Task A_row_deleted_and_restored_since_the_last_sync_stays()
    {
        using var h = await SyncedOrgAsync();
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Delete("Contact", Id("003", 3), h.Clock.Now.AddMinutes(-20));
        // Restored from the recycle bin: live again, with a new SystemModstamp; getDeleted still lists the deletion.
        var row = h.Server.RecycleBin["Contact"][Id("003", 3)];
        h.Server.RecycleBin["Contact"].Remove(Id("003", 3));
        row["IsDeleted"] = false;
        h.Server.Add("Contact", row);
        h.Server.Touch("Contact", Id("003", 3), h.Clock.Now.AddMinutes(-10), "LastName", "Restored");

        var changes = await h.SyncAsync();

        Assert.Empty(changes.Deletions);
        Assert.Equal("Restored", h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 3)).LastName);
    }

    [Fact]
    public async Task A_watermark_older_than_the_deletion_window_makes_a_full_resync_that_says_why()
    {
        using var h = await SyncedOrgAsync();
        h.Server.Delete("Contact", Id("003", 3), h.Clock.Now.AddDays(1));
        h.Clock.Now = h.Clock.Now.AddDays(31); // getDeleted would refuse a start 31 days back

        var changes = await h.SyncAsync();

        Assert.Equal(0, h.Server.Count(r => r.Path.EndsWith("/deleted/", StringComparison.Ordinal)));
        var contactProblem = Assert.Single(changes.Notices, p => p.Location == "Contact");
        Assert.Equal("Contact: deletions were last read up to 2024-11-01T12:00:00.000Z, more than DeletionWindow (30 days) ago, and Salesforce " +
            "reports deletions only that long: every Contact and Lead record was read again (full resync), and records no longer there are removed.",
            contactProblem.ToString());
        Assert.Equal(4, changes.Notices.Count); // Account, Contact (with Lead), Opportunity, Task (with Event)
        Assert.Contains(ObjectKind.Contact, changes.CompleteKinds);
        Assert.Equal(4, h.Mirror.All<Contact>().Count()); // contact 3 is gone although its deletion was never reported
    }

    [Fact]
    public async Task A_converted_lead_and_its_contact_are_one_person_in_the_mirror_through_later_changes()
    {
        using var h = await SyncedOrgAsync();
        var lead = Id("00Q", 1);
        h.Clock.Now = h.Clock.Now.AddHours(1);
        // Created at Start in the lead's own history; its row was stamped 10 minutes ago.
        h.Server.Add("Lead", Row(lead, h.Clock.Now.AddMinutes(-10), ("Status", "Open"), ("IsConverted", false), ("LastName", "Lovelace"), ("OwnerId", Id("005", 1))));
        await h.SyncAsync();
        Assert.True(h.Mirror.Get<Contact>(ObjectKind.Contact, lead).IsLead);

        // Conversion: a new contact 9, and the lead points at it.
        h.Clock.Now = h.Clock.Now.AddHours(1);
        var converted = h.Clock.Now.AddMinutes(-30);
        h.Server.Add("Contact", Row(Id("003", 9), converted, ("LastName", "Lovelace"), ("CreatedDate", FakeSalesforce.Sf(converted))));
        h.Server.Touch("Lead", lead, converted, "IsConverted", true);
        h.Server.Of("Lead")[lead]["ConvertedDate"] = "2024-11-01";
        h.Server.Of("Lead")[lead]["ConvertedContactId"] = Id("003", 9);
        h.Server.Of("Lead")[lead]["Status"] = "Qualified";
        await h.SyncAsync();

        Assert.False(h.Mirror.Records.ContainsKey((ObjectKind.Contact, lead)));
        var person = h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 9));
        Assert.True(person.IsLead);
        Assert.Equal(Start, person.CreatedAt); // when the lead came in
        Assert.Equal(new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero), person.ConvertedAt);
        Assert.Equal("Qualified", person.LeadStatus);
        Assert.Equal(6, h.Mirror.All<Contact>().Count()); // contacts 1–5 and 9: the lead is not counted twice

        // Another lead moves the Lead watermark past the conversion; then the contact changes alone: the lead is looked
        // up by ConvertedContactId, so the lead facts stay.
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Add("Lead", Row(Id("00Q", 2), h.Clock.Now.AddMinutes(-5), ("IsConverted", false)));
        await h.SyncAsync();
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Touch("Contact", Id("003", 9), h.Clock.Now.AddMinutes(-1), "Phone", "+44 20 7946 0000");
        await h.SyncAsync();

        person = h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 9));
        Assert.Equal(("+44 20 7946 0000", true, Start), (person.Phone, person.IsLead, person.CreatedAt));
        Assert.Contains(h.Server.Requests, r => r.Query["q"]?.Contains($"FROM Lead WHERE ConvertedContactId IN ('{Id("003", 9)}')", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_server_without_IN_is_asked_one_id_at_a_time_for_the_lead_of_a_changed_contact()
    {
        using var h = await SyncedOrgAsync();
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Add("Lead", Row(Id("00Q", 1), h.Clock.Now.AddMinutes(-50), ("IsConverted", true), ("ConvertedDate", "2024-11-01"),
            ("ConvertedContactId", Id("003", 1)), ("CreatedDate", FakeSalesforce.Sf(Start.AddDays(-3)))));
        h.Server.Add("Lead", Row(Id("00Q", 2), h.Clock.Now.AddMinutes(-40), ("IsConverted", false)));
        await h.SyncAsync(); // the conversion is read; the Lead watermark moves past it with lead 2
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Touch("Contact", Id("003", 1), h.Clock.Now.AddMinutes(-5), "Phone", "+1 555 0100");
        h.Server.Touch("Contact", Id("003", 2), h.Clock.Now.AddMinutes(-4), "Phone", "+1 555 0101");
        h.Server.Fault = r => r.Query["q"]?.Contains(" IN (", StringComparison.Ordinal) == true
            ? new FakeResponse(400, """[{"message":"unexpected token: 'IN'","errorCode":"MALFORMED_QUERY"}]""")
            : null;
        h.Server.Requests.Clear();

        var changes = await h.SyncAsync();

        // One refused IN, then one "=" query per contact read: 1 and 2, and 4 and 5 again (the Contact watermark is still
        // contact 5's Start + 4 min, less the 1-minute overlap).
        Assert.Equal(1, h.Server.Count(r => r.Query["q"]?.Contains("FROM Lead WHERE ConvertedContactId IN (", StringComparison.Ordinal) == true));
        Assert.Equal(4, h.Server.Count(r => r.Query["q"]?.Contains("FROM Lead WHERE ConvertedContactId = ", StringComparison.Ordinal) == true));
        var person = h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 1));
        Assert.Equal(("+1 555 0100", true, Start.AddDays(-3)), (person.Phone, person.IsLead, person.CreatedAt));
        Assert.Empty(changes.Problems);
    }

    [Fact]
    public async Task A_lead_converted_before_the_first_sync_is_folded_into_its_contact()
    {
        using var h = new SalesforceHarness();
        AddContacts(h.Server, 2, _ => Start);
        h.Server.Add("Lead", Row(Id("00Q", 1), Start.AddDays(1), ("IsConverted", true), ("ConvertedDate", "2024-10-02"),
            ("ConvertedContactId", Id("003", 2)), ("CreatedDate", FakeSalesforce.Sf(Start.AddDays(-3))), ("LeadSource", "Web")));
        h.Server.Add("Lead", Row(Id("00Q", 2), Start, ("IsConverted", false), ("LeadSource", "Partner Referral")));

        await h.SyncAsync();

        Assert.Equal([Id("003", 1), Id("003", 2), Id("00Q", 2)], h.Mirror.All<Contact>().Select(c => c.Id).Order(StringComparer.Ordinal));
        var person = h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 2));
        Assert.Equal((true, Start.AddDays(-3), new DateTimeOffset(2024, 10, 2, 0, 0, 0, TimeSpan.Zero)), (person.IsLead, person.CreatedAt, person.ConvertedAt));
        // The funnel: a lead is marketing-qualified when it comes in, sales-qualified when converted; its lead source stays.
        Assert.Equal("Web", person.LeadSource);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["mql"] = Start.AddDays(-3), ["sql"] = new(2024, 10, 2, 0, 0, 0, TimeSpan.Zero) }, person.StageDates);
        var open = h.Mirror.Get<Contact>(ObjectKind.Contact, Id("00Q", 2));
        Assert.Equal(("Partner Referral", Start), (open.LeadSource, open.StageDates!.Single(d => d.Key == "mql").Value));
        Assert.Single(open.StageDates!);
        Assert.Null(h.Mirror.Get<Contact>(ObjectKind.Contact, Id("003", 1)).StageDates); // a contact that was never a lead
    }
}
