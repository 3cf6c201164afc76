using System.Text.Json;
using CrmPulse.Hosting;
using CrmPulse.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrmPulse.Health;

/// <summary>
/// /healthz (liveness: the process answers; no check runs) and /readyz (readiness: every check tagged "ready": the
/// store, each source's syncs against its schedule, the InfluxDB backlog when InfluxDB is on), with ASP.NET Core's
/// health checks. /readyz answers 200 only when every check is healthy, else 503 with a JSON body naming the failed
/// checks.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    /// <param name="Status">"ready"; "store failing since …: error" while the store cannot write; "degraded" when a
    /// source's last sync failed or is late, or InfluxDB is behind; else "waiting for the first successful sync".</param>
    /// <param name="Pending">Sources that have not synced successfully yet.</param>
    /// <param name="Failing">Sources whose last sync failed, with its error.</param>
    /// <param name="Failed">The names of the checks that are not healthy (store, source:&lt;name&gt;, influxdb).</param>
    /// <param name="Checks">Every check with its status and what it found.</param>
    public sealed record Readiness(string Status, IReadOnlyList<string> Pending, IReadOnlyList<FailingSource> Failing,
        IReadOnlyList<string> Failed, IReadOnlyList<Check> Checks);

    /// <param name="Since">When that failed sync ran.</param>
    public sealed record FailingSource(string Source, string Error, DateTimeOffset? Since);

    /// <param name="Status">"healthy", "degraded" or "unhealthy".</param>
    public sealed record Check(string Name, string Status, string? Description);

    public static IServiceCollection AddCrmPulseHealthChecks(this IServiceCollection services, IReadOnlyList<ConfiguredSource> sources,
        HealthOptions options, bool influxDb)
    {
        services.AddSingleton(options);
        var checks = services.AddHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, tags: [Ready]);
        foreach (var source in sources)
        {
            var name = source.Name;
            checks.Add(new HealthCheckRegistration(SourceSyncHealthCheck.NameFor(name),
                sp => ActivatorUtilities.CreateInstance<SourceSyncHealthCheck>(sp, name), failureStatus: null, tags: [Ready]));
        }
        if (influxDb) checks.AddCheck<InfluxBacklogHealthCheck>(InfluxBacklogHealthCheck.Name, tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapCrmPulseHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => context.Response.WriteAsJsonAsync(new { status = "ok" }),
        }).WithName("Healthz").WithSummary("Liveness: the process is up.").WithTags("Health");
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Ready),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(Describe(report), JsonSerializerOptions.Web),
        }).WithName("Readyz")
            .WithSummary("Readiness: the store writes, every source has synced, its last sync succeeded and is not late, InfluxDB is not behind (503 names the failed checks).")
            .WithTags("Health");
        return app;
    }

    /// <summary>The /readyz body of a health report.</summary>
    public static Readiness Describe(HealthReport report)
    {
        var entries = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        string State(HealthReportEntry e) => e.Data.TryGetValue("state", out var s) ? (string)s : "";
        var sourceEntries = entries.Where(e => e.Value.Data.ContainsKey("source")).Select(e => e.Value).ToList();
        var pending = sourceEntries.Where(e => State(e) == "pending").Select(e => (string)e.Data["source"]).ToList();
        var failing = sourceEntries.Where(e => State(e) == "failing")
            .Select(e => new FailingSource((string)e.Data["source"], (string)e.Data["error"], e.Data.TryGetValue("since", out var at) ? (DateTimeOffset)at : null))
            .ToList();
        var failed = entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToList();
        var store = report.Entries.TryGetValue(StoreHealthCheck.Name, out var s) && s.Status != HealthStatus.Healthy ? s.Description : null;
        var status = store
            ?? (entries.Any(e => e.Value.Status == HealthStatus.Degraded) ? "degraded"
            : failed.Count > 0 ? "waiting for the first successful sync"
            : "ready");
        return new Readiness(status, pending, failing, failed,
            entries.Select(e => new Check(e.Key, e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description ?? e.Value.Exception?.Message)).ToList());
    }
}
