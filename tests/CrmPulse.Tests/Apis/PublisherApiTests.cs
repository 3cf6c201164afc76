using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

public sealed class PublisherApiTests
{
    [Fact]
    public async Task With_influx_off_the_status_says_so_and_counts_the_history_that_would_be_sent()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>());
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo");

        var status = await host.GetJsonAsync("/api/publishers/influxdb");

        Assert.False(status.GetProperty("enabled").GetBoolean());
        // One pass so far: every sample of it is still unsent, and the latest answer lists each of them once.
        Assert.Equal(latest.GetArrayLength(), status.GetProperty("backlogSamples").GetInt64());
        Assert.Equal(0, status.GetProperty("parkedBatches").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("lastError").ValueKind);
    }
}
