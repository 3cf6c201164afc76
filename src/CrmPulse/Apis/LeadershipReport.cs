using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;

namespace CrmPulse.Apis;

/// <summary>
/// The leadership report: for each leadership KPI and source, the roll-up's value in the current and previous period
/// (the latest sample in each), the change, the target status, and the dimension series (per team, …) that moved most.
/// </summary>
public sealed record LeadershipReport(string Period, DateTimeOffset PreviousFrom, DateTimeOffset From, DateTimeOffset To,
    IReadOnlyList<LeadershipReport.Item> Kpis)
{
    /// <summary>The KPIs leaders review, in report order (each a catalog id: a test checks it).</summary>
    public static readonly IReadOnlyList<string> LeadershipKpis =
    [
        "weekly_active_ratio", "active_contributor_ratio", "data_quality_score", "win_rate", "new_revenue_30d",
        "sales_cycle_median", "lead_response_time_median", "open_pipeline_value", "stalled_deals",
    ];

    /// <summary>At most this many movers per KPI and source.</summary>
    public const int MaxMovers = 3;

    public sealed record PeriodValue(double Value, DateTimeOffset Time);

    /// <summary>A dimension series' change between the periods; ChangeRatio = change ÷ |previous|.</summary>
    public sealed record Mover(IReadOnlyDictionary<string, string> Dimensions, double Current, double Previous, double Change, double ChangeRatio);

    /// <param name="Improved">Whether the change is for the better by the KPI's direction (null without a change or for a neutral KPI).</param>
    public sealed record Item(string Kpi, string Unit, string Direction, string Source, PeriodValue? Current, PeriodValue? Previous,
        double? Change, bool? Improved, TargetStatus? Target, IReadOnlyList<Mover> Movers);

    /// <summary>Builds the report for <paramref name="period"/> from the ledger (every source, or one).</summary>
    public static async Task<LeadershipReport> BuildAsync(ILedger ledger, TargetBook targets, ReportPeriod period, string? source,
        CancellationToken cancellationToken)
    {
        var items = new List<Item>();
        foreach (var kpi in LeadershipKpis)
        {
            if (!KpiCatalog.TryGet(kpi, out var def)) continue;
            var samples = await ledger.SeriesAsync(kpi, source, period.PreviousFrom, period.To, cancellationToken);
            foreach (var bySource in samples.GroupBy(s => s.Source).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var series = bySource.GroupBy(s => s.Dimensions).ToDictionary(g => g.Key, g => (Current: Last(g, period.From, period.To, inclusiveEnd: true), Previous: Last(g, period.PreviousFrom, period.From, inclusiveEnd: false)));
                if (!series.TryGetValue(Dimensions.None, out var rollup)) continue;
                if (rollup.Current is null && rollup.Previous is null) continue;

                double? change = rollup.Current is { } c && rollup.Previous is { } p ? c.Value - p.Value : null;
                bool? improved = change is { } ch && ch != 0 && def.Direction != KpiDirection.Neutral
                    ? (def.Direction == KpiDirection.HigherIsBetter) == (ch > 0) : null;
                var target = rollup.Current is { } cur
                    ? await targets.EvaluateAsync(ledger, cur, period.To, cancellationToken)
                    : null;
                var movers = series
                    .Where(s => s.Key.Count > 0 && s.Value.Current is not null && s.Value.Previous is { Value: not 0 })
                    .Select(s => new Mover(KpiApi.ToMap(s.Key), s.Value.Current!.Value, s.Value.Previous!.Value,
                        s.Value.Current.Value - s.Value.Previous.Value, (s.Value.Current.Value - s.Value.Previous.Value) / Math.Abs(s.Value.Previous.Value)))
                    .OrderByDescending(m => Math.Abs(m.ChangeRatio))
                    .ThenBy(m => string.Join(",", m.Dimensions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")), StringComparer.Ordinal)
                    .Take(MaxMovers)
                    .ToList();
                items.Add(new Item(kpi, def.Unit, KpiApi.ToSnake(def.Direction), bySource.Key,
                    rollup.Current is null ? null : new PeriodValue(rollup.Current.Value, rollup.Current.Time),
                    rollup.Previous is null ? null : new PeriodValue(rollup.Previous.Value, rollup.Previous.Time),
                    change, improved, target, movers));
            }
        }
        return new LeadershipReport(period.Kind, period.PreviousFrom, period.From, period.To, items);
    }

    /// <summary>The latest sample with from ≤ time &lt; to (≤ to with <paramref name="inclusiveEnd"/>: the current period ends now).</summary>
    private static KpiSample? Last(IEnumerable<KpiSample> samples, DateTimeOffset from, DateTimeOffset to, bool inclusiveEnd) =>
        samples.Where(s => s.Time >= from && (s.Time < to || (inclusiveEnd && s.Time == to))).MaxBy(s => s.Time);
}
