namespace CrmPulse.Core.Kpis;

/// <summary>One entry of the KPI catalog.</summary>
/// <param name="Id">snake_case id: the InfluxDB field, the API's kpi, part of the Prometheus name.</param>
/// <param name="Family">Family (measurement crm_&lt;family&gt;).</param>
/// <param name="Unit">"count", "users", "ratio" (0..1), "score" (0..100; NPS −100..100), "activities_per_user", "milliseconds", "minutes", "days", "currency", "flag" (0 or 1).</param>
/// <param name="Direction">Which way is good.</param>
/// <param name="Description">Formula and meaning, in one or two sentences.</param>
/// <param name="Dimensions">Dimension names the samples may carry (team, type, object, field, …). A sample without one
/// of them is the roll-up over it (e.g. adoption without team is the whole org).</param>
/// <param name="Rebuildable">True when the KPI can be computed for a past date from timestamps (backfill).</param>
/// <param name="Period">The period that "previous value" compares against (the KPI's window, or a day).</param>
public sealed record KpiDefinition(
    string Id,
    KpiFamily Family,
    string Unit,
    KpiDirection Direction,
    string Description,
    IReadOnlyList<string> Dimensions,
    bool Rebuildable,
    TimeSpan Period)
{
    /// <summary>True when the KPI counts records that a pass also lists as issues (<see cref="RecordIssue"/>, the
    /// drill-down): its count equals its issues. Only such KPIs are issue kinds in the issues API; other counts
    /// (records, open_deals, duplicate_clusters) have no records behind them.</summary>
    public bool HasIssues { get; init; }

    /// <summary>
    /// The Prometheus gauge name, in base units as Prometheus' naming practice asks: crmpulse_&lt;family&gt;_&lt;id&gt;,
    /// the family's word left out of the id (integration_freshness: crmpulse_integration_freshness_seconds,
    /// open_pipeline_value: crmpulse_pipeline_open_value), durations
    /// in seconds with a _seconds suffix and 0..100 scores as ratios with a _ratio suffix. The gauge's value is
    /// <see cref="MetricValue"/> of the sample's; the ledger, the API and InfluxDB keep the catalog's unit.
    /// </summary>
    public string MetricName
    {
        get
        {
            var tag = Family.Tag();
            var name = $"_{Id}_".Replace($"_{tag}_", "_", StringComparison.Ordinal).Trim('_');
            return $"crmpulse_{tag}_{name}{MetricSuffix(Unit)}";
        }
    }

    /// <summary>A sample's value as its gauge shows it: minutes, days and milliseconds in seconds, a score (points out
    /// of 100) as a ratio; any other unit unchanged.</summary>
    public double MetricValue(double value) => Unit switch
    {
        "milliseconds" => value / 1000,
        "minutes" => value * 60,
        "days" => value * 86_400,
        "score" => value / 100,
        _ => value,
    };

    private static string MetricSuffix(string unit) => unit switch
    {
        "milliseconds" or "minutes" or "days" => "_seconds",
        "score" => "_ratio",
        _ => "",
    };

    /// <summary>The InfluxDB measurement: crm_&lt;family&gt;.</summary>
    public string Measurement => $"crm_{Family.Tag()}";
}
