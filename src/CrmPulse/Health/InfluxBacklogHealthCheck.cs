using CrmPulse.Metrics;
using CrmPulse.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrmPulse.Health;

/// <summary>
/// With InfluxDB on: degraded while the outbox is behind, i.e. its oldest unsent sample and InfluxDB's last
/// acknowledgement (since this process started) are both older than <see cref="Options.HealthOptions.InfluxBacklogMaxAge"/>.
/// Old samples alone are not behind: a backfill queues months of history that drains while InfluxDB acknowledges.
/// </summary>
public sealed class InfluxBacklogHealthCheck(ICrmStore store, InfluxMetrics metrics, Options.HealthOptions options, TimeProvider time)
    : IHealthCheck
{
    public const string Name = "influxdb";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await store.GetOutboxStatusAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (status.OldestPendingSampleTime is not { } oldest)
            return HealthCheckResult.Healthy("nothing waits for InfluxDB");
        var age = now - oldest;
        // The gauge holds the Unix time of the last acknowledged batch (0: none since start).
        var acknowledged = metrics.LastSuccess.Value > 0 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(metrics.LastSuccess.Value * 1000)) : (DateTimeOffset?)null;
        var data = new Dictionary<string, object> { ["pendingSamples"] = status.PendingSamples, ["oldestPendingSampleAgeSeconds"] = Math.Round(age.TotalSeconds) };
        if (age <= options.InfluxBacklogMaxAge || (acknowledged is { } a && now - a <= options.InfluxBacklogMaxAge))
            return HealthCheckResult.Healthy($"{status.PendingSamples} samples wait for InfluxDB, the oldest from {oldest:u}", data);
        return HealthCheckResult.Degraded(
            $"InfluxDB is behind: {status.PendingSamples} samples unsent, the oldest from {oldest:u} ({Math.Round(age.TotalMinutes)} min), "
            + (acknowledged is { } at ? $"last acknowledged batch at {at:u}" : "no batch acknowledged since start")
            + "; the server's error is on /api/publishers/influxdb", data: data);
    }
}
