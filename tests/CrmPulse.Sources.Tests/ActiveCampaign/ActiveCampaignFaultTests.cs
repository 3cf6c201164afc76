using CrmPulse.Core.Sources;
using CrmPulse.Sources.ActiveCampaign;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>Faults fail the sync with a clear message and leave the mirror as it was; the next sync catches up.</summary>
public sealed class ActiveCampaignFaultTests
{
    private static readonly DateTimeOffset Later = SmallOrg.AsOf.AddHours(1);

    private static bool SecondDealsPage(FakeRequest r) => r.Path == "/api/3/deals" && r.Query["offset"] == "2";

    /// <summary>An account synced once, then changed; with page size 2 so faults can hit a later page.</summary>
    private static async Task<(ActiveCampaignHarness Harness, string Before)> SyncedAndChangedAsync()
    {
        var h = new ActiveCampaignHarness();
        h.Options.PageSize = 2;
        SmallOrg.Load(h.Server);
        await h.SyncAsync();
        h.Server.Update("contacts", "2", Later, ("phone", "+44 20 7946 0000"));
        h.Server.Update("deals", "2", Later, ("value", "1"));
        h.Server.Update("deals", "3", Later, ("value", "2"));
        h.Server.Update("deals", "4", Later, ("value", "3"));
        h.Server.Clear();
        return (h, h.Mirror.Fingerprint());
    }

    private static async Task<string> CleanAfterAsync()
    {
        var (clean, _) = await SyncedAndChangedAsync();
        using (clean)
        {
            await clean.SyncAsync();
            return clean.Mirror.Fingerprint();
        }
    }

    [Fact]
    public async Task A_wrong_token_stops_the_sync_at_once_with_a_clear_message()
    {
        const string env = "CRMPULSE_TEST_ACTIVECAMPAIGN_WRONG_TOKEN";
        Environment.SetEnvironmentVariable(env, "not-the-right-token");
        using var h = new ActiveCampaignHarness();
        SmallOrg.Load(h.Server);
        h.Options.TokenEnv = env;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("ActiveCampaign source 'ac': the API token was rejected (403: No Result found for User with api key)", e.Message);
        Assert.Contains("TokenEnv/TokenFile", e.Message);
        Assert.DoesNotContain("not-the-right-token", e.Message);
        Assert.Single(h.Server.Requests);
        Assert.Empty(h.Mirror.Records);
        Assert.Equal((1, 1), (h.Source.LastPullUsage!.Requests, h.Source.LastPullUsage.Errors));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task A_token_refused_mid_sync_fails_it_without_retrying_and_commits_nothing(int status)
    {
        var (h, before) = await SyncedAndChangedAsync();
        using var owned = h;
        h.Server.Fault = r => SecondDealsPage(r) ? new FakeResponse(status, """{"message":"Forbidden"}""") : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains($"the API token was rejected ({status}: Forbidden) at GET /api/3/deals", e.Message);
        Assert.Equal(1, h.Server.Count(SecondDealsPage));
        Assert.Equal(before, h.Mirror.Fingerprint());
    }

    [Fact]
    public async Task A_missing_token_names_the_variable()
    {
        using var h = new ActiveCampaignHarness();
        h.Options.TokenEnv = "CRMPULSE_TEST_ACTIVECAMPAIGN_UNSET";

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Equal("ActiveCampaign source 'ac': the environment variable 'CRMPULSE_TEST_ACTIVECAMPAIGN_UNSET' (TokenEnv) holding the API token is not set.", e.Message);
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task A_429_burst_waits_the_retry_after_and_the_sync_completes()
    {
        var (h, _) = await SyncedAndChangedAsync();
        using var owned = h;
        h.Server.TooManyRequests = 3;
        h.Server.RetryAfterSeconds = 7;
        lock (h.Clock.Waits) h.Clock.Waits.Clear();

        var changes = await h.SyncAsync();

        Assert.Equal(await CleanAfterAsync(), h.Mirror.Fingerprint());
        Assert.Equal(3, h.Clock.Waits.Count(w => w == TimeSpan.FromSeconds(7)));
        Assert.Equal(3, changes.ApiUsage!.Errors);
        Assert.Equal(h.Server.Requests.Count, changes.ApiUsage.Requests);
    }

    [Fact]
    public async Task Rate_limited_past_the_retries_fails_and_commits_nothing()
    {
        var (h, before) = await SyncedAndChangedAsync();
        using var owned = h;
        h.Options.MaxRetries = 2;
        h.Server.Fault = r => SecondDealsPage(r)
            ? new FakeResponse(429, """{"message":"Too Many Requests"}""", new Dictionary<string, string> { ["Retry-After"] = "1" })
            : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains("still rate-limited after 3 attempts at GET /api/3/deals (429: Too Many Requests)", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        Assert.Equal(3, h.Server.Count(SecondDealsPage));
        Assert.Equal(3, h.Source.LastPullUsage!.Errors);
    }

    [Fact]
    public async Task Server_errors_and_resets_are_retried_with_doubling_backoff()
    {
        var (h, _) = await SyncedAndChangedAsync();
        using var owned = h;
        var failures = 0;
        h.Server.Fault = r => SecondDealsPage(r) && failures++ < 3
            ? failures == 2 ? FakeResponse.ConnectionReset : new FakeResponse(503, """{"message":"Service Unavailable"}""")
            : null;
        lock (h.Clock.Waits) h.Clock.Waits.Clear();

        await h.SyncAsync();

        Assert.Equal(await CleanAfterAsync(), h.Mirror.Fingerprint());
        Assert.Equal(4, h.Server.Count(SecondDealsPage));
        foreach (var backoff in new[] { 1, 2, 4 }) Assert.Contains(TimeSpan.FromSeconds(backoff), h.Clock.Waits);
    }

    [Fact]
    public async Task A_dead_api_opens_the_circuit_so_later_syncs_send_nothing_until_the_break_is_over()
    {
        var (h, before) = await SyncedAndChangedAsync();
        using var owned = h;
        h.Options.MaxRetries = 2;
        var dead = true;
        h.Server.Fault = _ => dead ? new FakeResponse(503, """{"message":"Service Unavailable"}""") : null;
        // Two minutes later: the first sync's successes have left the breaker's one-minute window.
        h.Clock.Now += TimeSpan.FromMinutes(2);

        // Three attempts a sync (the first request and two retries), each a failure the breaker counts: 3, then 6.
        for (var sync = 1; sync <= 2; sync++)
            Assert.Contains("failed 3 times (503: Service Unavailable)", (await Assert.ThrowsAsync<SourceException>(h.SyncAsync)).Message);
        Assert.Equal(6, h.Server.Requests.Count);

        // The third sync's second attempt is the eighth failure in the minute: the circuit opens, the third is not sent.
        var third = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);
        Assert.Contains("was not sent: the API failed on every attempt lately, so calls are paused for 00:01:00 (circuit open)", third.Message);
        Assert.Equal(8, h.Server.Requests.Count);
        // While it is open a sync fails at once, without a request, and says why.
        Assert.Contains("(circuit open)", (await Assert.ThrowsAsync<SourceException>(h.SyncAsync)).Message);
        Assert.Equal(8, h.Server.Requests.Count);
        Assert.Equal(before, h.Mirror.Fingerprint());

        // After the break one trial goes through; the API is back, so the sync completes.
        dead = false;
        h.Clock.Now += TimeSpan.FromMinutes(1);
        await h.SyncAsync();
        Assert.Equal(await CleanAfterAsync(), h.Mirror.Fingerprint());
    }

    [Theory]
    [InlineData("""{"deals":[{"id":"2","cdate":""", "malformed JSON", "GET /api/3/deals")]
    [InlineData("""{"meta":{"total":"4"}}""", "returned a page without a \"deals\" array", "GET /api/3/deals (offset 2)")]
    [InlineData("""{"deals":[],"meta":{"total":"many"}}""", "returned meta.total \"many\", not a count", "GET /api/3/deals (offset 2)")]
    [InlineData("""[1,2]""", "malformed JSON (the response is not a JSON object)", "GET /api/3/deals")]
    [InlineData("""{"deals":[{"id":"3","cdate":"yesterday","status":"0"}],"meta":{"total":"4"}}""", "deal 3: cdate 'yesterday' is not a date and time", "could not be read")]
    [InlineData("""{"deals":[{"id":"3","cdate":"2024-01-01T00:00:00-05:00","status":"7"}],"meta":{"total":"4"}}""", "deal 3: status '7' is not 0 (open), 1 (won) or 2 (lost)", "could not be read")]
    public async Task A_malformed_page_fails_the_sync_commits_nothing_and_the_next_sync_catches_up(string body, string reason, string where)
    {
        var (h, before) = await SyncedAndChangedAsync();
        using var owned = h;
        h.Server.Fault = r => SecondDealsPage(r) ? new FakeResponse(200, body) : null;

        var e = await Assert.ThrowsAsync<SourceException>(h.SyncAsync);

        Assert.Contains(reason, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains("nothing of this sync is committed", e.Message);
        Assert.Equal(before, h.Mirror.Fingerprint());
        h.Server.Fault = null;
        await h.SyncAsync();
        Assert.Equal(await CleanAfterAsync(), h.Mirror.Fingerprint());
    }

    [Fact]
    public void Invalid_options_are_refused_naming_each_key()
    {
        var problems = new ActiveCampaignSourceOptions { BaseUrl = "", TokenEnv = null, PageSize = 101, RequestsPerSecond = 6, AppUrl = "nope" }.Validate();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("BaseUrl is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TokenEnv or TokenFile", StringComparison.Ordinal));
        Assert.Contains("PageSize must be 1 to 100 (the API's maximum), was 101.", problems);
        Assert.Contains("RequestsPerSecond must be above 0 and at most 5 (ActiveCampaign's limit per account), was 6.", problems);
        Assert.Contains(problems, p => p.StartsWith("AppUrl: 'nope'", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new ActiveCampaignSource("x", new ActiveCampaignSourceOptions(), TimeProvider.System));
    }
}
