using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>What the recorded payloads become in the mirror, field by field.</summary>
public sealed class SalesforceMappingTests
{
    // The recorded logins are from 2023-07-23; the first sync reads LoginHistoryDays (90) back from here.
    private static readonly DateTimeOffset RecordedNow = new(2023, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Recorded_users_accounts_and_opportunity_map_field_by_field()
    {
        using var h = new SalesforceHarness(RecordedNow).WithRecordedOrg();

        await h.SyncAsync();

        var users = h.Mirror.All<CrmUser>().OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(["005Hn00000H35JtIAJ", "005Hn00000HVWwsIAH", "005Hn00000HVWwxIAH"], users.Select(u => u.Id));
        Assert.Equal(new CrmUser("005Hn00000H35JtIAJ", "Example User", "user2@example.com", null, true, false), users[0]);

        var nango = h.Mirror.Get<Company>(ObjectKind.Company, "001J6000005uLIoIAM");
        Assert.Equal("Nango", nango.Name);
        Assert.Equal("nango.dev", nango.Domain); // Website https://nango.dev
        Assert.Equal("005J6000001B3C8IAK", nango.OwnerId);
        Assert.Null(nango.Industry);
        Assert.Equal(DateTimeOffset.Parse("2024-10-26T10:53:46Z"), nango.ModifiedAt); // "2024-10-26T10:53:46.000+0000"
        Assert.Equal("example.vom", h.Mirror.Get<Company>(ObjectKind.Company, "001J6000005uM6VIAU").Domain); // https://www.example.vom
        Assert.Null(h.Mirror.Get<Company>(ObjectKind.Company, "001J6000005uM6KIAU").Domain); // Website null

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, "0065f00000UloqVAAR");
        Assert.Equal("Cadinal Inc.-", deal.Name);
        Assert.Equal("Prospecting", deal.Stage);
        Assert.Equal(new DateOnly(2024, 6, 30), deal.CloseDate); // date-only "2024-06-30"
        Assert.Null(deal.Amount);
        Assert.False(deal.IsClosed);
        Assert.False(deal.IsWon);
        Assert.Equal("0015f00002JUX1JAAX", deal.CompanyId);
        Assert.Equal("0055f000005mc66AAA", deal.OwnerId);
        Assert.Null(deal.ContactId);
        // LastStageChangeDate null: still in the stage it was created in.
        Assert.Equal(DateTimeOffset.Parse("2024-04-26T17:49:39Z"), deal.StageEnteredAt);
    }

    [Fact]
    public async Task The_api_login_of_the_recorded_login_history_is_mirrored_as_not_interactive()
    {
        using var h = new SalesforceHarness(RecordedNow).WithRecordedOrg();

        await h.SyncAsync();

        // Row 1: LoginType "Remote Access 2.0", Application "New Connected App" (an API login); row 2: "Application"/Browser.
        var logins = h.Mirror.All<LoginEvent>().ToDictionary(l => l.Interactive);
        Assert.Equal(2, logins.Count);
        Assert.Equal(new LoginEvent("0YaHn0000EUyGkcKQF", "005Hn00000H35JtIAJ", DateTimeOffset.Parse("2023-07-23T16:20:13Z"), true, "Application"), logins[true]);
        Assert.Equal("Remote Access 2.0", logins[false].Kind);
        Assert.Equal(new Sources.Salesforce.SalesforceLoginCounts(1, 0, 1), h.Source.LastLogins);
        Assert.Equal("2023-07-23T16:20:13.000Z", h.Mirror.Watermarks["salesforce:LoginHistory"]);
    }

    [Fact]
    public async Task Deep_links_open_the_record_in_lightning_on_the_instance_host()
    {
        using var h = new SalesforceHarness(RecordedNow).WithRecordedOrg();
        Assert.Null(h.Source.LinkTo("deal", "0065f00000UloqVAAR")); // instance unknown before the first sign-in

        await h.SyncAsync();

        Assert.Equal(new Uri($"{h.Server.BaseUrl}/lightning/r/Opportunity/0065f00000UloqVAAR/view"), h.Source.LinkTo("deal", "0065f00000UloqVAAR"));
        Assert.Equal(new Uri($"{h.Server.BaseUrl}/lightning/r/Lead/00Q000000000001AAA/view"), h.Source.LinkTo("contact", "00Q000000000001AAA"));
        Assert.Equal(new Uri($"{h.Server.BaseUrl}/lightning/r/Account/001J6000005uLIoIAM/view"), h.Source.LinkTo("company", "001J6000005uLIoIAM"));
        Assert.Null(h.Source.LinkTo("ticket", "500J9000005duskIAA"));
    }

    [Fact]
    public async Task Opportunities_tasks_and_events_map_roles_polymorphic_owners_and_who_what_ids()
    {
        using var h = new SalesforceHarness();
        string Sf(string t) => FakeSalesforce.Sf(DateTimeOffset.Parse(t));
        var role = (string contact, bool primary) => (object?)FakeOrg.Row(FakeOrg.Id("00K", primary ? 1 : 2), FakeOrg.Start, ("ContactId", contact), ("IsPrimary", primary));
        h.Server.Add("Opportunity", FakeOrg.Row(FakeOrg.Id("006", 1), FakeOrg.Start, ("StageName", "Closed Won"), ("IsClosed", true), ("IsWon", true),
            ("Amount", 150000m), ("CloseDate", "2024-10-15"), ("LastStageChangeDate", Sf("2024-10-14T09:30:00Z")), ("OwnerId", FakeOrg.Id("005", 1)),
            ("AccountId", FakeOrg.Id("001", 1)), ("ContactId", null),
            ("OpportunityContactRoles", new List<object?> { role(FakeOrg.Id("003", 2), false), role(FakeOrg.Id("003", 1), true) })));
        h.Server.Add("Task", FakeOrg.Row(FakeOrg.Id("00T", 1), FakeOrg.Start, ("TaskSubtype", "Call"), ("CallType", "Inbound"), ("IsClosed", true),
            ("OwnerId", FakeOrg.Id("00G", 1)), ("WhoId", FakeOrg.Id("00Q", 1)), ("WhatId", FakeOrg.Id("006", 1)), ("AccountId", FakeOrg.Id("001", 1)),
            ("CompletedDateTime", Sf("2024-10-02T10:00:00Z"))));
        h.Server.Add("Task", FakeOrg.Row(FakeOrg.Id("00T", 2), FakeOrg.Start, ("TaskSubtype", "Task"), ("ActivityDate", "2024-10-05"), ("IsClosed", false),
            ("OwnerId", FakeOrg.Id("005", 1))));
        h.Server.Add("Event", FakeOrg.Row(FakeOrg.Id("00U", 1), FakeOrg.Start, ("StartDateTime", Sf("2024-10-03T15:00:00Z")), ("OwnerId", FakeOrg.Id("005", 2)),
            ("WhoId", FakeOrg.Id("003", 1)), ("WhatId", FakeOrg.Id("001", 1)), ("AccountId", null)));

        await h.SyncAsync();

        var deal = h.Mirror.Get<Deal>(ObjectKind.Deal, FakeOrg.Id("006", 1));
        Assert.Equal((FakeOrg.Id("003", 1), 150000m, true, true), (deal.ContactId, deal.Amount, deal.IsClosed, deal.IsWon)); // the primary role
        Assert.Equal((new DateOnly(2024, 10, 15), DateTimeOffset.Parse("2024-10-14T09:30:00Z")), (deal.CloseDate, deal.StageEnteredAt));
        // A queue (00G) owns the call: unowned. A lead (00Q) is a contact in the mirror; the opportunity is the deal.
        Assert.Equal(new Activity(FakeOrg.Id("00T", 1), ActivityType.Call, null, DateTimeOffset.Parse("2024-10-02T10:00:00Z"), FakeOrg.Start, FakeOrg.Start,
            FakeOrg.Id("00Q", 1), FakeOrg.Id("001", 1), FakeOrg.Id("006", 1), "inbound", null, true), h.Mirror.Get<Activity>(ObjectKind.Activity, FakeOrg.Id("00T", 1)));
        // A plain task occurs when created; ActivityDate (date-only) is its due date.
        Assert.Equal(new Activity(FakeOrg.Id("00T", 2), ActivityType.Task, FakeOrg.Id("005", 1), FakeOrg.Start, FakeOrg.Start, FakeOrg.Start,
            DueAt: new DateTimeOffset(2024, 10, 5, 0, 0, 0, TimeSpan.Zero)), h.Mirror.Get<Activity>(ObjectKind.Activity, FakeOrg.Id("00T", 2)));
        // An event is a meeting at its start; WhatId names the account when AccountId is empty.
        Assert.Equal(new Activity(FakeOrg.Id("00U", 1), ActivityType.Meeting, FakeOrg.Id("005", 2), DateTimeOffset.Parse("2024-10-03T15:00:00Z"), FakeOrg.Start,
            FakeOrg.Start, FakeOrg.Id("003", 1), FakeOrg.Id("001", 1)), h.Mirror.Get<Activity>(ObjectKind.Activity, FakeOrg.Id("00U", 1)));
    }

    [Fact]
    public async Task Users_are_human_only_when_standard_and_not_on_an_integration_profile_or_licence()
    {
        using var h = new SalesforceHarness();
        h.Server.Add("User", FakeOrg.User(1, "Ada Seller", role: "EMEA Sales"));
        h.Server.Add("User", FakeOrg.User(2, "Automated Process", userType: "AutomatedProcess", role: null));
        h.Server.Add("User", FakeOrg.User(3, "Sync Bot", profile: "Minimum Access - API Only Integrations"));
        h.Server.Add("User", FakeOrg.User(4, "Cloud Integration", license: "Salesforce Integration"));
        h.Server.Add("User", FakeOrg.User(5, "Left Company", active: false, role: null));

        await h.SyncAsync();

        var users = h.Mirror.All<CrmUser>().OrderBy(u => u.Id, StringComparer.Ordinal)
            .Select(u => (u.Name, u.Team, u.IsActive, u.IsIntegration)).ToList();
        Assert.Equal([("Ada Seller", "EMEA Sales", true, false), ("Automated Process", null, true, true), ("Sync Bot", "Sales", true, true),
            ("Cloud Integration", "Sales", true, true), ("Left Company", null, false, false)], users);
    }

    [Fact]
    public async Task Administrators_have_modify_all_data_on_their_profile_or_the_system_administrator_profile()
    {
        using var h = new SalesforceHarness();
        h.Server.Add("User", FakeOrg.User(1, "Ada Seller"));
        h.Server.Add("User", FakeOrg.User(2, "Sam Sysadmin", profile: "System Administrator"));
        h.Server.Add("User", FakeOrg.User(3, "Ops Lead", profile: "Custom: Operations", modifyAllData: true));

        await h.SyncAsync();

        Assert.Equal([("Ada Seller", false, "Standard User"), ("Sam Sysadmin", true, "System Administrator"), ("Ops Lead", true, "Custom: Operations")],
            h.Mirror.All<CrmUser>().OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => (u.Name, u.IsAdmin == true, u.Profile)).ToList());
        Assert.All(h.Mirror.All<CrmUser>(), u => Assert.NotNull(u.IsAdmin));
    }

    [Fact]
    public async Task Without_the_permission_field_only_the_system_administrator_profile_tells_and_the_rest_is_unknown()
    {
        using var h = new SalesforceHarness();
        h.Server.HiddenFields.Add("User.Profile.PermissionsModifyAllData");
        h.Server.Add("User", FakeOrg.User(1, "Ada Seller"));
        h.Server.Add("User", FakeOrg.User(2, "Sam Sysadmin", profile: "System Administrator"));

        var first = await h.SyncAsync();

        Assert.Equal([("User", "Profile.PermissionsModifyAllData")], first.Notices.Select(p => (p.Location, p.Column)));
        Assert.StartsWith("cannot be read (INVALID_FIELD: ", first.Notices[0].Reason);
        var changes = await h.SyncAsync();
        Assert.Equal([null, true], h.Mirror.All<CrmUser>().OrderBy(u => u.Id, StringComparer.Ordinal).Select(u => u.IsAdmin));
        // Only the refused column is left out: the profile's name is still read. The notice came with the first sync.
        Assert.Equal("System Administrator", h.Mirror.All<CrmUser>().Single(u => u.Name == "Sam Sysadmin").Profile);
        Assert.Empty(changes.Notices);
    }

    [Theory]
    [InlineData("2024-09-27T15:18:19.000+0000", "2024-09-27T15:18:19Z")]
    [InlineData("2024-09-27T17:18:19.000+0200", "2024-09-27T15:18:19Z")]
    [InlineData("2024-09-27T15:18:19Z", "2024-09-27T15:18:19Z")]
    [InlineData("2024-09-27T15:18:19.000+00:00", "2024-09-27T15:18:19Z")]
    public void Salesforce_datetimes_parse_with_or_without_a_colon_in_the_offset(string text, string expected)
    {
        Assert.True(Sources.Salesforce.SalesforceValues.TryParseDateTime(text, out var t));
        Assert.Equal(DateTimeOffset.Parse(expected), t);
    }

    [Theory]
    [InlineData("2024-09-27")]
    [InlineData("27/09/2024 15:18")]
    [InlineData("")]
    public void Anything_else_is_not_a_datetime(string text) => Assert.False(Sources.Salesforce.SalesforceValues.TryParseDateTime(text, out _));

    [Fact]
    public async Task An_unreadable_value_is_a_notice_naming_record_and_field_and_the_record_is_kept()
    {
        using var h = new SalesforceHarness();
        h.Server.Add("Opportunity", FakeOrg.Row(FakeOrg.Id("006", 1), FakeOrg.Start, ("CloseDate", "30/06/2024"), ("Amount", "lots")));

        var changes = await h.SyncAsync();

        Assert.Equal([$"Opportunity/{FakeOrg.Id("006", 1)}: column 'CloseDate': '30/06/2024' is not a date (yyyy-MM-dd).",
            $"Opportunity/{FakeOrg.Id("006", 1)}: column 'Amount': '\"lots\"' is not a number."], changes.Notices.Select(p => p.ToString()));
        // The record is kept with the values left empty: notices, not rejected rows.
        Assert.Empty(changes.Problems);
        Assert.Equal(0, changes.RejectedRows);
        Assert.Null(h.Mirror.Get<Deal>(ObjectKind.Deal, FakeOrg.Id("006", 1)).CloseDate);
    }
}
