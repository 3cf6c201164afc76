namespace CrmPulse.Core.Kpis;

/// <summary>Duplicates of contacts and companies (see Dedupe/): clusters, removable duplicates and their ratio.</summary>
/// <remarks>PLACEHOLDER (issue 3 contract): definitions and calculator are being written.</remarks>
public sealed class DuplicateKpis : IKpiFamily
{
    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } = [];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
