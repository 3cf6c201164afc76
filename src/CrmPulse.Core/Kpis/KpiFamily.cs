namespace CrmPulse.Core.Kpis;

/// <summary>The KPI families of the catalog. Each names an InfluxDB measurement (crm_&lt;family&gt;) and a metric prefix.</summary>
public enum KpiFamily
{
    Adoption,
    Activity,
    DataQuality,
    Pipeline,
    Outcome,
    Integration,
    Reconciliation,
}

public static class KpiFamilies
{
    /// <summary>snake_case name: adoption, activity, data_quality, pipeline, outcome, integration, reconciliation.</summary>
    public static string Tag(this KpiFamily family) => family switch
    {
        KpiFamily.Adoption => "adoption",
        KpiFamily.Activity => "activity",
        KpiFamily.DataQuality => "data_quality",
        KpiFamily.Pipeline => "pipeline",
        KpiFamily.Outcome => "outcome",
        KpiFamily.Integration => "integration",
        KpiFamily.Reconciliation => "reconciliation",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };
}
