namespace CrmPulse.Core.Kpis;

/// <summary>Integration health: probes, the CRM API itself, and the records each integration writes (freshness, volume, duplicates).</summary>
/// <remarks>PLACEHOLDER (issue 3 contract): definitions and calculator are being written.</remarks>
public sealed class IntegrationKpis : IKpiFamily
{
    public KpiFamily Family => KpiFamily.Integration;

    public IReadOnlyList<KpiDefinition> Definitions { get; } = [];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
