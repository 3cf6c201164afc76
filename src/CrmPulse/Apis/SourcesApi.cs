using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Jobs;
using CrmPulse.Metrics;
using CrmPulse.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
    /// <param name="LastKpiPassAt">The last pass this process ran (with <paramref name="KpisLeftOut"/> and LastKpiError: per node).</param>
    /// <param name="LastSyncRun">The last sync run from the runs table, whichever node ran it: the node, start, end and outcome.</param>
    /// <param name="LastKpiRun">The last KPI pass run from the runs table, like <paramref name="LastSyncRun"/>.</param>
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
        IReadOnlyList<string> LastNotices,
        string? LastKpiError,
        DateTimeOffset? LastKpiErrorAt,
        StoreStatus Store,
        Cluster.ClusterApi.Run? LastSyncRun,
        Cluster.ClusterApi.Run? LastKpiRun);

    /// <summary>The store every source writes to (the same on each entry): whether its writes fail, and why.</summary>
    public sealed record StoreStatus(bool Writable, string? Error, DateTimeOffset? FailingSince, DateTimeOffset? LastErrorAt);

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sources").WithTags("Sources");
        group.MapGet("/", List).WithName("ListSources")
            .WithSummary("Sources with their sync state: last attempt, last success, last error, record counts, rejected rows, "
                + "the last KPI pass and its error, and whether the store can write.");
        group.MapPost("/{name}/sync", TriggerSync).WithName("TriggerSync")
            .WithSummary("Starts a sync of the source now (a KPI pass follows on its schedule). Needs the API key when one is configured.")
            .RequireApiKey();
        return app;
    }

    public static async Task<Ok<IReadOnlyList<SourceStatus>>> List(IMirror mirror, SourceRegistry sources, SourceRunner runner,
        IStoreHealth storeHealth, Storage.IJobRuns runs, CancellationToken ct)
    {
        var states = await mirror.GetSyncStatesAsync(ct);
        var last = await runs.LastRunsAsync(ct);
        var failure = storeHealth.WriteFailure;
        var store = new StoreStatus(failure is null, failure?.Error, failure?.Since, failure?.LastAt);
        IReadOnlyList<SourceStatus> list = sources.All.Select(c =>
        {
            var s = states.FirstOrDefault(x => x.Source == c.Name);
            return new SourceStatus(c.Name, c.Kind.Name, c.SyncSchedule, c.KpiSchedule, s?.Status ?? "pending",
                s?.LastAttemptAt, s?.LastSuccessAt, s?.LastError, s?.LastErrorAt, runner.LastKpiPass(c.Name),
                s?.RecordCounts.ToDictionary(p => PulseMetrics.ObjectLabel(p.Key), p => p.Value) ?? new Dictionary<string, int>(),
                s?.Kinds.ToDictionary(p => PulseMetrics.ObjectLabel(p.Key), p => p.Value) ?? new Dictionary<string, KindState>(),
                runner.LeftOutKpis(c.Name),
                s?.ProblemsTotal ?? 0, s?.LastProblems ?? [], s?.RejectedTotal ?? 0, s?.NoticesTotal ?? 0, s?.LastNotices ?? [],
                runner.LastKpiError(c.Name)?.Error, runner.LastKpiError(c.Name)?.At, store,
                Cluster.ClusterApi.LastRun(last, "sync", c.Name), Cluster.ClusterApi.LastRun(last, "kpi", c.Name));
        }).ToList();
        return TypedResults.Ok(list);
    }

    /// <summary>
    /// Queues one sync of the source, unless one is already queued or running: a CRM's API quota is not spent on syncs
    /// nobody needs. Then 409 with the start (or queue) time of the one in hand, and the client can wait for it.
    /// </summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> TriggerSync(string name, SourceRegistry sources,
        [FromServices] ISchedulerFactory? schedulers, SyncActivity activity, TimeProvider time, CancellationToken ct)
    {
        if (!sources.Contains(name))
            return TypedResults.Problem(statusCode: 404, title: "Unknown source", detail: $"No source named '{name}' (configured: {string.Join(", ", sources.Names)}).");
        if (schedulers is null)
            return TypedResults.Problem(statusCode: 503, title: "No scheduler", detail: "This process runs a one-shot command without a scheduler: run the daemon to sync on demand.");
        if (activity.RunningSince(name) is { } running) return Busy(name, "running", running);

        // One manual trigger per source at a time: its identity is fixed, so a second one cannot be added while the
        // first waits or runs; Quartz removes it once its sync is done.
        var scheduler = await schedulers.GetScheduler(ct);
        var manual = new TriggerKey($"manual-sync:{name}", "crmpulse");
        var trigger = TriggerBuilder.Create().WithIdentity(manual).ForJob(SyncJob.KeyFor(name)).StartNow().Build();
        try
        {
            await scheduler.ScheduleJob(trigger, default, ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            if (activity.RunningSince(name) is { } since) return Busy(name, "running", since);
            return Busy(name, "queued", (await scheduler.GetTrigger(manual, ct))?.StartTimeUtc ?? time.GetUtcNow());
        }
        return TypedResults.Accepted("/api/sources");
    }

    private static ProblemHttpResult Busy(string name, string state, DateTimeOffset since) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Sync already in hand",
            detail: $"A sync of '{name}' is already {state} since {since.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}; it is not queued twice. "
                    + "Its result shows on /api/sources (lastAttemptAt, lastSuccessAt, lastError).",
            extensions: new Dictionary<string, object?> { ["state"] = state, ["since"] = since.ToUniversalTime() });
}
