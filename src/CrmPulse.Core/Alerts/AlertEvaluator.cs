using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Alerts;

/// <summary>
/// Evaluates one rule over ledger samples at one time: one observation per matching series. Pure: the host reads the
/// samples (from now − <see cref="AlertRule.Lookback"/> to now) and passes them in.
/// </summary>
/// <remarks>
/// Drop and rise: the current value is the latest sample at or before now that is not on a quiet day (when the rule
/// skips quiet days). Baseline point k (k = 1, 2, …) is the latest sample in (c − (k+1)·Period, c − k·Period], c being
/// the current sample's time, so every point is taken at the same time of day (and, for a 7-day period, the same
/// weekday) as the current one; points on quiet days and empty periods are stepped over, up to k = MaxSteps (2·Periods + 2), until
/// Periods points are found. The baseline is their median. Drop fires when (baseline − current) ÷ baseline ≥
/// Threshold, rise when (current − baseline) ÷ baseline ≥ Threshold; with fewer than MinPeriods points or a baseline
/// ≤ 0 the rule cannot tell (Active null).
/// </remarks>
public static class AlertEvaluator
{
    /// <summary>The observations of <paramref name="rule"/> at <paramref name="now"/>.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="samples">Samples of the rule's KPI (any source, any dimensions: they are filtered here).</param>
    /// <param name="now">The evaluation time; later samples are ignored.</param>
    /// <param name="quiet">Weekends and holidays.</param>
    /// <param name="expectedSources">Absent rules: sources that must have a series even when none is stored (an absent
    /// series fires for them). Ignored by other kinds.</param>
    public static IReadOnlyList<AlertObservation> Evaluate(AlertRule rule, IReadOnlyList<KpiSample> samples, DateTimeOffset now,
        QuietDays quiet, IReadOnlyCollection<string>? expectedSources = null)
    {
        var series = samples
            .Where(s => s.Time <= now && (rule.Source is null || s.Source == rule.Source) && Matches(rule.Dimensions, s.Dimensions))
            .GroupBy(s => (s.Source, s.Dimensions))
            .OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.Dimensions.Key, StringComparer.Ordinal);
        var observations = new List<AlertObservation>();
        foreach (var group in series)
        {
            var points = group.OrderBy(s => s.Time).ToList();
            var (source, dims) = group.Key;
            observations.Add(rule.Kind switch
            {
                AlertKind.Above => Threshold(source, dims, points[^1], points[^1].Value > rule.Threshold),
                AlertKind.Below => Threshold(source, dims, points[^1], points[^1].Value < rule.Threshold),
                AlertKind.Drop or AlertKind.Rise => Baseline(rule, source, dims, points, quiet),
                _ => new AlertObservation(source, dims, now - points[^1].Time > rule.StaleAfter, points[^1].Value, null, points[^1].Time),
            });
        }
        if (rule.Kind == AlertKind.Absent && rule.Dimensions.Values.All(v => v != "*"))
        {
            // A source that never wrote the series is absent too (it cannot be discovered from samples).
            var wanted = Dimensions.Of(rule.Dimensions);
            var expected = rule.Source is { } only ? [only] : expectedSources ?? [];
            foreach (var source in expected.Where(s => observations.All(o => o.Source != s)).Order(StringComparer.Ordinal))
                observations.Add(new AlertObservation(source, wanted, true, null, null, null));
        }
        return observations;
    }

    /// <summary>A series matches when it has exactly the rule's dimension names, with the given values ("*": any).</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> wanted, Dimensions dimensions) =>
        dimensions.Count == wanted.Count && wanted.All(w => dimensions[w.Key] is { } v && (w.Value == "*" || w.Value == v));

    /// <summary>The median: the middle value, or the mean of the two middle values.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static AlertObservation Threshold(string source, Dimensions dims, KpiSample latest, bool active) =>
        new(source, dims, active, latest.Value, null, latest.Time);

    private static AlertObservation Baseline(AlertRule rule, string source, Dimensions dims, List<KpiSample> points, QuietDays quiet)
    {
        bool Skip(KpiSample s) => rule.SkipQuietDays && quiet.IsQuiet(s.Time);
        var current = points.LastOrDefault(s => !Skip(s));
        if (current is null) return new AlertObservation(source, dims, null, null, null, null);

        var baseline = new List<double>();
        for (var k = 1; k <= rule.MaxSteps && baseline.Count < rule.Periods; k++)
        {
            var end = current.Time - rule.Period * k;
            var start = end - rule.Period;
            var point = points.LastOrDefault(s => s.Time > start && s.Time <= end);
            if (point is not null && !Skip(point)) baseline.Add(point.Value);
        }
        if (baseline.Count < (rule.MinPeriods ?? rule.Periods)) return new AlertObservation(source, dims, null, current.Value, null, current.Time);
        var median = Median(baseline);
        if (median <= 0) return new AlertObservation(source, dims, null, current.Value, median, current.Time);
        var change = (current.Value - median) / median;
        var active = rule.Kind == AlertKind.Drop ? -change >= rule.Threshold : change >= rule.Threshold;
        return new AlertObservation(source, dims, active, current.Value, median, current.Time);
    }
}
