using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Mid-sync faults leave the mirror as it was before the sync or fully updated, never in between.</summary>
public sealed class HubSpotFaultTests
{
    private static bool SecondContactPage(FakeRequest r) =>
        r.Path == "/crm/v3/objects/contacts" && r.Query["archived"] == "false" && r.Query["after"] is not null;

    /// <summary>A portal synced once, then changed; returns the mirror a clean second sync gives.</summary>
    private static async Task<(HubSpotHarness Harness, string Before, string CleanAfter)> ChangedPortalAsync()
    {
        var clean = new HubSpotHarness().WithRecordedPortal();
        var h = new HubSpotHarness().WithRecordedPortal();
        foreach (var x in new[] { clean, h })
        {
            x.Options.PageSize = 2;
            await x.SyncAsync();
            FakePortal.Touch(x.Server, "contacts", 51, DateTimeOffset.Parse("2024-11-01T10:00:00Z"));
            FakePortal.Touch(x.Server, "deals", 21917278677, DateTimeOffset.Parse("2024-11-01T10:00:00Z"), "amount", "7");
        }
        await clean.SyncAsync();
        var cleanAfter = clean.Mirror.Fingerprint();
        clean.Dispose();
        return (h, h.Mirror.Fingerprint(), cleanAfter);
    }

    [Fact]
    public async Task Malformed_json_fails_the_sync_and_commits_nothing_then_the_next_sync_catches_up()
    {
        var (h, before, cleanAfter) = await ChangedPortalAsync();
        using var owned = h;
        h.Server.Fault = r => r.Path == "/crm/v3/objects/deals/search" ? new FakeResponse(200, """{"results":[{"id":"1","properties":{""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("malformed JSON", e.Message);
        Assert.Contains("/crm/v3/objects/deals/search", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        h.Server.Fault = null;
        await h.SyncAsync();
        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task A_page_without_results_fails_the_sync()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Options.PageSize = 2;
        h.Server.Fault = r => SecondContactPage(r) ? new FakeResponse(200, """{"paging":{"next":{"after":"x"}}}""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("without a \"results\" array", e.Message);
        Assert.Empty(h.Mirror.Records);
        Assert.Empty(h.Mirror.Watermarks);
    }

    [Fact]
    public async Task An_association_batch_of_the_wrong_shape_fails_the_sync_with_a_source_error_and_commits_nothing()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Server.IgnoreInlineAssociations = true;
        h.Server.Fault = r => r.Path.EndsWith("/batch/read", StringComparison.Ordinal)
            ? new FakeResponse(200, """{"status":"COMPLETE","results":["21917278677"]}""")
            : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("a response could not be read", e.Message);
        Assert.Empty(h.Mirror.Records);
        Assert.Empty(h.Mirror.Watermarks);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_doubling_backoff()
    {
        var (h, _, cleanAfter) = await ChangedPortalAsync();
        using var owned = h;
        var failures = 0;
        h.Server.Fault = r => r.IsSearch && failures++ < 2 ? new FakeResponse(502, "<html>Bad gateway</html>") : null;

        var changes = await h.SyncAsync();

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], h.Delays.Where(d => d >= TimeSpan.FromSeconds(1)));
        Assert.Equal(2, changes.ApiUsage!.Errors);
        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task Server_errors_past_the_retries_fail_the_sync_and_commit_nothing()
    {
        var (h, before, _) = await ChangedPortalAsync();
        using var owned = h;
        h.Options.MaxRetries = 2;
        h.Server.Fault = r => r.Path == "/crm/v3/objects/tasks/search" ? new FakeResponse(500, """{"status":"error","message":"internal error","category":"INTERNAL_ERROR"}""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("failed 3 times (500: internal error)", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        // The failed pull's usage is still there for the CRM API's error ratio: the three 500s are its errors.
        var usage = h.Source.LastPullUsage!;
        Assert.Equal(3, usage.Errors);
        Assert.Equal(usage.Requests, usage.LatenciesMs.Count);
    }

    [Fact]
    public async Task Connection_resets_are_retried_and_a_lasting_one_commits_nothing()
    {
        var (h, _, cleanAfter) = await ChangedPortalAsync();
        using var owned = h;
        var resets = 0;
        h.Server.Fault = r => r.Path == "/crm/v3/objects/contacts/search" && resets++ < 1 ? FakeResponse.ConnectionReset : null;
        await h.SyncAsync();
        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());

        using var h2 = new HubSpotHarness().WithRecordedPortal();
        await h2.SyncAsync();
        var before2 = h2.Mirror.Fingerprint();
        h2.Options.MaxRetries = 1;
        FakePortal.Touch(h2.Server, "contacts", 51, DateTimeOffset.Parse("2024-11-01T10:00:00Z"));
        h2.Server.Fault = r => r.Path == "/crm/v3/objects/deals/search" ? FakeResponse.ConnectionReset : null;
        await Assert.ThrowsAsync<SourceException>(h2.SyncAsync);
        Assert.Equal(before2, h2.Mirror.Fingerprint());
    }

    [Fact]
    public async Task A_429_storm_is_waited_out_with_retry_after_and_the_sync_completes()
    {
        var (h, _, cleanAfter) = await ChangedPortalAsync();
        using var owned = h;
        var n = 0;
        // Every other request is refused with the burst limit's body and Retry-After: 2.
        h.Server.Fault = _ => n++ % 2 == 0
            ? FakeResponse.Recorded(429, "hubspot_error_429_secondly_observed_2018.json", new Dictionary<string, string> { ["Retry-After"] = "2" })
            : null;

        var changes = await h.SyncAsync();

        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());
        Assert.Equal(changes.ApiUsage!.Requests / 2, changes.ApiUsage.Errors); // half of them 429s
        Assert.Equal(changes.ApiUsage.Errors, h.Delays.Count(d => d == TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_429_without_retry_after_waits_one_rate_limit_interval()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        var once = true;
        h.Server.Fault = r => r.Path == "/crm/v3/pipelines/deals" && once && !(once = false)
            ? new FakeResponse(429, """{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}""")
            : null;

        await h.SyncAsync();

        Assert.Contains(TimeSpan.FromSeconds(10), h.Delays); // X-HubSpot-RateLimit-Interval-Milliseconds: 10000
    }

    [Fact]
    public async Task The_daily_limit_stops_the_sync_with_a_clear_message()
    {
        var (h, before, _) = await ChangedPortalAsync();
        using var owned = h;
        h.Server.Fault = r => r.IsSearch ? FakeResponse.Recorded(429, "hubspot_error_429_daily_docs.json") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("daily API limit", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        Assert.DoesNotContain(h.Delays, d => d >= TimeSpan.FromSeconds(1)); // no retry against a daily limit
    }

    [Fact]
    public async Task A_rejected_token_stops_the_source_with_a_message_naming_the_token_setting()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        Environment.SetEnvironmentVariable("CRMPULSE_TEST_HUBSPOT_WRONG_TOKEN", "pat-na1-not-the-right-one");
        h.Options.TokenEnv = "CRMPULSE_TEST_HUBSPOT_WRONG_TOKEN";

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("401 INVALID_AUTHENTICATION", e.Message);
        Assert.Contains("TokenEnv/TokenFile", e.Message);
        Assert.DoesNotContain("pat-na1-not-the-right-one", e.Message);
        Assert.Single(h.Server.Requests); // no retry on 401
    }

    [Fact]
    public async Task A_missing_scope_stops_the_source_but_a_tier_without_login_history_falls_back_to_activity()
    {
        using var h = new HubSpotHarness().WithRecordedPortal();
        h.Server.LoginsForbidden = true;

        var changes = await h.SyncAsync();

        Assert.Empty(changes.Logins);
        Assert.Contains(changes.Notices, p => p.Reason.Contains("adoption KPIs use logged activity"));

        h.Server.Fault = r => r.Path == "/crm/v3/objects/emails/search"
            ? new FakeResponse(403, """{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES"}""")
            : null;
        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);
        Assert.Contains("403 MISSING_SCOPES", e.Message);
        Assert.Contains("/crm/v3/objects/emails/search", e.Message);
    }

    [Fact]
    public async Task A_missing_token_is_reported_before_any_request()
    {
        using var h = new HubSpotHarness();
        h.Options.TokenEnv = "CRMPULSE_TEST_HUBSPOT_TOKEN_NOT_SET";

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("'CRMPULSE_TEST_HUBSPOT_TOKEN_NOT_SET' (TokenEnv)", e.Message);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried()
    {
        var (h, _, cleanAfter) = await ChangedPortalAsync();
        using var owned = h;
        // Long enough that an answered request never times out on a loaded machine (the stalled one never answers).
        h.Options.RequestTimeout = TimeSpan.FromSeconds(3);
        var stalls = 0;
        h.Server.Fault = r => r.Path == "/crm/v3/objects/contacts/search" && stalls++ < 1 ? FakeResponse.NoAnswer : null;

        var changes = await h.SyncAsync();

        Assert.Equal(cleanAfter, h.Mirror.Fingerprint());
        Assert.Equal(1, changes.ApiUsage!.Errors);
        Assert.Contains(TimeSpan.FromSeconds(1), h.Delays); // RetryDelay before the retry
    }
}
