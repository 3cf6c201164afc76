using CrmPulse.WebConsole.Charts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/outcomes: win rate, revenue, sales cycle, lead response: the numbers leadership asks about.</summary>
public static class OutcomesPage
{
    public static readonly IReadOnlyList<string> Cards =
    [
        "win_rate", "new_revenue_30d", "average_deal_size", "sales_cycle_median", "lead_response_time_median",
        "lead_response_within_5m_ratio", "lead_response_within_1h_ratio", "unanswered_leads", "lead_conversion_rate",
    ];

    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var latest = await data.LatestAsync(view.Source, ct);
        var cards = new List<Markup>();
        foreach (var kpi in Cards.Concat(["churn_rate", "nps", "csat", "crm_roi"]))
        {
            var v = OverviewPage.Pick(latest, kpi, view.Team);
            if (v is null && !Cards.Contains(kpi)) continue; // the optional ones only when their fields are mapped
            var trend = v is null ? [] : ConsoleData.Points(await data.SeriesAsync(kpi, view.Source, view.From, ct), Dimensions.Of(v.Dimensions), view.From, view.Step);
            var link = KpiCatalog.TryGet(kpi, out var d) && d.HasIssues ? view.Link("/pipeline/issues", ("kind", kpi)) : null;
            cards.Add(Widgets.Card(kpi, v, trend, link));
        }
        var winRate = latest.FirstOrDefault(v => v.Kpi == "win_rate" && v.Dimensions.Count == 0);
        var chart = LineChart.Render("Win rate (90 days)", "ratio",
            [new ChartSeries("Win rate", ConsoleData.Points(await data.SeriesAsync("win_rate", view.Source, view.From, ct), Dimensions.None, view.From, view.Step), true)],
            winRate?.Target?.Value, view.From, view.Now);
        var months = latest.Where(v => v.Kpi == "new_revenue_month" && v.Dimensions.ContainsKey("month"))
            .OrderBy(v => v.Dimensions["month"], StringComparer.Ordinal).TakeLast(12)
            .Select(v => (v.Dimensions["month"], v.Value)).ToList();
        var accounts = Accounts(view, latest);
        var all = latest.Where(v => v.Family == "outcome" && (view.Team is null || !v.Dimensions.TryGetValue("team", out var t) || t == view.Team)).ToList();
        var byTeam = all.Where(TeamPivot.Fits).ToList();
        var other = all.Where(v => !TeamPivot.Fits(v)).ToList();
        return Html.Of($"""
            <div class="cards">{cards}</div>
            <h2>Win rate over time</h2>
            {chart}
            <h2>New revenue per calendar month</h2>
            {BarChart.Render("New revenue per month (closed won)", "currency", months)}
            {accounts}
            {LicenceFunnelSections.Licences(view, data, latest)}
            {LicenceFunnelSections.Funnel(view, latest)}
            <h2>Every outcome KPI</h2>
            {TeamPivot.Render(view, "Outcome KPIs per team", byTeam, "/pipeline/issues")}
            {(other.Count == 0 ? Markup.Empty : Html.Of($"<h2>By other dimensions</h2>{KpiTable.Render(view, "Outcome KPIs by other dimensions", other, "/pipeline/issues")}"))}
            """);
    }

    /// <summary>Companies per RFM segment (of the team when one is chosen), each linking to its per-account list.</summary>
    private static Markup Accounts(ConsoleView view, IReadOnlyList<CrmPulse.Apis.KpiApi.LatestValue> latest)
    {
        var segments = latest.Where(v => v.Kpi == "rfm_accounts" && v.Dimensions.ContainsKey("segment")
            && (view.Team is null ? !v.Dimensions.ContainsKey("team") : v.Dimensions.GetValueOrDefault("team") == view.Team))
            .ToDictionary(v => v.Dimensions["segment"], StringComparer.Ordinal);
        if (segments.Count == 0) return Markup.Empty;
        var rows = AccountKpis.Segments.Where(segments.ContainsKey).Select(s => Html.Of(
            $"<tr><th scope=\"row\">{Format.Label(s)}</th>{Widgets.ValueCell(segments[s], view.Link("/pipeline/issues", ("kind", "rfm_accounts"), ("field", s)))}</tr>"));
        return Html.Of($"""
            <h2>Accounts by RFM segment</h2>
            <p class="context">Recency of the last won deal or activity, frequency of deals and activities and won revenue over the last year, each scored 1–5; each number lists its accounts with their scores.</p>
            {Widgets.Table("Accounts by RFM segment", [Widgets.Th("Segment"), Widgets.Th("Accounts", true)], rows)}
            """);
    }
}
