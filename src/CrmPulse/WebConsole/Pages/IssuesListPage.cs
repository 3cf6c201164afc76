using CrmPulse.Apis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/data-quality/issues and /pipeline/issues: the records behind a count, paged, with links into the CRM and a
/// CSV download of the whole list. Record-level: needs a key or a session when keys are configured.</summary>
public static class IssuesListPage
{
    public const int PageSize = 100;

    public static async Task<Markup> RenderAsync(string area, ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var page = Math.Max(1, int.TryParse(view.Query["page"], out var p) ? p : 1);
        var filter = Filter(view, page, PageSize);
        var result = await data.IssuesAsync(area, filter, ct);
        var rows = result.Items.Select(i => Html.Of($"""
            <tr data-record="{i.RecordId}"><td>{(i.Link is null ? Html.Of($"{i.RecordId}") : Html.Of($"<a href=\"{i.Link}\" rel=\"noreferrer\" target=\"_blank\">{i.RecordId}</a>"))}</td>
            <td>{i.Object}</td><td>{Format.Label(i.Kind)}</td><td>{i.Field ?? ""}</td><td>{i.Owner ?? "none"}</td><td>{i.Team}</td><td>{i.Detail ?? ""}</td></tr>
            """));
        var pages = (result.Total + PageSize - 1) / PageSize;
        var what = string.Join(", ", new[] { filter.Kind is { } k ? Format.Label(k) : null, filter.Object, filter.Field, filter.Team is { } t ? "team " + t : null }.Where(x => x is not null));
        var back = area switch { "pipeline" => "/pipeline", "reconciliation" => "/reconciliation", _ => "/data-quality" };
        return Html.Of($"""
            <p><a href="{view.Link(back)}">← back</a></p>
            <div class="actions"><span data-issues-total="{result.Total}"><strong>{result.Total:N0}</strong> records{(what.Length > 0 ? ": " + what : "")}</span>
              <a href="{ConsoleView.With($"{back}/issues.csv", [("source", view.Source), ("kind", filter.Kind), ("object", filter.Object), ("field", filter.Field), ("team", filter.Team)])}" download>Download CSV (all {result.Total:N0})</a></div>
            {Widgets.Table("Records", [Widgets.Th("Record"), Widgets.Th("Object"), Widgets.Th("Issue"), Widgets.Th("Field"), Widgets.Th("Owner"), Widgets.Th("Team"), Widgets.Th("Detail")], rows)}
            {AdoptionPage.Pager(view, page, pages)}
            """);
    }

    /// <summary>The API's filter from the URL (source and team from the view).</summary>
    public static IssuesApi.IssueFilter Filter(ConsoleView view, int page, int pageSize)
    {
        string? Q(string name) => view.Query[name].ToString() is { Length: > 0 } v ? v : null;
        return new IssuesApi.IssueFilter(view.Source, Q("object"), Q("kind"), Q("owner"), view.Team, null, null, page, pageSize, Q("field"));
    }
}
