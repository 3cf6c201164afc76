using CrmPulse.Core.Kpis;
using Prometheus;

namespace CrmPulse.Metrics;

/// <summary>
/// One gauge per catalog KPI, <see cref="KpiDefinition.MetricName"/> (in base units: seconds, ratios), labelled with source and the KPI's dimensions
/// (a roll-up sample has an empty value for the dimension it rolls up). Only the latest pass of each source is shown:
/// series a pass no longer produces are removed, so a vanished team does not linger with a stale value.
/// Scrapes read these cached values only; nothing is computed or fetched at scrape time.
/// </summary>
public sealed class KpiGauges
{
    private readonly Dictionary<string, Gauge> _gauges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(string Kpi, string[] Labels)>> _published = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public KpiGauges(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        foreach (var kpi in KpiCatalog.All)
        {
            var help = kpi.Description.EndsWith('.') ? kpi.Description : kpi.Description + ".";
            _gauges[kpi.Id] = factory.CreateGauge(kpi.MetricName, $"{help} Unit: {MetricUnit(kpi)}.",
                ["source", .. kpi.Dimensions], new GaugeConfiguration { SuppressInitialValue = true });
        }
    }

    /// <summary>Shows the samples of one KPI pass of one source, replacing that source's previous pass.</summary>
    public void Publish(string source, IEnumerable<KpiSample> samples)
    {
        lock (_lock)
        {
            var now = new HashSet<(string, string[])>(LabelComparer.Instance);
            foreach (var s in samples)
            {
                var gauge = _gauges[s.Kpi];
                var labels = LabelValues(KpiCatalog.Get(s.Kpi), s);
                gauge.WithLabels(labels).Set(KpiCatalog.Get(s.Kpi).MetricValue(s.Value));
                now.Add((s.Kpi, labels));
            }
            if (_published.TryGetValue(source, out var before))
            {
                foreach (var (kpi, labels) in before.Where(b => !now.Contains(b))) _gauges[kpi].RemoveLabelled(labels);
            }
            _published[source] = now;
        }
    }

    private static string MetricUnit(KpiDefinition kpi) =>
        kpi.MetricName.EndsWith("_seconds", StringComparison.Ordinal) ? $"seconds (the API gives {kpi.Unit})"
        : kpi.Unit == "score" ? "ratio (the API gives a score in points out of 100)"
        : kpi.Unit;

    private static string[] LabelValues(KpiDefinition kpi, KpiSample sample)
    {
        var values = new string[kpi.Dimensions.Count + 1];
        values[0] = sample.Source;
        for (var i = 0; i < kpi.Dimensions.Count; i++) values[i + 1] = sample.Dimensions[kpi.Dimensions[i]] ?? "";
        return values;
    }

    private sealed class LabelComparer : IEqualityComparer<(string Kpi, string[] Labels)>
    {
        public static readonly LabelComparer Instance = new();

        public bool Equals((string Kpi, string[] Labels) x, (string Kpi, string[] Labels) y) =>
            x.Kpi == y.Kpi && x.Labels.AsSpan().SequenceEqual(y.Labels);

        public int GetHashCode((string Kpi, string[] Labels) obj)
        {
            var hash = new HashCode();
            hash.Add(obj.Kpi);
            foreach (var l in obj.Labels) hash.Add(l);
            return hash.ToHashCode();
        }
    }
}
