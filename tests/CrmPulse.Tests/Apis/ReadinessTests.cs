using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CrmPulse.Health;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// /readyz's health checks beyond a failed sync and a failing store (FileSourceFailureTests, StoreFaultTests): a
/// source whose scheduled syncs stopped succeeding, and an InfluxDB outbox that is behind. The host's clock is pinned
/// and moved by hand; the thresholds are computed from the schedule.
/// </summary>
public sealed class ReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(InProcessHost host)
    {
        using var response = await host.Client.GetAsync("/readyz");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();

    private static JsonElement CheckNamed(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task A_source_with_three_scheduled_syncs_missed_since_its_last_success_is_late_and_readyz_names_its_check()
    {
        using var folder = new FixtureFolder("org1", TestTimes.Afternoon);
        var clock = TestTimes.Clock(TestTimes.Afternoon);
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        settings["CrmPulse:Sources:0:SyncEvery"] = "00:01:00";
        await using var host = await InProcessHost.StartAsync(settings, clock);

        var (status, ready) = await ReadyAsync(host);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(["source:files", "store"], ready.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Empty(Strings(ready.GetProperty("failed")));

        // Synced at 17:40:00, every minute: the third missed sync is due at 17:43:00; late only after it.
        clock.Now = TestTimes.Afternoon.AddMinutes(3);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(host)).Status);

        clock.Now = TestTimes.Afternoon.AddMinutes(3).AddSeconds(1);
        (status, ready) = await ReadyAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("degraded", ready.GetProperty("status").GetString());
        Assert.Equal(["source:files"], Strings(ready.GetProperty("failed")));
        Assert.Empty(Strings(ready.GetProperty("pending")));
        Assert.Equal(0, ready.GetProperty("failing").GetArrayLength());
        var check = CheckNamed(ready, "source:files");
        Assert.Equal("degraded", check.GetProperty("status").GetString());
        Assert.Equal("files has not synced successfully since 2026-03-10 17:40:00Z: 3 scheduled syncs (every 00:01:00) have passed since",
            check.GetProperty("description").GetString());
        Assert.Equal("healthy", CheckNamed(ready, "store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_influxdb_outbox_behind_by_more_than_the_maximum_age_fails_readyz_naming_the_influxdb_check()
    {
        using var folder = new FixtureFolder("org1", TestTimes.Afternoon);
        var clock = TestTimes.Clock(TestTimes.Afternoon);
        var settings = FileSourceApiTests.Org1Settings(folder.Path);
        settings["CrmPulse:Sources:0:SyncEvery"] = "01:00:00"; // the source stays on time over the hour below
        settings["CrmPulse:InfluxDb:Enabled"] = "true";
        settings["CrmPulse:InfluxDb:Mode"] = "v1";
        settings["CrmPulse:InfluxDb:Url"] = $"http://127.0.0.1:{ClosedPort()}"; // nothing listens: every write fails
        settings["CrmPulse:InfluxDb:Database"] = "crm";
        settings["CrmPulse:Health:InfluxBacklogMaxAge"] = "00:30:00";
        await using var host = await InProcessHost.StartAsync(settings, clock);

        // The pass's samples (as of 17:40:00) wait; they are not older than 30 minutes yet.
        var (status, ready) = await ReadyAsync(host);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", CheckNamed(ready, "influxdb").GetProperty("status").GetString());

        clock.Now = TestTimes.Afternoon.AddMinutes(30);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(host)).Status);

        clock.Now = TestTimes.Afternoon.AddMinutes(31);
        (status, ready) = await ReadyAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("degraded", ready.GetProperty("status").GetString());
        Assert.Equal(["influxdb"], Strings(ready.GetProperty("failed")));
        Assert.StartsWith("InfluxDB is behind: ", CheckNamed(ready, "influxdb").GetProperty("description").GetString());
        Assert.Contains("the oldest from 2026-03-10 17:40:00Z (31 min), no batch acknowledged since start",
            CheckNamed(ready, "influxdb").GetProperty("description").GetString());
    }

    [Theory]
    [InlineData(null, 3, "2026-03-10T10:03:00Z")]             // every minute: three intervals
    [InlineData(null, 1, "2026-03-10T10:01:00Z")]
    [InlineData("0 0/15 * * * ?", 3, "2026-03-10T10:45:00Z")] // fires 10:15, 10:30, 10:45 after 10:00:00
    [InlineData("0 0 6 * * ?", 2, "2026-03-12T06:00:00Z")]    // daily at 06:00: the 11th's and the 12th's
    public void A_sync_is_late_after_the_given_number_of_scheduled_runs(string? cron, int missed, string expected)
    {
        var last = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

        var late = SourceSyncHealthCheck.LateAfter(last, cron, TimeSpan.FromMinutes(1), missed, TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), late);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
