using CrmPulse.Core.Kpis;

namespace CrmPulse.Apis;

/// <summary>Target status from a KPI's latest value and its recent samples. Pure.</summary>
public static class TargetEvaluator
{
    /// <summary>How far back the trend looks.</summary>
    public static readonly TimeSpan TrendWindow = TimeSpan.FromDays(30);

    /// <summary>
    /// "met" when <paramref name="current"/> is at or past the target in the good direction; otherwise "on_track" when
    /// the date has not passed and the least-squares line through the samples of the last 30 days (now − 30 d, now],
    /// evaluated at the end of <paramref name="by"/> (next midnight UTC), reaches the target; else "off_track" (also
    /// with fewer than two samples, or all at one time: no trend).
    /// </summary>
    public static TargetStatus Evaluate(KpiDirection direction, double target, DateOnly by, double current,
        IEnumerable<(DateTimeOffset Time, double Value)> series, DateTimeOffset now)
    {
        if (direction == KpiDirection.Neutral) throw new ArgumentException("A neutral KPI has no target direction.", nameof(direction));
        var sign = direction == KpiDirection.HigherIsBetter ? 1 : -1;
        var gap = sign * (current - target);
        var deadline = new DateTimeOffset(by.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var points = series.Where(p => p.Time > now - TrendWindow && p.Time <= now)
            .Select(p => (X: (p.Time - now).TotalDays, Y: p.Value)).ToList();
        var projected = Project(points, (deadline - now).TotalDays);

        var status = gap >= 0 ? "met"
            : now < deadline && projected is { } p && sign * (p - target) >= 0 ? "on_track"
            : "off_track";
        return new TargetStatus(target, by, gap, status, projected);
    }

    /// <summary>The least-squares line's value at <paramref name="x"/>, or null without two distinct x values.</summary>
    private static double? Project(List<(double X, double Y)> points, double x)
    {
        if (points.Count < 2) return null;
        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        if (sxx == 0) return null;
        var slope = points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
        return meanY + slope * (x - meanX);
    }
}
