using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Options;

namespace CrmPulse.Apis;

/// <summary>The configured targets (CrmPulse:Targets), matched to series and evaluated against the ledger.</summary>
public sealed class TargetBook(CrmPulseOptions options)
{
    /// <summary>
    /// The target of one series: same KPI, exactly the same dimensions (a target without dimensions is the roll-up's),
    /// and the same source, a target for that source winning over one for every source.
    /// </summary>
    public TargetOptions? Find(string kpi, string source, Dimensions dimensions) =>
        options.Targets
            .Where(t => t.Kpi == kpi && (t.Source is null || t.Source == source) && Dimensions.Of(t.Dimensions).Equals(dimensions))
            .OrderBy(t => t.Source is null ? 1 : 0)
            .FirstOrDefault();

    /// <summary>The target status of the series of <paramref name="latest"/>, or null when it has no target.</summary>
    public async Task<TargetStatus?> EvaluateAsync(ILedger ledger, KpiSample latest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Find(latest.Kpi, latest.Source, latest.Dimensions) is not { } target) return null;
        var series = await ledger.SeriesAsync(latest.Kpi, latest.Source, now - TargetEvaluator.TrendWindow, now, cancellationToken);
        return Evaluate(target, latest, series.Where(s => s.Dimensions.Equals(latest.Dimensions)), now);
    }

    /// <summary>The status of <paramref name="latest"/> against <paramref name="target"/>, with the series' samples (any
    /// range: only the trend window before <paramref name="now"/> counts).</summary>
    public static TargetStatus Evaluate(TargetOptions target, KpiSample latest, IEnumerable<KpiSample> series, DateTimeOffset now) =>
        TargetEvaluator.Evaluate(KpiCatalog.Get(latest.Kpi).Direction, target.Value!.Value, target.By!.Value, latest.Value,
            series.Select(s => (s.Time, s.Value)), now);
}
