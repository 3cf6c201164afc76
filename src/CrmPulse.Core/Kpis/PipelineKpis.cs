namespace CrmPulse.Core.Kpis;

/// <summary>Pipeline hygiene: overdue and ownerless tasks, deals past close date, stalled and aging deals, lost without reason, open pipeline.</summary>
/// <remarks>PLACEHOLDER (issue 3 contract): definitions and calculator are being written.</remarks>
public sealed class PipelineKpis : IKpiFamily
{
    public KpiFamily Family => KpiFamily.Pipeline;

    public IReadOnlyList<KpiDefinition> Definitions { get; } = [];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
