using CrmPulse.Apis;
using CrmPulse.WebConsole.Charts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/adoption: active ratios per team over time, the team table, and the per-user table (record-level).</summary>
public static class AdoptionPage
{
    public static readonly IReadOnlyList<string> TeamColumns =
    [
        "licensed_users", "weekly_active_users", "weekly_active_ratio", "monthly_active_ratio", "active_contributor_ratio",
        "users_never_logged_in", "users_inactive_30d",
    ];

    public static readonly IReadOnlyList<string> SortKeys = ["name", "team", "status", "last_login", "logins_30d", "activities_30d"];

    public const int PageSize = 100;

    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var latest = await data.LatestAsync(view.Source, ct);
        var samples = await data.SeriesAsync("weekly_active_ratio", view.Source, view.From, ct);
        var teams = view.Team is null ? view.Teams : [view.Team];
        var lines = new List<ChartSeries> { new("Whole org", ConsoleData.Points(samples, Dimensions.None, view.From, view.Step), Emphasis: true) };
        lines.AddRange(teams.Select(t => new ChartSeries(t, ConsoleData.Points(samples, Dimensions.Of(("team", t)), view.From, view.Step))));
        var chart = LineChart.Render("Weekly active ratio per team", "ratio", lines, Target(latest, "weekly_active_ratio"), view.From, view.Now);

        var rows = new[] { (Label: "Whole org", Team: (string?)null) }.Concat(teams.Select(t => (Label: t, Team: (string?)t))).Select(r =>
        {
            var cells = TeamColumns.Select(kpi =>
            {
                var v = latest.FirstOrDefault(x => x.Kpi == kpi && (r.Team is null ? x.Dimensions.Count == 0 : x.Dimensions.Count == 1 && x.Dimensions.GetValueOrDefault("team") == r.Team));
                if (v is null) return Html.Raw("<td class=\"num\">–</td>");
                var status = kpi switch { "users_never_logged_in" => "never", "users_inactive_30d" => "inactive", _ => null };
                return Widgets.ValueCell(v, status is null ? null : view.LinkWithTeam("/adoption", r.Team, ("status", status)) + "#users");
            });
            return Html.Of($"<tr><th scope=\"row\">{r.Label}</th>{cells}</tr>");
        });
        var teamTable = Widgets.Table("Adoption per team", [Widgets.Th("Team"), .. TeamColumns.Select(k => Widgets.Th(Format.Label(k), true))], rows);

        var users = view.MayListRecords ? await UsersAsync(view, data, ct) : Layout.Message("The per-user table lists people: sign in with an API key to see it.");
        return Html.Of($"""
            <h2>Weekly active ratio over time</h2>
            {chart}
            <h2>Per team</h2>
            <p class="context">Humans only: integration and excluded users are left out of every ratio.</p>
            {teamTable}
            <h2 id="users">Users</h2>
            {users}
            """);
    }

    private static double? Target(IReadOnlyList<KpiApi.LatestValue> latest, string kpi) =>
        latest.FirstOrDefault(v => v.Kpi == kpi && v.Dimensions.Count == 0)?.Target?.Value;

    private static async Task<Markup> UsersAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var status = view.Query["status"].ToString() is { Length: > 0 } s ? s : null;
        var rows = await data.UsersAsync(view.Source, view.Team, status, ct);
        var sort = SortKeys.Contains(view.Query["sort"].ToString()) ? view.Query["sort"].ToString() : "name";
        var descending = view.Query["dir"] == "desc";
        IEnumerable<UserAdoptionRow> sorted = sort switch
        {
            "team" => rows.OrderBy(r => r.Team, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal),
            "status" => rows.OrderBy(r => r.Status, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal),
            "last_login" => rows.OrderBy(r => r.LastLogin ?? DateTimeOffset.MinValue).ThenBy(r => r.Name, StringComparer.Ordinal),
            "logins_30d" => rows.OrderBy(r => r.Logins30d).ThenBy(r => r.Name, StringComparer.Ordinal),
            "activities_30d" => rows.OrderBy(r => r.Activities30d).ThenBy(r => r.Name, StringComparer.Ordinal),
            _ => rows.OrderBy(r => r.Name, StringComparer.Ordinal),
        };
        if (descending) sorted = sorted.Reverse();
        var page = Math.Max(1, int.TryParse(view.Query["page"], out var p) ? p : 1);
        var shown = sorted.Skip((page - 1) * PageSize).Take(PageSize).Select(r => Html.Of($"""
            <tr data-user="{r.UserId}"><td>{r.Name}</td><td>{r.Email ?? ""}</td><td>{r.Team}</td><td>{Widgets.Badge(r.Status)}</td><td>{Format.Time(r.LastLogin)}</td>
            <td class="num">{r.Logins7d}</td><td class="num">{r.Logins30d}</td><td class="num">{r.Activities7d}</td><td class="num">{r.Activities30d}</td></tr>
            """));

        Markup Sortable(string key, string label, bool num = false)
        {
            var dir = sort == key && !descending ? "desc" : "asc";
            var mark = sort == key ? (descending ? " ▼" : " ▲") : "";
            var aria = sort == key ? Html.Of($" aria-sort=\"{(descending ? "descending" : "ascending")}\"") : Markup.Empty;
            return Html.Of($"<th scope=\"col\"{aria}{Html.Raw(num ? " class=\"num\"" : "")}><a href=\"{view.Self(("sort", key), ("dir", dir), ("page", null))}#users\">{label}{mark}</a></th>");
        }

        var statuses = new[] { "", "active", "inactive", "never", "excluded" }.Select(x =>
            Html.Of($"<option value=\"{x}\"{Html.Raw(x == (status ?? "") ? " selected" : "")}>{(x.Length == 0 ? "any" : x)}</option>"));
        var pages = (rows.Count + PageSize - 1) / PageSize;
        return Html.Of($"""
            <form class="inline" method="get" action="/adoption" aria-label="Filter users">
              <input type="hidden" name="range" value="{view.Range}"><input type="hidden" name="source" value="{view.Source}">
              <input type="hidden" name="team" value="{view.Team ?? ""}">
              <label>Status <select name="status">{statuses}</select></label>
              <button type="submit">Filter</button>
            </form>
            <div class="actions"><span data-users-total="{rows.Count}">{rows.Count:N0} users</span>
              <a href="{ConsoleView.With("/adoption/users.csv", [("source", view.Source), ("team", view.Team), ("status", status)])}" download>Download CSV</a></div>
            {Widgets.Table("Users", [Sortable("name", "Name"), Widgets.Th("E-mail"), Sortable("team", "Team"), Sortable("status", "Status"), Sortable("last_login", "Last login"),
                Widgets.Th("Logins 7 d", true), Sortable("logins_30d", "Logins 30 d", true), Widgets.Th("Activities 7 d", true), Sortable("activities_30d", "Activities 30 d", true)], shown)}
            {Pager(view, page, pages, "#users")}
            """);
    }

    /// <summary>Previous / next links of a paged list.</summary>
    public static Markup Pager(ConsoleView view, int page, int pages, string anchor = "") => pages <= 1 ? Markup.Empty : Html.Of($"""
        <nav class="pager" aria-label="Pages">
        {(page > 1 ? Html.Of($"<a href=\"{view.Self(("page", (page - 1).ToString()))}{anchor}\" rel=\"prev\">Previous</a>") : Markup.Empty)}
        <span>Page {page} of {pages}</span>
        {(page < pages ? Html.Of($"<a href=\"{view.Self(("page", (page + 1).ToString()))}{anchor}\" rel=\"next\">Next</a>") : Markup.Empty)}
        </nav>
        """);
}
