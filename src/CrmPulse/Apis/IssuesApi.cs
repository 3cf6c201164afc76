using System.ComponentModel;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmPulse.Apis;

/// <summary>
/// /api/data-quality/issues and /api/pipeline/issues: the records behind the latest data-quality and pipeline-hygiene
/// counts (drill-down), with links into the CRM. Record-level: they need the API key when one is configured.
/// </summary>
public static class IssuesApi
{
    /// <summary>Page size when none is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page a request may ask for.</summary>
    public const int MaxLimit = 1000;

    /// <summary>One offending record. <paramref name="Kind"/> is the KPI id that counts it; <paramref name="Link"/> opens
    /// the record in the CRM (null when the source cannot build one).</summary>
    public sealed record IssueItem(string Source, string Kind, string Object, string RecordId, string? Owner, string Team,
        string? Field, string? Detail, DateTimeOffset ComputedAt, string? Link);

    /// <summary>One page: <paramref name="Total"/> counts every match of the filters.</summary>
    public sealed record IssuesPage(int Total, int Offset, int Limit, IReadOnlyList<IssueItem> Items);

    public static IEndpointRouteBuilder MapIssuesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/data-quality").WithTags("Data quality")
            .MapGet("/issues", (IIssueStore store, SourceRegistry sources, [AsParameters] IssueFilter filter, CancellationToken ct) =>
                ListAsync("data_quality", [KpiFamily.DataQuality], store, sources, filter, ct))
            .WithName("DataQualityIssues")
            .WithSummary("The records behind the latest data-quality counts: kind (KPI id), object, record id, owner, team, field, detail, link.")
            .RequireApiKey();
        app.MapGroup("/api/pipeline").WithTags("Pipeline")
            .MapGet("/issues", (IIssueStore store, SourceRegistry sources, [AsParameters] IssueFilter filter, CancellationToken ct) =>
                ListAsync("pipeline", [KpiFamily.Pipeline, KpiFamily.Outcome], store, sources, filter, ct))
            .WithName("PipelineIssues")
            .WithSummary("The records behind the latest pipeline-hygiene counts (and unanswered leads, the account, licence and access-review and funnel KPIs of the outcomes): kind (KPI id), object, record id, owner, team, field, detail, link.")
            .RequireApiKey();
        return app;
    }

    /// <summary>
    /// Lists the issues of the KPIs of <paramref name="families"/> that have issues (<see cref="KpiDefinition.HasIssues"/>), named
    /// <paramref name="area"/> in messages. Paging is offset/limit or page/pageSize (1-based), not both.
    /// </summary>
    public static async Task<Results<Ok<IssuesPage>, ProblemHttpResult>> ListAsync(string area,
        IReadOnlyList<KpiFamily> families, IIssueStore store, SourceRegistry sources, IssueFilter filter, CancellationToken ct)
    {
        var kinds = KpiCatalog.All.Where(d => families.Contains(d.Family) && d.HasIssues).Select(d => d.Id).ToList();
        if (filter.Kind is not null && !kinds.Contains(filter.Kind, StringComparer.Ordinal))
        {
            var known = kinds.Count == 0 ? "none yet" : string.Join(", ", kinds);
            return BadRequest($"kind: '{filter.Kind}' is not a {area} issue kind, a KPI that counts records (known: {known}).");
        }
        var (offset, limit, error) = Paging(filter);
        if (error is not null) return BadRequest(error);

        var page = await store.QueryIssuesAsync(
            new IssueQuery(kinds, filter.Source, filter.Object, filter.Kind, filter.Owner, filter.Team, offset, limit, filter.Field), ct);
        var items = page.Items.Select(i => new IssueItem(i.Source, i.Issue.Kpi, i.Issue.Object, i.Issue.RecordId, i.Issue.OwnerId,
            i.Issue.Team, i.Issue.Field, i.Issue.Detail, i.ComputedAt, LinkOf(sources, i))).ToList();
        return TypedResults.Ok(new IssuesPage(page.Total, offset, limit, items));
    }

    private static (int Offset, int Limit, string? Error) Paging(IssueFilter f)
    {
        if ((f.Offset is not null || f.Limit is not null) && (f.Page is not null || f.PageSize is not null))
            return (0, 0, "Use offset/limit or page/pageSize, not both.");
        var limit = f.Limit ?? f.PageSize ?? DefaultLimit;
        var limitName = f.PageSize is not null ? "pageSize" : "limit";
        if (limit is < 1 or > MaxLimit) return (0, 0, $"{limitName}: must be between 1 and {MaxLimit}, was {limit}.");
        if (f.Offset is < 0) return (0, 0, $"offset: must be 0 or more, was {f.Offset}.");
        if (f.Page is < 1) return (0, 0, $"page: must be 1 or more, was {f.Page}.");
        var offset = f.Page is { } p ? (long)(p - 1) * limit : f.Offset ?? 0;
        return offset > int.MaxValue ? (0, 0, $"page: {f.Page} is past the end.") : ((int)offset, limit, null);
    }

    private static string? LinkOf(SourceRegistry sources, StoredIssue issue) =>
        sources.Contains(issue.Source) ? sources.Source(issue.Source).LinkTo(issue.Issue.Object, issue.Issue.RecordId)?.ToString() : null;

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    /// <summary>The query string of an issues request (names in camelCase, as the other endpoints write them).</summary>
    public sealed record IssueFilter(
        [FromQuery(Name = "source")][property: Description("Only this source.")] string? Source,
        [FromQuery(Name = "object")][property: Description("Only this object: contact, company, deal, task or user.")] string? Object,
        [FromQuery(Name = "kind")][property: Description("Only this kind: a KPI id of the family (400 lists them).")] string? Kind,
        [FromQuery(Name = "owner")][property: Description("Only records of this owner (user id).")] string? Owner,
        [FromQuery(Name = "team")][property: Description("Only records whose owner is in this team ('unassigned': no team or no owner).")] string? Team,
        [FromQuery(Name = "offset")][property: Description("Skip this many issues (default 0).")] int? Offset,
        [FromQuery(Name = "limit")][property: Description("Page size, 1 to 1000 (default 100).")] int? Limit,
        [FromQuery(Name = "page")][property: Description("1-based page number, with pageSize (instead of offset/limit).")] int? Page,
        [FromQuery(Name = "pageSize")][property: Description("Page size with page, 1 to 1000 (default 100).")] int? PageSize,
        [FromQuery(Name = "field")][property: Description("Only issues of this field (e.g. email).")] string? Field = null);
}
