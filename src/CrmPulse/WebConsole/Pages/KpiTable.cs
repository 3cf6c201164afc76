using CrmPulse.Apis;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>A table of latest values by KPI and dimensions; each count with records behind it links to its list.</summary>
public static class KpiTable
{
    /// <param name="issuesPath">The drill-down page of this family's records (/data-quality/issues or /pipeline/issues).</param>
    public static Markup Render(ConsoleView view, string caption, IEnumerable<KpiApi.LatestValue> values, string issuesPath)
    {
        var order = KpiCatalog.All.Select((d, i) => (d.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var rows = values.OrderBy(v => order.GetValueOrDefault(v.Kpi)).ThenBy(v => Widgets.DimsKey(v.Dimensions), StringComparer.Ordinal).Select(v =>
        {
            var dims = v.Dimensions;
            string? link = null;
            if (KpiCatalog.TryGet(v.Kpi, out var def) && def.HasIssues && v.Value > 0)
                link = view.LinkWithTeam(issuesPath, dims.GetValueOrDefault("team") ?? view.Team, ("kind", v.Kpi), ("object", dims.GetValueOrDefault("object")),
                    ("field", dims.GetValueOrDefault("field")));
            var others = dims.Where(d => d.Key is not ("object" or "field")).ToDictionary(d => d.Key, d => d.Value);
            return Html.Of($"""
                <tr><td>{Format.Label(v.Kpi)}</td><td>{dims.GetValueOrDefault("object") ?? ""}</td><td>{dims.GetValueOrDefault("field") ?? ""}</td>
                <td>{(others.Count == 0 ? "" : Format.Dimensions(others))}</td>{Widgets.ValueCell(v, link)}<td class="num">{Widgets.ChangeSpan(v)}</td><td>{Widgets.TargetBadge(v.Target)}</td></tr>
                """);
        });
        return Widgets.Table(caption, [Widgets.Th("KPI"), Widgets.Th("Object"), Widgets.Th("Field"), Widgets.Th("Other"), Widgets.Th("Value", true),
            Widgets.Th("Change", true), Widgets.Th("Target")], rows);
    }
}
