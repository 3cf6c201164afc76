namespace CrmPulse.Core.Kpis;

/// <summary>Nearest-rank percentiles: the value at rank ⌈p/100 × n⌉ of the sorted values, so the result is always one of
/// the observed values (no interpolation: "p95 latency 120 ms" means a request really took 120 ms).</summary>
public static class Percentiles
{
    /// <summary>The <paramref name="percent"/>th percentile (0 &lt; percent ≤ 100) of <paramref name="values"/>, or null when there are none.</summary>
    public static double? Of(IEnumerable<double> values, double percent)
    {
        if (percent is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile lies in (0, 100].");
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>The median of <paramref name="values"/>: the middle value, or the mean of the two middle ones; null when empty.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
