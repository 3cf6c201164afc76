using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Jobs;
using CrmPulse.Metrics;
using CrmPulse.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;
using Quartz;

namespace CrmPulse.Apis;

/// <summary>/api/sources: each source's sync state; triggering a sync now.</summary>
public static class SourcesApi
{
    /// <param name="Status">"ok" (the last sync succeeded), "failed" (it did not: see LastError) or "pending" (no sync yet).</param>
    /// <param name="LastError">Why the last sync failed; null once a sync succeeds.</param>
    /// <param name="Kinds">Per kind: when it was last read (null: never, so its KPIs are left out) and its current error.</param>
    /// <param name="KpisLeftOut">KPIs the last pass of this process left out because a kind they rest on was never read.</param>
    /// <param name="RejectedTotal">Rows or records skipped over all syncs (a row with several problems counts once).</param>
    /// <param name="LastNotices">Notices of the last sync: read with a caveat, nothing skipped.</param>
    public sealed record SourceStatus(
        string Name,
        string Kind,
        string SyncSchedule,
        string KpiSchedule,
        string Status,
        DateTimeOffset? LastAttemptAt,
        DateTimeOffset? LastSuccessAt,
        string? LastError,
        DateTimeOffset? LastErrorAt,
        DateTimeOffset? LastKpiPassAt,
        IReadOnlyDictionary<string, int> RecordCounts,
        IReadOnlyDictionary<string, KindState> Kinds,
        IReadOnlyList<string> KpisLeftOut,
        long ProblemsTotal,
        IReadOnlyList<string> LastProblems,
        long RejectedTotal,
        long NoticesTotal,
        IReadOnlyList<string> LastNotices);

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sources").WithTags("Sources");
        group.MapGet("/", List).WithName("ListSources")
            .WithSummary("Sources with their sync state: last attempt, last success, last error, record counts, rejected rows.");
        group.MapPost("/{name}/sync", TriggerSync).WithName("TriggerSync")
            .WithSummary("Starts a sync of the source now (a KPI pass follows on its schedule). Needs the API key when one is configured.")
            .RequireApiKey();
        return app;
    }

    public static async Task<Ok<IReadOnlyList<SourceStatus>>> List(IMirror mirror, SourceRegistry sources, SourceRunner runner, CancellationToken ct)
    {
        var states = await mirror.GetSyncStatesAsync(ct);
        IReadOnlyList<SourceStatus> list = sources.All.Select(c =>
        {
            var s = states.FirstOrDefault(x => x.Source == c.Name);
            return new SourceStatus(c.Name, c.Kind.Name, c.SyncSchedule, c.KpiSchedule, s?.Status ?? "pending",
                s?.LastAttemptAt, s?.LastSuccessAt, s?.LastError, s?.LastErrorAt, runner.LastKpiPass(c.Name),
                s?.RecordCounts.ToDictionary(p => PulseMetrics.ObjectLabel(p.Key), p => p.Value) ?? new Dictionary<string, int>(),
                s?.Kinds.ToDictionary(p => PulseMetrics.ObjectLabel(p.Key), p => p.Value) ?? new Dictionary<string, KindState>(),
                runner.LeftOutKpis(c.Name),
                s?.ProblemsTotal ?? 0, s?.LastProblems ?? [], s?.RejectedTotal ?? 0, s?.NoticesTotal ?? 0, s?.LastNotices ?? []);
        }).ToList();
        return TypedResults.Ok(list);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> TriggerSync(string name, SourceRegistry sources, ISchedulerFactory schedulers, CancellationToken ct)
    {
        if (!sources.Contains(name))
            return TypedResults.Problem(statusCode: 404, title: "Unknown source", detail: $"No source named '{name}' (configured: {string.Join(", ", sources.Names)}).");
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.TriggerJob(SyncJob.KeyFor(name), ct);
        return TypedResults.Accepted($"/api/sources");
    }
}
