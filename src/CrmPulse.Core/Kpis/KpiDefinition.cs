namespace CrmPulse.Core.Kpis;

/// <summary>One entry of the KPI catalog.</summary>
/// <param name="Id">snake_case id: the InfluxDB field, the API's kpi, part of the Prometheus name.</param>
/// <param name="Family">Family (measurement crm_&lt;family&gt;).</param>
/// <param name="Unit">"count", "users", "ratio" (0..1), "score" (0..100), "activities_per_user", "minutes", "days", "currency".</param>
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

    /// <summary>The Prometheus gauge name: crmpulse_&lt;family&gt;_&lt;id&gt;.</summary>
    public string MetricName => $"crmpulse_{Family.Tag()}_{Id}";

    /// <summary>The InfluxDB measurement: crm_&lt;family&gt;.</summary>
    public string Measurement => $"crm_{Family.Tag()}";
}
