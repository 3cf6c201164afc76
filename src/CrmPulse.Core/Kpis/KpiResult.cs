namespace CrmPulse.Core.Kpis;

/// <summary>The output of one KPI pass for one source.</summary>
public sealed record KpiResult(IReadOnlyList<KpiSample> Samples, IReadOnlyList<UserAdoptionRow> Users);
