using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>The KPI engine: (mirror snapshot, asOf, options) → samples. Pure; the same code for every source.</summary>
public static class KpiEngine
{
    /// <summary>Computes every family of the catalog (or only <paramref name="rebuildableOnly"/> KPIs for past dates).</summary>
    public static KpiResult Compute(CrmSnapshot snapshot, DateTimeOffset asOf, KpiOptions options, bool rebuildableOnly = false)
    {
        var context = new KpiContext(snapshot, asOf, options);
        var output = new KpiOutput(snapshot.Source, asOf);
        // A past date (backfill) gets no duplicate KPIs, so only a full pass starts the matcher early.
        if (!rebuildableOnly) context.StartClustering();
        foreach (var family in KpiCatalog.Families)
        {
            // A past date only gets rebuildable KPIs: a family with none (data quality, duplicates) is not run at all,
            // so a backfill does not pay for deduplication at every step.
            if (rebuildableOnly && !family.Definitions.Any(d => d.Rebuildable)) continue;
            family.Compute(context, output);
        }
        IReadOnlyList<KpiSample> samples = output.Samples;
        if (rebuildableOnly)
        {
            samples = samples.Where(s => KpiCatalog.Get(s.Kpi).Rebuildable).ToList();
        }
        return new KpiResult(samples, output.Users, rebuildableOnly ? [] : output.Issues);
    }
}
