using System.Text.Json;
using CrmPulse.Sources.Tests.ActiveCampaign;
using CrmPulse.Sources.Tests.Fakes;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon with an ActiveCampaign source pointed at the fake account: it syncs, computes the KPIs that do not
/// depend on the date, and shows a malformed page, a rejected token and a lasting rate limit on /api/sources without
/// losing what it stored.
/// </summary>
public sealed class ActiveCampaignDaemonTests : IDisposable
{
    // Made up; only this test's daemon knows it.
    private const string ApiKey = "3b7e1a9c5d2f8b4e6a0c7d1f9e3b5a8c2d6f0e4a7c1b9d3f5e8a2c6b0d4f7e1a";

    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-ac-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_daemon_syncs_an_activecampaign_account_and_reports_a_failed_sync()
    {
        using var account = SmallOrg.Load(new FakeActiveCampaign());
        account.RetryAfterSeconds = 0;
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db"),
            ["CRMPULSE__SOURCES__0__NAME"] = "ac",
            ["CRMPULSE__SOURCES__0__KIND"] = "ActiveCampaign",
            ["CRMPULSE__SOURCES__0__BASEURL"] = account.BaseUrl,
            ["CRMPULSE__SOURCES__0__SYNCEVERY"] = "00:00:10",
            ["CRMPULSE__SOURCES__0__KPIEVERY"] = "00:00:10",
            ["CRMPULSE__API__APIKEYS__0"] = ApiKey,
            ["CRMPULSE__SOURCES__0__MAXRETRIES"] = "1",
            ["ACTIVECAMPAIGN_TOKEN"] = FakeActiveCampaign.Token,
        };

        await using var daemon = DaemonProcess.Start(env);
        daemon.Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        var ok = (await daemon.WaitForAsync("/api/sources", j => j[0].GetProperty("status").GetString() == "ok"
            && j[0].GetProperty("lastKpiPassAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(90)))[0];
        Assert.Equal("ActiveCampaign", ok.GetProperty("kind").GetString());
        Assert.Contains(ok.GetProperty("lastNotices").EnumerateArray(), n => n.GetString()!.Contains("no login events", StringComparison.Ordinal));

        var latest = await daemon.WaitForAsync("/api/kpis/latest?source=ac",
            j => j.EnumerateArray().Any(s => s.GetProperty("kpi").GetString() == "open_pipeline_value"), TimeSpan.FromSeconds(30));
        // Users 1–3; open deals 1 ($12,500) and 4 ($500).
        Assert.Equal(3, LatestValues.Value(latest, "licensed_users", ""));
        Assert.Equal(2, LatestValues.Value(latest, "open_deals", ""));
        Assert.Equal(13_000, LatestValues.Value(latest, "open_pipeline_value", ""));
        // The sync's API usage is reported like the other API sources': no request failed.
        var usage = await daemon.WaitForAsync("/api/kpis/latest?source=ac&kpi=crm_api_error_ratio", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(30));
        Assert.All(usage.EnumerateArray(), s => Assert.Equal(0, s.GetProperty("value").GetDouble()));
        var counts = ok.GetProperty("recordCounts").ToString();

        account.Fault = r => r.Path == "/api/3/deals" ? new FakeResponse(200, """{"deals":[{"id":""") : null;
        (await daemon.Client.PostAsync("/api/sources/ac/sync", null)).Dispose();
        var failed = (await daemon.WaitForAsync("/api/sources", j => j[0].GetProperty("status").GetString() == "failed", TimeSpan.FromSeconds(60)))[0];
        Assert.Contains("GET /api/3/deals returned malformed JSON", failed.GetProperty("lastError").GetString());
        Assert.Equal(counts, failed.GetProperty("recordCounts").ToString());
        var still = await daemon.WaitForAsync("/api/kpis/latest?source=ac", _ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(13_000, LatestValues.Value(still, "open_pipeline_value", ""));

        // A token the account no longer accepts, then a rate limit that outlasts the retries: each is named, nothing is lost.
        foreach (var (fault, burst, message) in new (Func<FakeRequest, FakeResponse?>?, int, string)[]
                 {
                     (_ => new FakeResponse(403, """{"message":"No Result found for User with api key"}"""), 0, "the API token was rejected (403"),
                     (null, 1000, "still rate-limited after 2 attempts at GET /api/3/users (429: Too Many Requests)"),
                 })
        {
            account.Fault = fault;
            account.TooManyRequests = burst;
            (await daemon.Client.PostAsync("/api/sources/ac/sync", null)).Dispose();
            var down = (await daemon.WaitForAsync("/api/sources", j => j[0].GetProperty("status").GetString() == "failed"
                && j[0].GetProperty("lastError").GetString()!.Contains(message, StringComparison.Ordinal), TimeSpan.FromSeconds(60)))[0];
            Assert.Equal(counts, down.GetProperty("recordCounts").ToString());
        }

        account.Fault = null;
        account.TooManyRequests = 0;
        (await daemon.Client.PostAsync("/api/sources/ac/sync", null)).Dispose();
        await daemon.WaitForAsync("/api/sources", j => j[0].GetProperty("status").GetString() == "ok", TimeSpan.FromSeconds(60));
        Assert.Equal(0, await daemon.StopAsync());
        Assert.DoesNotContain(FakeActiveCampaign.Token, daemon.Output);
    }
}
