using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Jobs;
using CrmPulse.Pipeline;
using Microsoft.AspNetCore.Http.HttpResults;
using Quartz;

namespace CrmPulse.Apis;

/// <summary>/api/sources: each source's sync state; triggering a sync now.</summary>
public static class SourcesApi
{
    public sealed record SourceStatus(
        string Name,
        string Kind,
        string SyncSchedule,
        string KpiSchedule,
        DateTimeOffset? LastAttemptAt,
        DateTimeOffset? LastSuccessAt,
        string? LastError,
        DateTimeOffset? LastErrorAt,
        DateTimeOffset? LastKpiPassAt,
        IReadOnlyDictionary<string, int> RecordCounts,
        long ProblemsTotal,
        IReadOnlyList<string> LastProblems,
        string? LastKpiError,
        DateTimeOffset? LastKpiErrorAt,
        StoreStatus Store);

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
        IStoreHealth storeHealth, CancellationToken ct)
    {
        var states = await mirror.GetSyncStatesAsync(ct);
        var failure = storeHealth.WriteFailure;
        var store = new StoreStatus(failure is null, failure?.Error, failure?.Since, failure?.LastAt);
        IReadOnlyList<SourceStatus> list = sources.All.Select(c =>
        {
            var s = states.FirstOrDefault(x => x.Source == c.Name);
            return new SourceStatus(c.Name, c.Kind.Name, c.SyncSchedule, c.KpiSchedule,
                s?.LastAttemptAt, s?.LastSuccessAt, s?.LastError, s?.LastErrorAt, runner.LastKpiPass(c.Name),
                s?.RecordCounts.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value) ?? new Dictionary<string, int>(),
                s?.ProblemsTotal ?? 0, s?.LastProblems ?? [], runner.LastKpiError(c.Name)?.Error, runner.LastKpiError(c.Name)?.At, store);
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
