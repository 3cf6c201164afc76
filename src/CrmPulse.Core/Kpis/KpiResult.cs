namespace CrmPulse.Core.Kpis;

/// <summary>The output of one KPI pass for one source: samples, per-user rows and the records behind the issue counts.</summary>
public sealed record KpiResult(IReadOnlyList<KpiSample> Samples, IReadOnlyList<UserAdoptionRow> Users, IReadOnlyList<RecordIssue> Issues);
