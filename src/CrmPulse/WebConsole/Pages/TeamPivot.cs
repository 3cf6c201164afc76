using CrmPulse.Apis;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>KPIs given overall and per team as one table: a row per KPI, a column for the whole org and one per team;
/// each count with records behind it links to the records of that team.</summary>
public static class TeamPivot
{
    /// <summary>Values of KPIs whose only dimension is team (or none); the others are left to a <see cref="KpiTable"/>.</summary>
    public static bool Fits(KpiApi.LatestValue v) => v.Dimensions.Count == 0 || (v.Dimensions.Count == 1 && v.Dimensions.ContainsKey("team"));

    public static Markup Render(ConsoleView view, string caption, IReadOnlyList<KpiApi.LatestValue> values, string issuesPath)
    {
        var teams = values.Where(v => v.Dimensions.Count == 1).Select(v => v.Dimensions["team"]).Distinct()
            .Where(t => view.Team is null || t == view.Team).Order(StringComparer.Ordinal).ToList();
        var order = KpiCatalog.All.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var rows = values.Select(v => v.Kpi).Distinct().OrderBy(k => order.GetValueOrDefault(k)).Select(kpi =>
        {
            var hasIssues = KpiCatalog.TryGet(kpi, out var def) && def.HasIssues;
            Markup Cell(string? team)
            {
                var v = values.FirstOrDefault(x => x.Kpi == kpi && (team is null ? x.Dimensions.Count == 0 : x.Dimensions.GetValueOrDefault("team") == team));
                if (v is null) return Html.Raw("<td class=\"num\">–</td>");
                return Widgets.ValueCell(v, hasIssues && v.Value > 0 ? view.LinkWithTeam(issuesPath, team, ("kind", kpi)) : null);
            }
            return Html.Of($"<tr><th scope=\"row\">{Format.Label(kpi)}</th>{Cell(null)}{teams.Select(t => Cell(t))}</tr>");
        });
        return Widgets.Table(caption, [Widgets.Th("KPI"), Widgets.Th("Whole org", true), .. teams.Select(t => Widgets.Th(t, true))], rows);
    }
}
