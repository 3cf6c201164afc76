namespace CrmPulse.Core.Kpis;

/// <summary>Collects what the families compute in one pass (the accumulator).</summary>
public sealed class KpiOutput(string source, DateTimeOffset asOf)
{
    public List<KpiSample> Samples { get; } = [];

    public List<UserAdoptionRow> Users { get; } = [];

    /// <summary>The records behind the data-quality and pipeline-hygiene counts (drill-down).</summary>
    public List<RecordIssue> Issues { get; } = [];

    public void Add(string kpi, double value, Dimensions dimensions, string? basis = null) =>
        Samples.Add(new KpiSample(kpi, source, dimensions, value, asOf, basis));

    public void Add(string kpi, double value, string? basis = null) => Add(kpi, value, Dimensions.None, basis);

    public void AddIssue(RecordIssue issue) => Issues.Add(issue);
}
