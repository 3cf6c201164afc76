namespace CrmPulse.Core.Kpis;

/// <summary>Outcomes for leadership: win rate, sales cycle, revenue, deal size, lead response and conversion, churn, NPS/CSAT, ROI estimate.</summary>
/// <remarks>PLACEHOLDER (issue 3 contract): definitions and calculator are being written.</remarks>
public sealed class OutcomeKpis : IKpiFamily
{
    public KpiFamily Family => KpiFamily.Outcome;

    public IReadOnlyList<KpiDefinition> Definitions { get; } = [];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
