using CrmPulse.WebConsole.Charts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/data-quality: the score over time and its six components, then every data-quality KPI by object and field,
/// each count a link to its records.</summary>
public static class DataQualityPage
{
    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var latest = await data.LatestAsync(view.Source, ct);
        var score = latest.FirstOrDefault(v => v.Kpi == "data_quality_score" && v.Dimensions.Count == 0);
        var series = ConsoleData.Points(await data.SeriesAsync("data_quality_score", view.Source, view.From, ct), Dimensions.None, view.From, view.Step);
        var chart = LineChart.Render("Data-quality score", "score", [new ChartSeries("Score", series, true)], score?.Target?.Value, view.From, view.Now);
        var components = latest.Where(v => v.Kpi == "data_quality_component" && v.Dimensions.ContainsKey("component"))
            .OrderBy(v => DataQualityScoreKpis.Weights.Keys.ToList().IndexOf(v.Dimensions["component"]))
            .ToList();
        var bars = BarChart.Render("Score components (share of records without the problem)", "ratio",
            components.Select(c => ($"{c.Dimensions["component"]} (weight {DataQualityScoreKpis.Weights.GetValueOrDefault(c.Dimensions["component"])})", c.Value)).ToList(), 1);
        var componentCells = components.Select(c => Html.Of($"<tr><td>{c.Dimensions["component"]}</td><td class=\"num\">{DataQualityScoreKpis.Weights.GetValueOrDefault(c.Dimensions["component"])}</td>{Widgets.ValueCell(c)}<td class=\"num\">{Widgets.ChangeSpan(c)}</td></tr>"));

        var rest = latest.Where(v => v.Family == "data_quality" && v.Kpi is not ("data_quality_score" or "data_quality_component"));
        return Html.Of($"""
            <div class="cards">{Widgets.Card("data_quality_score", score, series)}</div>
            <h2>Score over time</h2>
            {chart}
            <h2>Its six components</h2>
            <div class="two">{bars}{Widgets.Table("Score components", [Widgets.Th("Component"), Widgets.Th("Weight", true), Widgets.Th("Share", true), Widgets.Th("Change", true)], componentCells)}</div>
            <h2>Every data-quality KPI</h2>
            <p class="context">Each count with records behind it opens the list of those records (sign-in needed when API keys are configured).</p>
            {KpiTable.Render(view, "Data-quality KPIs by object and field", rest, "/data-quality/issues")}
            """);
    }
}
