using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Apis;

/// <summary>/healthz (the process answers) and /readyz (the store answers and writes, every source has synced once
/// and its last sync succeeded).</summary>
public static class HealthApi
{
    public sealed record Health(string Status);

    /// <param name="Status">"ready", "waiting for the first successful sync", or "degraded" when a source's last sync failed.</param>
    /// <param name="Pending">Sources that have not synced yet.</param>
    /// <param name="Failing">Sources whose last sync failed, with its error.</param>
    public sealed record Readiness(string Status, IReadOnlyList<string> Pending, IReadOnlyList<FailingSource> Failing);

    /// <param name="Since">When that failed sync ran.</param>
    public sealed record FailingSource(string Source, string Error, DateTimeOffset? Since);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok")))
            .WithName("Healthz").WithSummary("Liveness: the process is up.").WithTags("Health");
        app.MapGet("/readyz", Ready)
            .WithName("Readyz").WithSummary("Readiness: the store answers and can write, every source has synced and its last sync succeeded (503 names what did not).").WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> Ready(IMirror mirror, SourceRegistry sources,
        IStoreHealth store, CancellationToken ct)
    {
        var byName = (await mirror.GetSyncStatesAsync(ct)).ToDictionary(s => s.Source, StringComparer.Ordinal);
        var failing = sources.Names.Where(byName.ContainsKey).Select(n => byName[n]).Where(s => s.LastError is not null)
            .Select(s => new FailingSource(s.Source, s.LastError!, s.LastErrorAt)).ToList();
        var pending = sources.Names.Where(n => !byName.TryGetValue(n, out var s) || s.Status == "pending").ToList();
        // A store that cannot write stores no sync and no KPI pass: what is served goes stale.
        if (store.WriteFailure is { } failure)
            return TypedResults.Json(new Readiness($"store failing since {failure.Since:u}: {failure.Error}", pending, failing),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        if (failing.Count > 0)
            return TypedResults.Json(new Readiness("degraded", pending, failing), statusCode: StatusCodes.Status503ServiceUnavailable);
        return pending.Count == 0
            ? TypedResults.Ok(new Readiness("ready", pending, failing))
            : TypedResults.Json(new Readiness("waiting for the first successful sync", pending, failing), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
