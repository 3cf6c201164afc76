using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>What the recorded payloads become in the mirror, field by field.</summary>
public sealed class SalesforceMappingTests
{
    // The recorded logins are from 2023-07-23; the first sync reads LoginHistoryDays (35) back from here.
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
    public async Task Only_the_ui_login_of_the_recorded_login_history_is_mirrored_and_the_api_login_is_counted_apart()
    {
        using var h = new SalesforceHarness(RecordedNow).WithRecordedOrg();

        await h.SyncAsync();

        // Row 1: LoginType "Remote Access 2.0", Application "New Connected App" (an API login); row 2: "Application"/Browser.
        var login = Assert.Single(h.Mirror.All<LoginEvent>());
        Assert.Equal(new LoginEvent("0YaHn0000EUyGkcKQF", "005Hn00000H35JtIAJ", DateTimeOffset.Parse("2023-07-23T16:20:13Z"), true, "Application"), login);
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
}
