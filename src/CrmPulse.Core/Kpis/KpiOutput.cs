namespace CrmPulse.Core.Kpis;

/// <summary>Collects what the families compute in one pass (the accumulator).</summary>
public sealed class KpiOutput(string source, DateTimeOffset asOf)
{
    public List<KpiSample> Samples { get; } = [];

    public List<UserAdoptionRow> Users { get; } = [];

    /// <summary>The records behind the data-quality and pipeline-hygiene counts (drill-down).</summary>
    /// <remarks>Compact rows, not an object per issue (a pass at a million contacts finds about 3.7 million).</remarks>
    public IssueBuffer Issues { get; } = new();

    public void Add(string kpi, double value, Dimensions dimensions, string? basis = null) =>
        Samples.Add(new KpiSample(kpi, source, dimensions, value, asOf, basis));

    public void Add(string kpi, double value, string? basis = null) => Add(kpi, value, Dimensions.None, basis);

    public void AddIssue(RecordIssue issue) => Issues.Add(issue);

    /// <summary>Adds an issue whose detail is a text.</summary>
    public void AddIssue(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, string? detail) =>
        Issues.Add(kpi, objectType, recordId, ownerId, team, field, detail);

    /// <summary>Adds an issue whose detail is written out from <paramref name="code"/> and its arguments when read
    /// (<see cref="IssueText"/>).</summary>
    public void AddIssue(string kpi, string objectType, string recordId, string? ownerId, string team, string? field,
        IssueCode code, string? a = null, string? b = null, long m = 0, long n = 0, double x = 0, double y = 0) =>
        Issues.Add(kpi, objectType, recordId, ownerId, team, field, code, a, b, m, n, x, y);

    /// <summary>Adds an issue whose detail is written out from <paramref name="text"/> when read (kept as its code and
    /// arguments, not as the object).</summary>
    public void AddIssue(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, IssueText text) =>
        Issues.Add(kpi, objectType, recordId, ownerId, team, field, text);

    /// <summary>Adds an issue whose detail is <paramref name="text"/>, one instance shared by many issues (kept once per
    /// chunk of rows, each row holding its number).</summary>
    public void AddIssueSharedText(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, IssueText text) =>
        Issues.AddShared(kpi, objectType, recordId, ownerId, team, field, text);

    /// <summary>Adds the rows of <paramref name="issues"/> (shared, not copied).</summary>
    public void AddIssues(IssueBuffer issues) => Issues.AddRange(issues);
}
