using System.Text.Json;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>
/// Payload variations HubSpot's public documentation allows, served verbatim: timestamps with and without
/// milliseconds or as epoch milliseconds, numbers with decimals and exponents, "" as empty, propertiesWithHistory,
/// embedded associations, unknown fields, paging links, archivedAt, sparse users and owners with several teams.
/// </summary>
public sealed class HubSpotPayloadVariationTests
{
    /// <summary>Answers the live listing of <paramref name="type"/> with <paramref name="pages"/> (by its "after" cursor, null first).</summary>
    private static void ServeList(HubSpotHarness h, string type, Dictionary<string, string> pages, string? archived = null)
    {
        h.Server.Fault = r =>
        {
            if (r.Method != "GET" || r.Path != $"/crm/v3/objects/{type}") return null;
            if (r.Query["archived"] == "true") return archived is null ? null : new FakeResponse(200, archived);
            return new FakeResponse(200, pages[r.Query["after"] ?? ""]);
        };
    }

    private static IEnumerable<JsonElement> Results(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("results").EnumerateArray().ToList();

    [Fact]
    public async Task Timestamps_with_and_without_milliseconds_offsets_and_epoch_milliseconds_are_read_exactly()
    {
        using var h = new HubSpotHarness();
        ServeList(h, "contacts", new()
        {
            [""] = """
                {"results":[{"id":"101","archived":false,"createdAt":"2024-03-05T10:20:30Z","updatedAt":"2024-03-06T10:20:30.5Z",
                  "properties":{"hs_object_id":"101","createdate":"2024-03-05T10:20:30Z","lastmodifieddate":"2024-03-06T10:20:30.5Z",
                    "lifecyclestage":"customer","hs_lifecyclestage_lead_date":"1709634030000",
                    "hs_lifecyclestage_opportunity_date":"","hs_lifecyclestage_customer_date":"2024-04-01T00:00:00.000+02:00"}}]}
                """,
        });

        var changes = await h.SyncAsync();

        var c = h.Mirror.Get<Contact>(ObjectKind.Contact, "101");
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 10, 20, 30, TimeSpan.Zero), c.CreatedAt);                 // no milliseconds
        Assert.Equal(new DateTimeOffset(2024, 3, 6, 10, 20, 30, 500, TimeSpan.Zero), c.ModifiedAt);          // ".5" = 500 ms
        Assert.True(c.IsLead);                                                                              // lead date 1709634030000 = 2024-03-05T10:20:30Z
        Assert.Equal(new DateTimeOffset(2024, 3, 31, 22, 0, 0, TimeSpan.Zero), c.ConvertedAt);               // 00:00 at +02:00; "" opportunity date is empty
        Assert.Equal("1709720430500", h.Mirror.Watermarks["hubspot:contacts"]);                              // 2024-03-06T10:20:30.500Z
        Assert.Empty(changes.Problems);
    }

    [Fact]
    public async Task Date_properties_as_midnight_epoch_milliseconds_and_numbers_with_exponents_map_exactly()
    {
        using var h = new HubSpotHarness();
        h.Server.DealPipelines = HubSpotHarness.DealPipeline;
        ServeList(h, "deals", new()
        {
            [""] = """
                {"results":[{"id":"501","archived":false,"createdAt":"2024-08-01T09:00:00Z","updatedAt":"2024-10-01T09:00:00Z",
                  "properties":{"hs_object_id":"501","createdate":"2024-08-01T09:00:00Z","hs_lastmodifieddate":"2024-10-01T09:00:00Z",
                    "dealstage":"closedwon","pipeline":"default","amount":"1.5E3","closedate":"1727654400000",
                    "hs_is_closed":"true","hs_is_closed_won":"true","hs_is_closed_lost":"false","hs_closed_won_date":"2024-09-30T15:45:00Z",
                    "hs_v2_date_entered_current_stage":"2024-09-01T08:00:00.123456Z","closed_lost_reason":""}},
                 {"id":"502","archived":false,"createdAt":"2024-08-01T09:00:00Z","updatedAt":"2024-10-01T09:00:00Z",
                  "properties":{"hs_object_id":"502","createdate":"2024-08-01T09:00:00Z","hs_lastmodifieddate":"2024-10-01T09:00:00Z",
                    "dealstage":"appointmentscheduled","amount":"-2.50","closedate":"2024-12-31","hs_is_closed":"false",
                    "hs_is_closed_won":"false","hs_is_closed_lost":"false"}}]}
                """,
        });

        var changes = await h.SyncAsync();

        var won = h.Mirror.Get<Deal>(ObjectKind.Deal, "501");
        Assert.Equal(1500m, won.Amount);                                                    // "1.5E3"
        Assert.Equal(new DateOnly(2024, 9, 30), won.CloseDate);                             // 1727654400000 = 2024-09-30T00:00Z
        Assert.Equal((true, true), (won.IsClosed, won.IsWon));
        Assert.Equal(new DateTimeOffset(2024, 9, 30, 15, 45, 0, TimeSpan.Zero), won.ClosedAt); // the won date, not the close date
        Assert.Equal(new DateTimeOffset(2024, 9, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), won.StageEnteredAt); // microseconds kept
        Assert.Null(won.LostReason);                                                        // "" is empty
        var open = h.Mirror.Get<Deal>(ObjectKind.Deal, "502");
        Assert.Equal(-2.50m, open.Amount);
        Assert.Equal("default", open.Pipeline);                                             // no pipeline property: the stage's
        Assert.Equal(new DateOnly(2024, 12, 31), open.CloseDate);
        Assert.Equal((false, false, null), (open.IsClosed, open.IsWon, open.ClosedAt));
        Assert.Empty(changes.Problems);
    }

    [Fact]
    public async Task Custom_properties_are_converted_by_type_from_each_documented_form()
    {
        using var h = new HubSpotHarness();
        h.Options.CustomFields["contact"] = ["renewal_date", "last_review", "seats", "ratio", "is_partner", "region", "employees"];
        h.Server.PropertyDefinitions["contacts"] = """
            {"results":[
              {"name":"renewal_date","label":"Renewal","type":"date","fieldType":"date","hubspotDefined":false},
              {"name":"last_review","label":"Last review","type":"datetime","fieldType":"date"},
              {"name":"seats","label":"Seats","type":"number","fieldType":"number"},
              {"name":"ratio","label":"Ratio","type":"number","fieldType":"number"},
              {"name":"is_partner","label":"Partner","type":"bool","fieldType":"booleancheckbox","options":[{"label":"Yes","value":"true"},{"label":"No","value":"false"}]},
              {"name":"region","label":"Region","type":"enumeration","fieldType":"select","options":[]},
              {"name":"employees","label":"Employees","type":"number","fieldType":"number"}]}
            """;
        ServeList(h, "contacts", new()
        {
            [""] = """
                {"results":[{"id":"7","archived":false,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z",
                  "properties":{"hs_object_id":"7","createdate":"2024-01-01T00:00:00Z","lastmodifieddate":"2024-01-01T00:00:00Z",
                    "renewal_date":"1735689600000","last_review":"2024-06-30T12:00:00Z","seats":"1.2e1","ratio":"2.50",
                    "is_partner":"TRUE","region":"","employees":250}}]}
                """,
        });

        await h.SyncAsync();

        var custom = h.Mirror.Get<Contact>(ObjectKind.Contact, "7").Custom;
        Assert.Equal("2025-01-01", custom["renewal_date"]);            // 1735689600000 = 2025-01-01T00:00Z
        Assert.Equal("2024-06-30T12:00:00.000Z", custom["last_review"]);
        Assert.Equal("12", custom["seats"]);                           // "1.2e1"
        Assert.Equal("2.50", custom["ratio"]);
        Assert.Equal("true", custom["is_partner"]);
        Assert.Null(custom["region"]);                                 // "" is empty
        Assert.Equal("250", custom["employees"]);                      // a raw JSON number instead of a string
    }

    [Fact]
    public async Task Unknown_fields_history_embedded_associations_and_paging_links_do_not_change_the_records()
    {
        using var h = new HubSpotHarness();
        ServeList(h, "contacts", new()
        {
            [""] = """
                {"total":2,"objectWriteTraceId":"t-1","results":[{"id":"201","archived":false,"url":"https://app.hubspot.com/contacts/62515/record/0-1/201",
                  "createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-02-01T00:00:00Z","unknownBlock":{"nested":[1,2,3]},
                  "properties":{"hs_object_id":"201","createdate":"2024-01-01T00:00:00Z","lastmodifieddate":"2024-02-01T00:00:00Z","firstname":"Grace","email":"grace@example.com"},
                  "propertiesWithHistory":{"firstname":[{"value":"Grace","timestamp":"2024-02-01T00:00:00Z","sourceType":"CRM_UI","sourceId":"userId:7001","updatedByUserId":7001},
                                                       {"value":"G.","timestamp":"2024-01-01T00:00:00Z","sourceType":"IMPORT"}]},
                  "associations":{"companies":{"results":[{"id":"5001","type":"contact_to_company"},{"id":"5001","type":"contact_to_company_unlabeled"}]}}}],
                 "paging":{"next":{"after":"page2","link":"https://api.hubapi.com/crm/v3/objects/contacts?after=page2"}}}
                """,
            ["page2"] = """
                {"results":[{"id":"202","archived":false,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-05T00:00:00Z",
                  "properties":{"hs_object_id":"202","createdate":"2024-01-01T00:00:00Z","lastmodifieddate":"2024-01-05T00:00:00Z","firstname":""},
                  "associations":{}}]}
                """,
        });

        var changes = await h.SyncAsync();

        var grace = h.Mirror.Get<Contact>(ObjectKind.Contact, "201");
        Assert.Equal(("Grace", "grace@example.com", "5001"), (grace.FirstName, grace.Email, grace.CompanyId)); // the current value, not the history
        var other = h.Mirror.Get<Contact>(ObjectKind.Contact, "202");
        Assert.Equal(((string?)null, (string?)null), (other.FirstName, other.CompanyId));
        Assert.Equal(2, changes.Contacts.Count);
        Assert.Equal(2, h.Server.Count(r => r.Path == "/crm/v3/objects/contacts" && r.Query["archived"] == "false"));
        Assert.Equal(0, h.Server.Count(r => r.Path == "/crm/v4/associations/contacts/companies/batch/read")); // embedded ones were used
    }

    [Fact]
    public async Task An_embedded_primary_company_comes_first_even_when_listed_after_an_unlabeled_one()
    {
        using var h = new HubSpotHarness();
        ServeList(h, "deals", new()
        {
            [""] = """
                {"results":[{"id":"601","properties":{"hs_lastmodifieddate":"2024-01-01T00:00:00Z","dealname":"Two companies"},
                  "associations":{
                    "companies":{"results":[{"id":"8001","type":"deal_to_company_unlabeled"},{"id":"8002","type":"deal_to_company"},
                                            {"id":"8002","type":"deal_to_company_unlabeled"}]},
                    "contacts":{"results":[{"id":"9001","type":"deal_to_contact"}]}}}]}
                """,
        });

        await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "601");
        Assert.Equal(("8002", "9001"), (deal.CompanyId, deal.ContactId)); // deal_to_company is the primary (v4 typeId 5)
    }

    [Fact]
    public async Task A_paging_link_without_an_after_cursor_is_followed_by_its_after_parameter()
    {
        using var h = new HubSpotHarness();
        ServeList(h, "contacts", new()
        {
            [""] = """
                {"results":[{"id":"1","properties":{"lastmodifieddate":"2024-01-01T00:00:00Z"}}],
                 "paging":{"next":{"link":"https://api.hubapi.com/crm/v3/objects/contacts?limit=100&after=NTI1Cg%3D%3D&archived=false"}}}
                """,
            ["NTI1Cg=="] = """{"results":[{"id":"2","properties":{"lastmodifieddate":"2024-01-02T00:00:00Z"}}]}""",
        });

        await h.SyncAsync();

        Assert.Equal(["1", "2"], h.Mirror.All<Contact>().Select(c => c.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_record_without_an_id_member_is_named_by_its_hs_object_id_property()
    {
        using var h = new HubSpotHarness();
        ServeList(h, "contacts", new()
        {
            [""] = """{"results":[{"properties":{"hs_object_id":"4242","lastmodifieddate":"2024-01-01T00:00:00Z","firstname":"Noid"}}]}""",
        });

        await h.SyncAsync();

        Assert.Equal("Noid", h.Mirror.Get<Contact>(ObjectKind.Contact, "4242").FirstName);
    }

    [Fact]
    public async Task Without_create_and_modify_properties_the_records_createdAt_and_updatedAt_members_are_used()
    {
        using var h = new HubSpotHarness();
        ServeList(h, "notes", new()
        {
            [""] = """
                {"results":[{"id":"77","createdAt":"2024-02-01T10:00:00Z","updatedAt":"2024-02-03T10:00:00.250Z","archived":false,
                  "properties":{"hs_object_id":"77","hs_createdate":null,"hs_lastmodifieddate":"","hs_timestamp":null}}]}
                """,
        });

        await h.SyncAsync();

        var note = h.Mirror.Get<Activity>(ObjectKind.Activity, "77");
        var created = new DateTimeOffset(2024, 2, 1, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal((created, created), (note.CreatedAt, note.OccurredAt)); // no hs_timestamp: it happened when created
        Assert.Equal(new DateTimeOffset(2024, 2, 3, 10, 0, 0, 250, TimeSpan.Zero), note.ModifiedAt);
        Assert.Equal("1706954400250", h.Mirror.Watermarks["hubspot:notes"]); // from updatedAt, 2024-02-03T10:00:00.250Z
    }

    [Fact]
    public async Task Archived_records_with_archivedAt_with_or_without_milliseconds_are_deleted_once()
    {
        using var h = new HubSpotHarness();
        var live = new Dictionary<string, string> { [""] = """{"results":[{"id":"1","properties":{"lastmodifieddate":"2024-01-01T00:00:00Z"}}]}""" };
        ServeList(h, "contacts", live, archived: """
            {"results":[{"id":"301","properties":{"hs_object_id":"301"},"archived":true,"archivedAt":"2024-05-01T00:00:00Z",
              "createdAt":"2023-01-01T00:00:00Z","updatedAt":"2024-05-01T00:00:00Z"}]}
            """);
        var first = await h.SyncAsync();
        Assert.Equal([(ObjectKind.Contact, "301")], first.Deletions);
        Assert.Equal("1714521600000", h.Mirror.Watermarks["hubspot:contacts:archived"]); // 2024-05-01T00:00Z

        ServeList(h, "contacts", live, archived: """
            {"results":[{"id":"301","archived":true,"archivedAt":"2024-05-01T00:00:00Z"},
                        {"id":"302","archived":true,"archivedAt":"2024-06-01T08:00:00.25Z","propertiesWithHistory":{}}]}
            """);
        var second = await h.SyncAsync();

        Assert.Equal([(ObjectKind.Contact, "302")], second.Deletions); // 301 was archived before the watermark
        Assert.Equal("1717228800250", h.Mirror.Watermarks["hubspot:contacts:archived"]); // 2024-06-01T08:00:00.250Z
    }

    [Fact]
    public async Task Owners_with_several_teams_take_the_primary_and_sparse_owners_users_and_logins_are_kept()
    {
        using var h = new HubSpotHarness();
        h.Server.Owners.AddRange(Results("""
            {"results":[
              {"id":"901","email":"lin@example.com","firstName":"Lin","lastName":"Wu","type":"PERSON","userId":7001,"userIdIncludingInactive":7001,
               "createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z","archived":false,
               "teams":[{"id":"1","name":"EMEA","primary":false},{"id":"2","name":"Enterprise","primary":true},{"id":"3","name":"Partners"}]},
              {"id":"902","email":"sam@example.com","firstName":"","lastName":"","type":"PERSON",
               "createdAt":"2024-02-01T00:00:00.000Z","updatedAt":"2024-02-01T00:00:00Z","archived":false},
              {"id":"903","email":"support@example.com","firstName":"Support","type":"QUEUE","archived":false,"teams":[]}]}
            """));
        h.Server.Users.AddRange(Results("""
            {"results":[
              {"id":"7001","email":"lin@example.com","roleIds":["1"],"primaryTeamId":"2","superAdmin":false},
              {"id":"7002","email":"kim@example.com","firstName":"Kim","superAdmin":"false"},
              {"id":"7003","email":"sam@example.com","roleIds":[],"secondaryTeamIds":[]},
              {"id":"7004","email":"ops@example.com","firstName":"Ops","superAdmin":"true"}]}
            """));
        h.Server.Logins.AddRange(Results("""
            {"results":[
              {"id":"l1","userId":7001,"email":"lin@example.com","loginAt":"2024-10-30T08:00:00Z","loginSucceeded":true,"ipAddress":"203.0.113.9","countryCode":"us"},
              {"id":"l2","userId":"7002","loginAt":"1730275200000","loginSucceeded":"false"},
              {"id":"l3","email":"nobody@example.com","loginAt":"2024-10-30T08:00:00Z","loginSucceeded":true}]}
            """));

        await h.SyncAsync();

        var users = h.Mirror.All<CrmUser>().OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([
            new CrmUser("901", "Lin Wu", "lin@example.com", "Enterprise", true, false, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), IsAdmin: false),
            // No userId, no teams, empty names: named by e-mail; its settings user 7003 is the same person (same e-mail),
            // whose missing superAdmin means no super admin.
            new CrmUser("902", "sam@example.com", "sam@example.com", null, true, false, new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), IsAdmin: false),
            // A queue is no settings user: whether it is an administrator is unknown.
            new CrmUser("903", "Support", "support@example.com", null, true, true),
            // A seat without owner record, roleId or primaryTeamId; superAdmin as a string.
            new CrmUser("user:7002", "Kim", "kim@example.com", null, true, false, IsAdmin: false),
            new CrmUser("user:7004", "Ops", "ops@example.com", null, true, false, IsAdmin: true, Profile: "Super Admin"),
        ], users);
        var logins = h.Mirror.All<LoginEvent>().OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
        Assert.Equal([
            new LoginEvent("l1", "901", new DateTimeOffset(2024, 10, 30, 8, 0, 0, TimeSpan.Zero), true),
            new LoginEvent("l2", "user:7002", DateTimeOffset.FromUnixTimeMilliseconds(1730275200000), false), // 2024-10-30T08:00Z
        ], logins); // l3 has no userId: it cannot be attributed
    }
}
