using CrmPulse.WebConsole.Charts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/pipeline: hygiene counts (each a link to its deals and tasks), open pipeline over time, stage ages.</summary>
public static class PipelinePage
{
    public static readonly IReadOnlyList<string> Cards =
    [
        "open_pipeline_value", "open_deals", "stalled_deals", "deals_past_close_date", "deals_aging_in_stage", "lost_without_reason",
        "overdue_tasks", "tasks_without_due_date", "tasks_without_owner", "snoozed_deals",
    ];

    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var latest = await data.LatestAsync(view.Source, ct);
        var cards = new List<Markup>();
        foreach (var kpi in Cards)
        {
            var v = OverviewPage.Pick(latest, kpi, view.Team);
            var trend = v is null ? [] : ConsoleData.Points(await data.SeriesAsync(kpi, view.Source, view.From, ct), Dimensions.Of(v.Dimensions), view.From, view.Step);
            var link = KpiCatalog.TryGet(kpi, out var d) && d.HasIssues ? view.Link("/pipeline/issues", ("kind", kpi)) : null;
            cards.Add(Widgets.Card(kpi, v, trend, link));
        }
        var stalled = await data.SeriesAsync("stalled_deals", view.Source, view.From, ct);
        var pastClose = await data.SeriesAsync("deals_past_close_date", view.Source, view.From, ct);
        var chart = LineChart.Render("Stalled deals and deals past their close date", "count",
        [
            new ChartSeries("Stalled deals", ConsoleData.Points(stalled, Dimensions.None, view.From, view.Step), true),
            new ChartSeries("Past close date", ConsoleData.Points(pastClose, Dimensions.None, view.From, view.Step)),
        ], null, view.From, view.Now);
        var all = latest.Where(v => v.Family == "pipeline" && (view.Team is null || !v.Dimensions.TryGetValue("team", out var t) || t == view.Team)).ToList();
        var byTeam = all.Where(TeamPivot.Fits).ToList();
        var other = all.Where(v => !TeamPivot.Fits(v)).ToList();
        return Html.Of($"""
            <div class="cards">{cards}</div>
            <h2>Over time</h2>
            {chart}
            <h2>Every pipeline KPI</h2>
            {TeamPivot.Render(view, "Pipeline KPIs per team", byTeam, "/pipeline/issues")}
            {(other.Count == 0 ? Markup.Empty : Html.Of($"<h2>By other dimensions</h2>{KpiTable.Render(view, "Pipeline KPIs by other dimensions", other, "/pipeline/issues")}"))}
            """);
    }
}
