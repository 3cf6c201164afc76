using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Store;

/// <summary>
/// The records behind the latest data-quality and pipeline-hygiene counts of each source (drill-down). Each KPI pass
/// replaces its source's list as a whole, in the transaction that stores its samples
/// (<see cref="IKpiStore.CommitPassAsync"/>), so the list always matches the latest samples.
/// </summary>
public interface IIssueStore
{
    /// <summary>One page of issues matching <paramref name="query"/>, ordered by source, kpi, object, record id, field.</summary>
    Task<IssuePage> QueryIssuesAsync(IssueQuery query, CancellationToken cancellationToken);
}

/// <summary>Filters (null = any) and paging of an issue query. <paramref name="Kpis"/> limits to these issue kinds
/// (e.g. every data-quality KPI for /api/data-quality/issues). <paramref name="Field"/> selects the issues of one field
/// ("" those that name none), so a count per object and field opens exactly its records.</summary>
public sealed record IssueQuery(
    IReadOnlyCollection<string> Kpis,
    string? Source = null,
    string? Object = null,
    string? Kpi = null,
    string? OwnerId = null,
    string? Team = null,
    int Offset = 0,
    int Limit = 100,
    string? Field = null);

/// <summary>A stored issue with the source it belongs to and the time of the pass that found it.</summary>
public sealed record StoredIssue(string Source, DateTimeOffset ComputedAt, RecordIssue Issue);

/// <summary>One page of a query: <paramref name="Total"/> counts every match, <paramref name="Items"/> the page.</summary>
public sealed record IssuePage(int Total, IReadOnlyList<StoredIssue> Items);
