using CrmPulse.WebConsole.Charts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/integrations: each integration's probe (up, latency, success), the records it wrote (freshness, volume,
/// duplicates), and the source's own CRM API (latency, errors, rate-limit headroom).</summary>
public static class IntegrationsPage
{
    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var list = await data.IntegrationsAsync(view.Source, ct);
        static string Ms(double? v) => v is { } x ? Format.Value("milliseconds", x) : "–";
        static string Ratio(double? v) => v is { } x ? Format.Value("ratio", x) : "–";

        var probes = list.Where(i => i.Probe is not null).Select(i => Html.Of($"""
            <tr data-integration="{i.Name}"><td>{i.Name}</td><td><code>{i.Probe!.Method} {i.Probe.Url}</code></td>
            <td>{Widgets.Badge(i.Probe.Up switch { true => "up", false => "down", null => "none" })}</td>
            <td class="num">{Ratio(i.Probe.SuccessRatio)}</td><td class="num">{Ms(i.Probe.LatencyP50Ms)}</td><td class="num">{Ms(i.Probe.LatencyP95Ms)}</td>
            <td class="num">{Ms(i.Probe.LatencyP99Ms)}</td><td>{i.Probe.Last?.Error ?? ""}</td></tr>
            """));
        var records = list.SelectMany(i => i.Records.Select(r => Html.Of($"""
            <tr><td>{i.Name}</td><td>{r.Source}</td><td class="num">{(r.FreshnessMinutes is { } f ? Format.Value("minutes", f) : "–")}</td>
            <td>{Widgets.Badge(r.Late switch { true => "late", false => "ok", null => "none" })}</td><td class="num">{(r.RecordsToday is { } n ? Format.Value("count", n) : "–")}</td>
            <td class="num">{(r.VolumeRatio is { } vr ? vr.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "–")}</td>
            <td class="num">{(r.Duplicates is { } d ? Format.Value("count", d) : "–")}</td></tr>
            """)));
        var api = list.Where(i => i.CrmApi is not null).Select(i => Html.Of($"""
            <tr data-crm-api="{i.Source}"><td>{i.Source}</td><td class="num">{Ms(i.CrmApi!.LatencyP50Ms)}</td><td class="num">{Ms(i.CrmApi.LatencyP95Ms)}</td>
            <td class="num">{Ratio(i.CrmApi.ErrorRatio)}</td><td class="num">{Ratio(i.CrmApi.HeadroomRatio)}</td><td>{Format.Time(i.CrmApi.Time)}</td></tr>
            """));

        var latencies = await data.Ledger.SeriesAsync("probe_latency_p95", IntegrationKpis.ProbeSource, view.From, view.Now, ct);
        var probeLines = latencies.GroupBy(s => s.Dimensions).OrderBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g => new ChartSeries(g.Key["integration"] ?? "probe", ConsoleData.Points(g, g.Key, view.From, view.Step))).ToList();
        var apiLatency = await data.SeriesAsync("crm_api_latency_p95", view.Source, view.From, ct);
        var apiLine = ConsoleData.Points(apiLatency, Dimensions.Of(("integration", IntegrationKpis.CrmApi)), view.From, view.Step);

        return Html.Of($"""
            <h2>Probes</h2>
            {Widgets.Table("Integration probes", [Widgets.Th("Integration"), Widgets.Th("Probe"), Widgets.Th("State"), Widgets.Th("Success", true), Widgets.Th("p50", true), Widgets.Th("p95", true), Widgets.Th("p99", true), Widgets.Th("Last error")], probes)}
            {(probeLines.Count > 0 ? LineChart.Render("Probe latency p95", "milliseconds", probeLines, null, view.From, view.Now) : Markup.Empty)}
            <h2>Records the integrations wrote</h2>
            {Widgets.Table("Integration records", [Widgets.Th("Integration"), Widgets.Th("Source"), Widgets.Th("Freshness", true), Widgets.Th("Late"), Widgets.Th("Today", true), Widgets.Th("Volume ratio", true), Widgets.Th("Duplicates", true)], records)}
            <h2>CRM API</h2>
            {Widgets.Table("CRM API", [Widgets.Th("Source"), Widgets.Th("Latency p50", true), Widgets.Th("Latency p95", true), Widgets.Th("Error ratio", true), Widgets.Th("Headroom", true), Widgets.Th("As of")], api)}
            {(apiLine.Count > 0 ? LineChart.Render("CRM API latency p95", "milliseconds", [new ChartSeries("p95", apiLine, true)], null, view.From, view.Now) : Markup.Empty)}
            """);
    }
}
