namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: fill rates of the monitored fields of each object, and completeness.</summary>
public sealed class DataQualityKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("field_fill_rate", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of records of the object whose field is filled (not null, not empty, not only white space).",
            ["object", "field"], false, Day),
        new("completeness_score", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Mean over the object's records of (monitored fields filled ÷ monitored fields).", ["object"], false, Day),
        new("complete_records_ratio", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of the object's records with every monitored field filled.", ["object"], false, Day),
        new("records", KpiFamily.DataQuality, "count", KpiDirection.Neutral,
            "Records of the object in the mirror (the denominator of its ratios).", ["object"], false, Day),
    ];

    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
