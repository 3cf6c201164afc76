using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace CrmPulse.Health;

/// <summary>
/// One source's syncs: unhealthy before its first successful sync, degraded when its last sync failed (until the
/// next one succeeds) or when <see cref="Options.HealthOptions.MissedSyncs"/> of its scheduled syncs have passed
/// since its last success (a stuck scheduler or a sync that never ends; the schedule is its SyncEvery or SyncCron).
/// The entry's data (state, error, since) feeds /readyz's pending and failing lists.
/// </summary>
public sealed class SourceSyncHealthCheck(string source, IMirror mirror, SourceRegistry sources, Options.HealthOptions options,
    Options.CrmPulseOptions crmPulse, TimeProvider time) : IHealthCheck
{
    public static string NameFor(string source) => $"source:{source}";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = (await mirror.GetSyncStatesAsync(cancellationToken)).FirstOrDefault(s => s.Source == source);
        var data = new Dictionary<string, object> { ["source"] = source };
        if (state?.LastError is { } error)
        {
            data["state"] = "failing";
            data["error"] = error;
            if (state.LastErrorAt is { } at) data["since"] = at;
            return HealthCheckResult.Degraded($"the last sync of {source} failed: {error}", data: data);
        }
        if (state?.LastSuccessAt is not { } last)
        {
            data["state"] = "pending";
            return HealthCheckResult.Unhealthy($"{source} is waiting for its first successful sync", data: data);
        }
        var config = sources.Config(source);
        var due = LateAfter(last, config.Options.SyncCron, config.SyncEvery, options.MissedSyncs, crmPulse.CronZone);
        if (due is { } d && time.GetUtcNow() > d)
        {
            data["state"] = "late";
            data["since"] = last;
            return HealthCheckResult.Degraded(
                $"{source} has not synced successfully since {last:u}: {options.MissedSyncs} scheduled syncs ({config.SyncSchedule}) have passed since", data: data);
        }
        data["state"] = "ok";
        return HealthCheckResult.Healthy($"{source} last synced at {last:u}", data);
    }

    /// <summary>When the <paramref name="missed"/>th scheduled sync after <paramref name="lastSuccess"/> is due: that
    /// many intervals later, or that many cron fire times later in <paramref name="zone"/> (CrmPulse:CronTimeZone, the
    /// zone the cron triggers are built in); null when the cron never fires again.</summary>
    public static DateTimeOffset? LateAfter(DateTimeOffset lastSuccess, string? cron, TimeSpan every, int missed, TimeZoneInfo zone)
    {
        if (cron is null) return lastSuccess + every * missed;
        var expression = new CronExpression(cron, zone);
        DateTimeOffset? at = lastSuccess;
        for (var i = 0; i < missed && at is not null; i++) at = expression.GetNextValidTimeAfter(at.Value);
        return at;
    }
}
