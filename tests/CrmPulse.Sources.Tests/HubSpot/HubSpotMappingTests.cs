using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Stage metadata, lead conversion, engagement fields and unreadable values, through the fake HubSpot.</summary>
public sealed class HubSpotMappingTests
{
    private static FakeObject Add(FakeHubSpot server, string type, long id, params (string Name, string? Value)[] properties)
    {
        var o = new FakeObject { Id = id, CreatedAt = FakePortal.Start, UpdatedAt = FakePortal.Start };
        o.Properties["createdate"] = FakePortal.Iso(FakePortal.Start);
        o.Properties[type == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate"] = FakePortal.Iso(FakePortal.Start);
        foreach (var (name, value) in properties) o.Properties[name] = value;
        server.Of(type)[id] = o;
        return o;
    }

    [Fact]
    public async Task A_deal_in_a_closed_stage_with_probability_one_is_won_and_knows_when_it_entered_the_stage()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        Add(h.Server, "deals", 7, ("dealstage", "closedwon"), ("pipeline", "default"), ("amount", "1500.50"),
            ("closedate", "2024-09-30T00:00:00Z"), ("hs_date_entered_closedwon", "1727654400000"));

        await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "7");
        Assert.True(deal.IsClosed);   // stage metadata isClosed "true"
        Assert.True(deal.IsWon);      // probability "1.0"
        Assert.Equal(1500.50m, deal.Amount);
        Assert.Equal(new DateOnly(2024, 9, 30), deal.CloseDate);
        Assert.Equal(DateTimeOffset.Parse("2024-09-30T00:00:00Z"), deal.ClosedAt); // no hs_closed_won_date: the close date
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1727654400000), deal.StageEnteredAt);
        var request = h.Server.Requests.First(r => r.Path == "/crm/v3/objects/deals");
        Assert.Contains("hs_date_entered_closedwon", request.Query["properties"]); // one per pipeline stage
    }

    [Fact]
    public async Task A_contact_that_was_a_lead_and_became_an_opportunity_is_a_converted_lead()
    {
        using var h = new HubSpotHarness();
        Add(h.Server, "contacts", 9, ("lifecyclestage", "opportunity"), ("hs_lifecyclestage_lead_date", "2024-02-01T00:00:00Z"),
            ("hs_lifecyclestage_opportunity_date", "2024-03-01T00:00:00Z"), ("hs_lifecyclestage_customer_date", ""),
            ("associatedcompanyid", "12100981203"));
        Add(h.Server, "contacts", 10, ("lifecyclestage", "subscriber"));

        await h.SyncAsync();

        var lead = h.Mirror.Get<Contact>(ObjectKind.Contact, "9");
        Assert.True(lead.IsLead);
        Assert.Equal(DateTimeOffset.Parse("2024-03-01T00:00:00Z"), lead.ConvertedAt); // customer date "" is empty
        Assert.Equal("12100981203", lead.CompanyId);
        var subscriber = h.Mirror.Get<Contact>(ObjectKind.Contact, "10");
        Assert.False(subscriber.IsLead);
        Assert.Null(subscriber.ConvertedAt);
        Assert.Null(subscriber.StageDates);
    }

    [Fact]
    public async Task Lifecycle_stage_dates_give_the_funnel_history_and_the_original_source_the_lead_source()
    {
        using var h = new HubSpotHarness();
        Add(h.Server, "contacts", 11, ("lifecyclestage", "customer"), ("hs_analytics_source", "ORGANIC_SEARCH"),
            ("hs_lifecyclestage_marketingqualifiedlead_date", "2024-01-05T10:00:00Z"), ("hs_lifecyclestage_salesqualifiedlead_date", ""),
            ("hs_lifecyclestage_opportunity_date", "1709251200000"), ("hs_lifecyclestage_customer_date", "2024-04-01T00:00:00.000+02:00"));

        await h.SyncAsync();

        var contact = h.Mirror.Get<Contact>(ObjectKind.Contact, "11");
        Assert.Equal("ORGANIC_SEARCH", contact.LeadSource);
        Assert.Equal(new Dictionary<string, DateTimeOffset>
        {
            ["mql"] = DateTimeOffset.Parse("2024-01-05T10:00:00Z"),
            ["opportunity"] = DateTimeOffset.FromUnixTimeMilliseconds(1709251200000),   // 2024-03-01T00:00Z
            ["won"] = DateTimeOffset.Parse("2024-03-31T22:00:00Z"),
        }, contact.StageDates); // the empty SQL date is no date
        var request = h.Server.Requests.First(r => r.Path == "/crm/v3/objects/contacts");
        Assert.Contains("hs_lifecyclestage_salesqualifiedlead_date", request.Query["properties"]!.Split(','));
        Assert.Contains("hs_analytics_source", request.Query["properties"]!.Split(','));
    }

    [Fact]
    public async Task Engagements_of_every_type_map_their_time_direction_and_completion()
    {
        using var h = new HubSpotHarness();
        Add(h.Server, "calls", 1, ("hs_timestamp", "2024-05-01T09:00:00Z"), ("hs_call_direction", "INBOUND"), ("hubspot_owner_id", "222222"));
        Add(h.Server, "emails", 2, ("hs_timestamp", "2024-05-02T09:00:00Z"), ("hs_email_direction", "EMAIL"));
        Add(h.Server, "meetings", 3, ("hs_timestamp", "2024-05-03T09:00:00Z"));
        Add(h.Server, "notes", 4, ("hs_timestamp", "2024-05-04T09:00:00Z"));
        Add(h.Server, "tasks", 5, ("hs_timestamp", "2024-05-05T09:00:00Z"), ("hs_task_status", "COMPLETED"),
            ("hs_createdate", "2024-04-30T08:00:00Z"));

        await h.SyncAsync();

        var call = h.Mirror.Get<Activity>(ObjectKind.Activity, "1");
        Assert.Equal((ActivityType.Call, "inbound", "222222"), (call.Type, call.Direction, call.OwnerId));
        Assert.Equal(DateTimeOffset.Parse("2024-05-01T09:00:00Z"), call.OccurredAt);
        Assert.Equal((ActivityType.Email, "outbound"), (h.Mirror.Get<Activity>(ObjectKind.Activity, "2").Type, h.Mirror.Get<Activity>(ObjectKind.Activity, "2").Direction));
        Assert.Equal(ActivityType.Meeting, h.Mirror.Get<Activity>(ObjectKind.Activity, "3").Type);
        Assert.Equal(ActivityType.Note, h.Mirror.Get<Activity>(ObjectKind.Activity, "4").Type);
        var task = h.Mirror.Get<Activity>(ObjectKind.Activity, "5");
        Assert.True(task.Completed);
        Assert.Equal(DateTimeOffset.Parse("2024-05-05T09:00:00Z"), task.DueAt);
        Assert.Equal(DateTimeOffset.Parse("2024-04-30T08:00:00Z"), task.OccurredAt);
    }

    [Fact]
    public async Task An_unreadable_value_is_a_notice_naming_the_record_and_property_and_the_record_is_kept()
    {
        using var h = new HubSpotHarness();
        Add(h.Server, "deals", 8, ("amount", "about 3k"), ("dealname", "Odd"));

        var changes = await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "8");
        Assert.Null(deal.Amount);
        Assert.Equal("Odd", deal.Name);
        var problem = Assert.Single(changes.Notices);
        Assert.Equal("deals/8: column 'amount': 'about 3k' is not a valid number; left empty.", problem.ToString());
    }

    [Fact]
    public async Task A_server_that_ignores_inline_associations_gets_them_from_v4_batches()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Server.IgnoreInlineAssociations = true;

        await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "21917278677");
        Assert.Equal("18785867255", deal.CompanyId);
        Assert.Equal("151", deal.ContactId);
        Assert.Equal("22983893905", h.Mirror.Get<Activity>(ObjectKind.Activity, "61975492369").DealId);
    }

    [Fact]
    public async Task An_object_type_the_portal_does_not_offer_is_skipped_with_a_notice_and_tried_again_next_time()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Server.Fault = r => r.Path == "/crm/v3/objects/meetings"
            ? new FakeResponse(404, """{"status":"error","message":"Unable to infer object type from: meetings","category":"OBJECT_NOT_FOUND"}""")
            : null;

        var changes = await h.SyncAsync();

        Assert.Contains(changes.Notices, p => p.Location == "/crm/v3/objects/meetings" && p.Reason.Contains("skipped"));
        Assert.False(h.Mirror.Watermarks.ContainsKey("hubspot:meetings"));
        Assert.DoesNotContain(ObjectKind.Activity, changes.CompleteKinds); // meetings were not read: keep stored ones
        Assert.Equal(6, h.Mirror.All<Contact>().Count());
    }
}
