using System.ComponentModel;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmPulse.Apis;

/// <summary>/api/kpis: the catalog, the latest values with the previous period's, and one KPI's series.</summary>
public static class KpiApi
{
    /// <summary>At most this many points per series: a guard against a tiny step over a long range.</summary>
    public const int MaxPointsPerSeries = 11_000;

    private static readonly HashSet<string> SeriesParameters = new(StringComparer.OrdinalIgnoreCase) { "from", "to", "step", "source" };

    public sealed record CatalogEntry(string Id, string Family, string Unit, string Direction, string Description,
        IReadOnlyList<string> Dimensions, bool Rebuildable, string Period, string Metric, string Measurement, bool HasIssues);

    public sealed record PreviousValue(double Value, DateTimeOffset Time);

    public sealed record LatestValue(string Kpi, string Family, string Unit, string Direction, string Source,
        IReadOnlyDictionary<string, string> Dimensions, double Value, DateTimeOffset Time, string? Basis,
        PreviousValue? Previous, double? Change, TargetStatus? Target = null);

    public sealed record Series(string Source, IReadOnlyDictionary<string, string> Dimensions, string Target, IReadOnlyList<double[]> Datapoints);

    public sealed record SeriesResponse(string Kpi, string Unit, DateTimeOffset From, DateTimeOffset To, string? Step, IReadOnlyList<Series> Series);

    public static IEndpointRouteBuilder MapKpiApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/kpis").WithTags("KPIs");
        group.MapGet("/", Catalog).WithName("KpiCatalog")
            .WithSummary("The KPI catalog: id, family, unit, direction, formula, dimensions, whether it can be rebuilt for past dates, whether the issues API lists its records.");
        group.MapGet("/latest", Latest).WithName("LatestKpis")
            .WithSummary("The values of the latest pass of each source (and of each source's CRM API usage and each integration's probes): "
                + "per KPI, source and dimensions, with the value one period earlier, the change, "
                + "and the target status (met, on_track, off_track) where a target is configured.")
            .Produces<IReadOnlyList<LatestValue>>(StatusCodes.Status200OK, "application/json");
        group.MapGet("/{id}/series", GetSeries).WithName("KpiSeries")
            .WithSummary("One KPI's samples between from and to, optionally one point per step (the last sample in each step), "
                + "filtered by source and dimensions (?team=Sales; an empty value selects the roll-up). Datapoints are [value, unix ms] as Grafana's JSON data sources read them.");
        return app;
    }

    public static Ok<IReadOnlyList<CatalogEntry>> Catalog() =>
        TypedResults.Ok<IReadOnlyList<CatalogEntry>>(KpiCatalog.All.Select(ToEntry).ToList());

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Latest(
        LatestKpis latest,
        [Description("Only this source.")] string? source,
        [Description("Only this family (adoption, activity, data_quality, …).")] string? family,
        [Description("Only this KPI id.")] string? kpi,
        CancellationToken ct)
    {
        if (family is not null && !KpiCatalog.All.Any(d => d.Family.Tag() == family))
            return BadRequest($"Unknown family '{family}' (known: {string.Join(", ", KpiCatalog.All.Select(d => d.Family.Tag()).Distinct())}).");
        if (kpi is not null && !KpiCatalog.TryGet(kpi, out _))
            return TypedResults.Problem(statusCode: 404, title: "Unknown KPI", detail: $"No KPI '{kpi}' in the catalog (see /api/kpis).");
        // The JSON of LatestValue[], written by LatestKpis (most of it once per pass rather than once per request).
        return TypedResults.Bytes(await latest.GetJsonAsync(source, family, kpi, ct), "application/json; charset=utf-8");
    }

    public static async Task<Results<Ok<SeriesResponse>, ProblemHttpResult>> GetSeries(
        string id, HttpRequest request, ILedger ledger, TimeProvider time,
        [Description("Start: ISO 8601, Unix ms, now or now-7d. Default now-7d.")] string? from,
        [Description("End (inclusive): same forms. Default now.")] string? to,
        [Description("One point per step (e.g. 1h, 1d): the last sample in each step, stamped at the step's start.")] string? step,
        [Description("Only this source.")] string? source,
        CancellationToken ct)
    {
        if (!KpiCatalog.TryGet(id, out var def))
            return TypedResults.Problem(statusCode: 404, title: "Unknown KPI", detail: $"No KPI '{id}' in the catalog (see /api/kpis).");
        var now = time.GetUtcNow();
        if (!TimeParsing.TryParseTime(from ?? "now-7d", now, out var fromTime)) return BadRequest($"from: '{from}' is not a time between years 1 and 9999 (ISO 8601, Unix ms, now, now-7d).");
        if (!TimeParsing.TryParseTime(to ?? "now", now, out var toTime)) return BadRequest($"to: '{to}' is not a time between years 1 and 9999 (ISO 8601, Unix ms, now, now-7d).");
        if (fromTime > toTime) return BadRequest($"from ({fromTime:O}) is after to ({toTime:O}).");
        TimeSpan? stepSpan = null;
        if (step is not null)
        {
            if (!TimeParsing.TryParseDuration(step, out var s)) return BadRequest($"step: '{step}' is not a positive duration (e.g. 5m, 1h, 1d; at most 10675199d).");
            if ((toTime - fromTime) / s > MaxPointsPerSeries) return BadRequest($"step {step} over {toTime - fromTime} gives more than {MaxPointsPerSeries} points; use a larger step.");
            stepSpan = s;
        }

        var filter = new List<(string Name, string Value)>();
        foreach (var (name, values) in request.Query.Where(q => !SeriesParameters.Contains(q.Key)))
        {
            if (!def.Dimensions.Contains(name))
                return BadRequest($"'{name}' is not a dimension of {id} (dimensions: {(def.Dimensions.Count == 0 ? "none" : string.Join(", ", def.Dimensions))}).");
            filter.Add((name, values.ToString()));
        }

        var samples = await ledger.SeriesAsync(id, source, fromTime, toTime, ct);
        var series = samples
            .Where(s => filter.All(f => f.Value.Length == 0 ? s.Dimensions[f.Name] is null : s.Dimensions[f.Name] == f.Value))
            .GroupBy(s => (s.Source, s.Dimensions.Key))
            .OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g => new Series(g.Key.Source, ToMap(g.First().Dimensions), Target(id, g.Key.Source, g.First().Dimensions),
                Points(g.OrderBy(s => s.Time), fromTime, stepSpan)))
            .ToList();
        return TypedResults.Ok(new SeriesResponse(id, def.Unit, fromTime, toTime, step, series));
    }

    /// <summary>Raw samples, or per step the last sample in [start, start + step), stamped at the step's start.</summary>
    internal static IReadOnlyList<double[]> Points(IEnumerable<KpiSample> ordered, DateTimeOffset from, TimeSpan? step)
    {
        if (step is not { } s) return ordered.Select(p => new[] { p.Value, p.Time.ToUnixTimeMilliseconds() }).ToList();
        var buckets = new SortedDictionary<long, double>();
        foreach (var p in ordered)
        {
            var index = (p.Time - from).Ticks / s.Ticks;
            buckets[index] = p.Value; // ordered by time: the last one in the bucket wins
        }
        return buckets.Select(b => new[] { b.Value, (from + TimeSpan.FromTicks(b.Key * s.Ticks)).ToUnixTimeMilliseconds() }).ToList();
    }

    private static string Target(string kpi, string source, Dimensions dims) =>
        $"{kpi}{{source={source}{string.Concat(dims.Pairs.Select(p => $",{p.Key}={p.Value}"))}}}";

    private static CatalogEntry ToEntry(KpiDefinition d) =>
        new(d.Id, d.Family.Tag(), d.Unit, ToSnake(d.Direction), d.Description, d.Dimensions, d.Rebuildable, d.Period.ToString(), d.MetricName, d.Measurement, d.HasIssues);

    internal static IReadOnlyDictionary<string, string> ToMap(Dimensions d) => d.Pairs.ToDictionary(p => p.Key, p => p.Value);

    internal static string ToSnake(KpiDirection d) => d switch
    {
        KpiDirection.HigherIsBetter => "higher_is_better",
        KpiDirection.LowerIsBetter => "lower_is_better",
        _ => "neutral",
    };

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
}
