namespace CrmPulse.Core.Kpis;

/// <summary>
/// One KPI family: its catalog entries and its calculator. Each family lives in a file of its own under Kpis/ and is
/// listed once in <see cref="KpiCatalog.Families"/>. Calculators are pure: snapshot and as-of time in, samples out.
/// </summary>
public interface IKpiFamily
{
    KpiFamily Family { get; }

    IReadOnlyList<KpiDefinition> Definitions { get; }

    /// <summary>Adds this family's samples (and any per-user rows) for <see cref="KpiContext.AsOf"/> to <paramref name="output"/>.</summary>
    void Compute(KpiContext context, KpiOutput output);
}
