using CrmPulse.Apis;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/: each source's sync health, the headline KPIs with change, target and trend, firing alerts, largest movers.</summary>
public static class OverviewPage
{
    /// <summary>The headline KPIs, in card order.</summary>
    public static readonly IReadOnlyList<string> Headline =
    [
        "weekly_active_ratio", "active_contributor_ratio", "data_quality_score", "win_rate", "open_pipeline_value", "stalled_deals",
        "lead_response_time_median",
    ];

    /// <summary>At most this many movers.</summary>
    public const int MaxMovers = 8;

    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var latest = await data.LatestAsync(view.Source, ct);
        var cards = new List<Markup>();
        foreach (var kpi in Headline)
        {
            var value = Pick(latest, kpi, view.Team);
            var series = value is null ? [] : ConsoleData.Points(await data.SeriesAsync(kpi, view.Source, view.From, ct),
                Dimensions.Of(value.Dimensions), view.From, view.Step);
            cards.Add(Widgets.Card(kpi, value, series, LinkOf(view, kpi)));
        }

        var sources = await data.SourceStatusAsync(ct);
        var sourceRows = sources.Select(s => Html.Of($"""
            <tr><td><a href="{view.Link("/sources")}">{s.Name}</a></td><td>{s.Kind}</td><td>{Widgets.Badge(SourcesPage.Health(s))}</td>
            <td>{Format.Ago(s.LastSuccessAt, view.Now)}</td><td>{Format.Ago(s.LastKpiPassAt, view.Now)}</td><td>{s.LastError ?? ""}</td></tr>
            """));

        var alerts = await data.AlertsAsync(ct);
        var active = alerts.Active.Select(a => Html.Of($"""
            <tr><td>{Widgets.Badge(a.Status)}</td><td>{a.Severity}</td><td>{a.Rule}</td><td>{a.Source}</td><td>{Format.Dimensions(a.Dimensions)}</td><td>{a.Summary}</td><td>{Format.Ago(a.FiringSince ?? a.ActiveSince, view.Now)}</td></tr>
            """));

        var movers = Movers(latest, view.Team).Select(m => Html.Of($"""
            <tr><td>{Format.Label(m.Kpi)}</td><td>{Format.Dimensions(m.Dimensions)}</td><td class="num">{Format.Value(m.Unit, m.Previous!.Value)}</td>
            {Widgets.ValueCell(m)}<td class="num {Format.Tone(m.Direction, m.Change)}">{Format.Change(m.Unit, m.Change!.Value)}</td></tr>
            """));

        return Html.Of($"""
            <h2>Sources</h2>
            {Widgets.Table("Sync health per source", [Widgets.Th("Source"), Widgets.Th("Kind"), Widgets.Th("Sync"), Widgets.Th("Last success"), Widgets.Th("Last KPI pass"), Widgets.Th("Last error")], sourceRows)}
            <h2>Headline KPIs</h2>
            <div class="cards">{cards}</div>
            <h2>Active alerts</h2>
            {Widgets.Table("Active alerts", [Widgets.Th("Status"), Widgets.Th("Severity"), Widgets.Th("Rule"), Widgets.Th("Source"), Widgets.Th("Series"), Widgets.Th("Summary"), Widgets.Th("Since")], active)}
            <h2>Largest movers</h2>
            <p class="context">Against each KPI's previous period (1, 7 or 30 days), by relative change; counts under 10 left out.</p>
            {Widgets.Table("Largest movers", [Widgets.Th("KPI"), Widgets.Th("Series"), Widgets.Th("Previous", true), Widgets.Th("Now", true), Widgets.Th("Change", true)], movers)}
            """);
    }

    /// <summary>The team's series when the team is chosen and the KPI has one, else the roll-up.</summary>
    public static KpiApi.LatestValue? Pick(IReadOnlyList<KpiApi.LatestValue> latest, string kpi, string? team) =>
        (team is not null ? latest.FirstOrDefault(v => v.Kpi == kpi && v.Dimensions.Count == 1 && v.Dimensions.TryGetValue("team", out var t) && t == team) : null)
        ?? latest.FirstOrDefault(v => v.Kpi == kpi && v.Dimensions.Count == 0);

    /// <summary>The series with the largest relative change against their previous value (non-neutral KPIs, previous not 0).</summary>
    public static IReadOnlyList<KpiApi.LatestValue> Movers(IReadOnlyList<KpiApi.LatestValue> latest, string? team) =>
        latest.Where(v => v.Direction != "neutral" && v.Change is { } c && c != 0 && v.Previous is { Value: not 0 }
                          && (team is null || (v.Dimensions.TryGetValue("team", out var t) && t == team))
                          // A count going from 1 to 2 doubles but moves nothing: counts under 10 on both sides are left out.
                          && !(v.Unit is "count" or "users" && Math.Max(Math.Abs(v.Value), Math.Abs(v.Previous.Value)) < 10))
            .OrderByDescending(v => Math.Abs(v.Change!.Value / v.Previous!.Value))
            .ThenBy(v => v.Kpi, StringComparer.Ordinal).ThenBy(v => Widgets.DimsKey(v.Dimensions), StringComparer.Ordinal)
            .Take(MaxMovers).ToList();

    private static string? LinkOf(ConsoleView view, string kpi) => kpi switch
    {
        "weekly_active_ratio" or "active_contributor_ratio" => view.Link("/adoption"),
        "data_quality_score" => view.Link("/data-quality"),
        "stalled_deals" => view.MayListRecords ? view.Link("/pipeline/issues", ("kind", "stalled_deals")) : view.Link("/pipeline"),
        "open_pipeline_value" => view.Link("/pipeline"),
        _ => view.Link("/outcomes"),
    };
}
