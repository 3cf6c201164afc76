namespace CrmPulse.Core.Kpis;

/// <summary>The KPI catalog: every KPI CrmPulse produces, from the families listed here (one file each).</summary>
public static class KpiCatalog
{
    /// <summary>The families, in catalog order. Adding a family means writing its file and listing it here.</summary>
    public static readonly IReadOnlyList<IKpiFamily> Families =
    [
        new AdoptionKpis(),
        new ActivityKpis(),
        new DataQualityKpis(),
        new DataQualityCoverageKpis(),
        new DataQualityValidityKpis(),
        new DataQualityHygieneKpis(),
        new DataQualityPicklistKpis(),
        new DataQualityScoreKpis(),
        new DuplicateKpis(),
        new PipelineKpis(),
        new OutcomeKpis(),
        new AccountKpis(),
        new LicenceKpis(),
        new FunnelKpis(),
        new IntegrationKpis(),
        new Reconciliation.ReconciliationKpis(),
    ];

    public static readonly IReadOnlyList<KpiDefinition> All = BuildAll();

    private static readonly Dictionary<string, KpiDefinition> ById = All.ToDictionary(d => d.Id, StringComparer.Ordinal);

    public static bool TryGet(string id, out KpiDefinition definition) => ById.TryGetValue(id, out definition!);

    public static KpiDefinition Get(string id) =>
        ById.TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"No KPI '{id}' in the catalog.");

    private static List<KpiDefinition> BuildAll()
    {
        var all = Families.SelectMany(f => f.Definitions).ToList();
        var dup = all.GroupBy(d => d.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InvalidOperationException($"KPI id '{dup.Key}' is defined twice.");
        return all;
    }
}
