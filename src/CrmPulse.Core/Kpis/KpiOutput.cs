namespace CrmPulse.Core.Kpis;

/// <summary>Collects what the families compute in one pass (the accumulator).</summary>
public sealed class KpiOutput(string source, DateTimeOffset asOf)
{
    public List<KpiSample> Samples { get; } = [];

    public List<UserAdoptionRow> Users { get; } = [];

    public void Add(string kpi, double value, Dimensions dimensions, string? basis = null) =>
        Samples.Add(new KpiSample(kpi, source, dimensions, value, asOf, basis));

    public void Add(string kpi, double value, string? basis = null) => Add(kpi, value, Dimensions.None, basis);
}
