using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Tests.Alerts;

/// <summary>Hand-made series for the alert tests. 2026-11-02 is a Monday.</summary>
internal static class AlertSeries
{
    public static readonly DateTimeOffset Monday = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static KpiSample Sample(string kpi, double value, DateTimeOffset time, string? team = null, string source = "crm") =>
        new(kpi, source, Dimensions.Of(("team", team)), value, time);

    /// <summary>One sample per day at 09:00 from <paramref name="first"/>, the values in order.</summary>
    public static List<KpiSample> Daily(string kpi, DateTimeOffset first, string? team, params double[] values) =>
        values.Select((v, i) => Sample(kpi, v, first.AddDays(i), team)).ToList();

    public static AlertRule Drop(double threshold = 0.25, int periods = 3, TimeSpan? period = null, string? summary = null) => new()
    {
        Name = "adoption-drop", Kind = AlertKind.Drop, Kpi = "weekly_active_ratio", Dimensions = new() { ["team"] = "*" },
        Threshold = threshold, Periods = periods, Period = period ?? TimeSpan.FromDays(1), Summary = summary,
    };
}
