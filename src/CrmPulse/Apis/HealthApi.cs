using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Apis;

/// <summary>/healthz (the process answers) and /readyz (the store answers and writes, and every source has synced once).</summary>
public static class HealthApi
{
    public sealed record Health(string Status);

    public sealed record Readiness(string Status, IReadOnlyList<string> Pending);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok")))
            .WithName("Healthz").WithSummary("Liveness: the process is up.").WithTags("Health");
        app.MapGet("/readyz", Ready)
            .WithName("Readyz").WithSummary("Readiness: the store answers and can write, and every source has completed a sync.").WithTags("Health");
        return app;
    }

    public static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> Ready(IMirror mirror, SourceRegistry sources,
        IStoreHealth store, CancellationToken ct)
    {
        var states = await mirror.GetSyncStatesAsync(ct);
        var pending = sources.Names.Where(n => states.FirstOrDefault(s => s.Source == n)?.LastSuccessAt is null).ToList();
        // A store that cannot write stores no sync and no KPI pass: what is served goes stale.
        if (store.WriteFailure is { } failure)
            return TypedResults.Json(new Readiness($"store failing since {failure.Since:u}: {failure.Error}", pending), statusCode: StatusCodes.Status503ServiceUnavailable);
        return pending.Count == 0
            ? TypedResults.Ok(new Readiness("ready", pending))
            : TypedResults.Json(new Readiness("waiting for the first successful sync", pending), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
