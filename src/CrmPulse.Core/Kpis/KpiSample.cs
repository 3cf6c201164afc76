namespace CrmPulse.Core.Kpis;

/// <summary>One KPI value for one source and one set of dimensions at one time.</summary>
/// <param name="Kpi">Catalog id.</param>
/// <param name="Source">Source name (the source tag).</param>
/// <param name="Dimensions">Dimension values; none for the roll-up.</param>
/// <param name="Value">The value, in the KPI's unit.</param>
/// <param name="Time">The as-of time the value was computed for.</param>
/// <param name="Basis">What the value rests on when a KPI has more than one basis (adoption: "login" or "activity").</param>
public sealed record KpiSample(string Kpi, string Source, Dimensions Dimensions, double Value, DateTimeOffset Time, string? Basis = null);
