using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>/limits, the Sforce-Limit-Info header, the daily share, and the pause after REQUEST_LIMIT_EXCEEDED.</summary>
public sealed class SalesforceLimitTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)] // Max and Remaining as strings, as a v29-era sample sent them
    public async Task Usage_reports_requests_and_the_allowance_left(bool strings)
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        h.Server.LimitsAsStrings = strings;
        h.Server.DailyLimit = 5000;
        h.Server.DailyUsed = 100; // other integrations of the org

        var changes = await h.SyncAsync();

        // /limits, User, Account, Contact, Lead, Opportunity, Task, Event, LoginHistory: 9 calls, all answered.
        var usage = changes.ApiUsage!;
        Assert.Equal((9, 0, 9), (usage.Requests, usage.Errors, usage.LatenciesMs.Count));
        // The last answer's Sforce-Limit-Info: api-usage=109/5000.
        Assert.Equal((5000L, 4891L), (usage.DailyLimit, usage.DailyRemaining));
    }

    [Fact]
    public async Task The_org_usage_of_the_header_is_read_beside_a_per_app_usage()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        // The documented form, on the last call of the sync.
        h.Server.Fault = r => r.Query["q"]?.Contains("FROM LoginHistory", StringComparison.Ordinal) == true
            ? new FakeResponse(200, """{"totalSize":0,"done":true,"records":[]}""",
                new Dictionary<string, string> { ["Sforce-Limit-Info"] = "api-usage=18/5000; per-app-api-usage=17/250(appName=sample-connected-app)" })
            : null;

        var changes = await h.SyncAsync();

        Assert.Equal((5000L, 4982L), (changes.ApiUsage!.DailyLimit, changes.ApiUsage.DailyRemaining)); // 5000 − 18
    }

    [Fact]
    public void Limits_entries_with_nested_per_app_objects_are_read()
    {
        var limits = new Sources.Salesforce.SalesforceLimits(TimeProvider.System);
        var recorded = System.Text.Json.JsonDocument.Parse(RecordedFiles.Read("salesforce_limits.json")).RootElement;

        Assert.True(limits.ReadLimits(recorded));

        Assert.Equal((25000L, 24926L), (limits.DailyLimit, limits.DailyRemaining)); // "DailyApiRequests":{"Max":25000,"Remaining":24926,"AgilePoint":{…},…}
    }

    [Fact]
    public async Task Without_view_setup_the_header_gives_the_allowance_and_a_notice_says_why()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        h.Server.Fault = r => r.Path.EndsWith("/limits", StringComparison.Ordinal)
            ? new FakeResponse(403, """[{"message":"The REST API is not enabled for this Organization or the user lacks View Setup.","errorCode":"INSUFFICIENT_ACCESS"}]""")
            : null;

        var changes = await h.SyncAsync();

        Assert.Contains(changes.Notices, p => p.Reason.Contains("View Setup and Configuration", StringComparison.Ordinal));
        Assert.Equal(100_000L, changes.ApiUsage!.DailyLimit);
        Assert.Equal(0, changes.ApiUsage.Errors); // a refusal the source expected is not an error
        Assert.Equal(3, h.Mirror.All<CrmUser>().Count());
    }

    [Fact]
    public async Task The_daily_share_stops_the_sync_before_it_is_passed()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        h.Server.DailyLimit = 10;
        h.Options.DailyShare = 0.5; // 5 requests a day for this source
        await Assert.ThrowsAsync<SourceException>(h.SyncAsync); // a first sync needs 9

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Equal("Salesforce source 'salesforce': this source used 5 requests today, its share (DailyShare 0.5 of the daily limit 10) is 5; " +
            "syncing resumes tomorrow (UTC).", e.Message);
        Assert.Equal(5, h.Server.RestCalls); // the second attempt made no request at all
        Assert.Empty(h.Mirror.Records);
    }

    [Fact]
    public async Task Request_limit_exceeded_pauses_the_source_until_limits_says_the_allowance_recovered()
    {
        using var h = new SalesforceHarness().WithRecordedOrg();
        h.Server.DailyLimit = 1000;
        h.Server.DailyUsed = 995; // the org's other integrations used it up: the 6th call of this sync gets the 403

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("the org's API allowance is used up (403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.); no call is made until 2024-11-01 13:00:00Z", e.Message);
        Assert.Empty(h.Mirror.Records);
        Assert.Empty(h.Mirror.Watermarks);
        var calls = h.Server.RestCalls;
        // The failed pull's usage: 6 calls, the last one refused (reported as the CRM API's error ratio).
        Assert.Equal((6, 1), (h.Source.LastPullUsage!.Requests, h.Source.LastPullUsage.Errors));

        // Within the pause: no call at all.
        h.Clock.Now = h.Clock.Now.AddMinutes(30);
        e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);
        Assert.Contains("paused after REQUEST_LIMIT_EXCEEDED; no call is made until 2024-11-01 13:00:00Z", e.Message);
        Assert.Equal(calls, h.Server.RestCalls);
        Assert.Equal(0, h.Source.LastPullUsage!.Requests); // not the previous failure's usage again

        // After it: /limits only, refused like every call while the allowance is used up, so the pause goes on.
        h.Clock.Now = h.Clock.Now.AddMinutes(31);
        e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);
        Assert.Contains("(403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.); no call is made until 2024-11-01 14:01:00Z", e.Message);
        Assert.Equal(calls + 1, h.Server.RestCalls);

        // A /limits answer with nothing remaining keeps the pause too.
        h.Clock.Now = h.Clock.Now.AddHours(1);
        h.Server.Fault = r => r.Path.EndsWith("/limits", StringComparison.Ordinal)
            ? new FakeResponse(200, """{"DailyApiRequests":{"Max":"1000","Remaining":"0"}}""")
            : null;
        e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);
        Assert.Contains("has not recovered yet (/limits: DailyApiRequests Remaining 0 of 1000); paused until 2024-11-01 15:01:00Z", e.Message);
        Assert.Equal(calls + 2, h.Server.RestCalls);
        h.Server.Fault = null;

        // The allowance recovers (a rolling 24 hours): the next sync after the pause goes through.
        h.Server.DailyUsed = 0;
        h.Clock.Now = h.Clock.Now.AddHours(1);
        await h.SyncAsync();
        Assert.Equal(3, h.Mirror.All<CrmUser>().Count());
    }
}
