using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>The first sync of a portal whose content is the recorded payloads.</summary>
public sealed class HubSpotFirstSyncTests
{
    [Fact]
    public async Task First_sync_maps_recorded_contacts_with_string_typed_values()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();

        var changes = await h.SyncAsync();

        Assert.Equal(6, changes.Contacts.Count); // the recorded last page holds 6 contacts
        var maria = h.Mirror.Get<Contact>(ObjectKind.Contact, "1");
        Assert.Equal("Maria", maria.FirstName);
        Assert.Equal("emailmaria@hubspot.com", maria.Email);
        Assert.Equal(DateTimeOffset.Parse("2022-12-22T08:54:46.103Z"), maria.CreatedAt);
        Assert.Equal(DateTimeOffset.Parse("2023-10-30T00:16:59.063Z"), maria.ModifiedAt);
        Assert.Null(maria.Phone);
    }

    [Fact]
    public async Task Deal_without_stage_but_closed_lost_flag_is_closed_and_lost_with_its_primary_company_and_first_contact()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();

        await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "21917278677");
        Assert.Equal(3m, deal.Amount);                  // "3"
        Assert.True(deal.IsClosed);                      // hs_is_closed null, hs_is_closed_lost "true"
        Assert.False(deal.IsWon);
        Assert.Null(deal.Stage);
        Assert.Equal("18785867255", deal.CompanyId);     // deal_to_company before the _unlabeled duplicates
        Assert.Equal("151", deal.ContactId);
        var empty = h.Mirror.Get<Deal>(ObjectKind.Deal, "20858659050");
        Assert.Null(empty.Amount);                       // null, not 0
        Assert.Null(empty.CompanyId);
    }

    [Fact]
    public async Task Tasks_keep_owner_due_date_and_associations()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();

        await h.SyncAsync();

        var task = h.Mirror.Get<Activity>(ObjectKind.Activity, "61975492369");
        Assert.Equal(ActivityType.Task, task.Type);
        Assert.Equal("902942351", task.OwnerId);
        Assert.Equal(DateTimeOffset.Parse("2024-10-30T03:30:17.883Z"), task.DueAt);
        Assert.Equal(DateTimeOffset.Parse("2024-10-09T12:12:41.095Z"), task.OccurredAt); // logged at hs_createdate
        Assert.Equal("23516293919", task.CompanyId);
        Assert.Equal("22983893905", task.DealId);
        Assert.False(task.Completed);
        Assert.Null(h.Mirror.Get<Activity>(ObjectKind.Activity, "61813111928").OwnerId); // hubspot_owner_id null
    }

    [Fact]
    public async Task Owners_become_users_with_primary_team_and_archived_owners_are_inactive()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();

        await h.SyncAsync();

        var users = h.Mirror.All<CrmUser>().OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        // 3 live owners (2 recorded + the docs one) + 1 archived owner + 1 login-only user: none. The settings users
        // "000000" and "010101" are the owners' userIds 0 and 10101, so they add nobody.
        Assert.Equal(["12345689", "222222", "52550153", "6166860"], users.Select(u => u.Id));
        Assert.False(users.Single(u => u.Id == "52550153").IsActive);
        Assert.True(users.Single(u => u.Id == "222222").IsActive);
        Assert.Equal("West Coast Sales", users.Single(u => u.Id == "6166860").Team); // the primary team
        Assert.Equal("Khaliq Gant", users.Single(u => u.Id == "222222").Name);
        // Super admins from the settings users: "000000" (owner 12345689) is one, "010101" (222222) is not; the docs
        // owner and the archived one are not settings users, so unknown.
        Assert.Equal([("12345689", true), ("222222", false), ("52550153", null), ("6166860", (bool?)null)], users.Select(u => (u.Id, u.IsAdmin)));
        Assert.Equal("Super Admin", users.Single(u => u.Id == "12345689").Profile);
    }

    [Fact]
    public async Task Logins_are_attributed_to_the_owner_of_their_user_id_or_to_the_bare_user()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();

        var changes = await h.SyncAsync();

        var login = Assert.Single(changes.Logins);
        Assert.Equal("5432653", login.Id);
        Assert.Equal("user:876", login.UserId); // user 876 has no owner in this portal
        Assert.True(login.Succeeded);
        Assert.Equal(DateTimeOffset.Parse("2022-04-01T19:36:24.303Z"), login.At);
    }

    [Fact]
    public async Task Listing_pages_follow_the_cursor_and_stop_when_paging_is_absent()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Options.PageSize = 4;

        await h.SyncAsync();

        // 6 contacts at 4 per page: 2 pages; the second has no "paging", so no third request.
        Assert.Equal(2, h.Server.Count(r => r.Path == "/crm/v3/objects/contacts" && r.Query["archived"] == "false"));
        Assert.Equal(6, h.Mirror.All<Contact>().Count());
    }

    [Fact]
    public async Task Api_usage_counts_every_request_and_reads_the_daily_headers()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();

        var changes = await h.SyncAsync();

        var usage = changes.ApiUsage!;
        Assert.Equal(h.Server.Requests.Count, usage.Requests);
        Assert.Equal(0, usage.Errors);
        Assert.Equal(usage.Requests, usage.LatenciesMs.Count);
        Assert.Equal(500_000, usage.DailyLimit);
        Assert.Equal(500_000 - usage.Requests, usage.DailyRemaining); // the fake counts down per request
    }

    [Fact]
    public async Task Deep_links_use_the_portal_id_from_the_account_details()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        Assert.Null(h.Source.LinkTo("contact", "51")); // unknown before the first pull

        await h.SyncAsync();

        Assert.Equal(new Uri("https://app.hubspot.com/contacts/62515/record/0-1/51"), h.Source.LinkTo("contact", "51"));
        Assert.Equal(new Uri("https://app.hubspot.com/contacts/62515/record/0-2/12100981203"),
            ((Core.Sources.ICrmSource)h.Source).LinkTo("company", "12100981203")); // as the host calls it
        Assert.Equal(new Uri("https://app.hubspot.com/contacts/62515/record/0-3/7"), h.Source.LinkTo("deal", "7"));
        Assert.Null(h.Source.LinkTo("meeting", "7"));
    }

    [Fact]
    public async Task Configured_custom_properties_are_converted_by_their_type_and_unknown_ones_reported()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Options.CustomFields["deal"] = ["days_to_close", "no_such_property"];

        var changes = await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "21917278677");
        Assert.Equal("0", deal.Custom["days_to_close"]); // type number, "0"
        Assert.False(deal.Custom.ContainsKey("no_such_property"));
        var problem = Assert.Single(changes.Notices);
        Assert.Equal("no_such_property", problem.Column);
        Assert.Contains("does not exist on deals", problem.Reason);
    }

    [Fact]
    public async Task A_record_listed_twice_while_paging_is_applied_once_in_its_latest_version()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Options.PageSize = 4;
        // Contact 1 was on the first page; edited meanwhile, it comes again on the last page.
        h.Server.Fault = r => r.Path == "/crm/v3/objects/contacts" && r.Query["archived"] == "false" && r.Query["after"] is not null
            ? new FakeResponse(200, """
                {"results":[
                  {"id":"1","properties":{"firstname":"Mary","lastmodifieddate":"2024-11-01T00:00:00.000Z"},"createdAt":"2022-12-22T08:54:46.103Z","updatedAt":"2024-11-01T00:00:00.000Z","archived":false},
                  {"id":"251","properties":{"firstname":"Khaliq","lastmodifieddate":"2024-07-26T18:45:12.900Z"},"createdAt":"2023-10-25T14:04:18.164Z","updatedAt":"2024-07-26T18:45:12.900Z","archived":false}]}
                """)
            : null;

        var changes = await h.SyncAsync();

        Assert.Equal(["1", "151", "201", "251", "51"], changes.Contacts.Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal("Mary", h.Mirror.Get<Contact>(ObjectKind.Contact, "1").FirstName);
    }
}
