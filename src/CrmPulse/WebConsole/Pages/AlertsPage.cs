using CrmPulse.Reports;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/alerts: active and recent alerts with the values that triggered them, webhook and report deliveries.</summary>
public static class AlertsPage
{
    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var alerts = await data.AlertsAsync(ct);
        Markup Row(Alerts.AlertsApi.AlertView a) => Html.Of($"""
            <tr data-alert="{a.Rule}|{a.Source}|{Widgets.DimsKey(a.Dimensions)}"><td>{Widgets.Badge(a.Status)}</td><td>{Widgets.Badge(a.Severity)}</td><td>{a.Rule}</td><td>{a.Kpi}</td><td>{a.Source}</td>
            <td>{Format.Dimensions(a.Dimensions)}</td><td>{a.Summary}</td><td class="num">{(a.Value is { } v ? Format.Value(Format.UnitOf(a.Kpi), v) : "–")}</td>
            <td class="num">{(a.Baseline is { } b ? Format.Value(Format.UnitOf(a.Kpi), b) : "–")}</td><td>{Format.Time(a.FiringSince ?? a.ActiveSince)}</td><td>{Format.Time(a.ResolvedAt)}</td></tr>
            """);
        Markup[] head = [Widgets.Th("Status"), Widgets.Th("Severity"), Widgets.Th("Rule"), Widgets.Th("KPI"), Widgets.Th("Source"), Widgets.Th("Series"),
            Widgets.Th("Summary"), Widgets.Th("Value", true), Widgets.Th("Baseline", true), Widgets.Th("Since"), Widgets.Th("Resolved")];
        var deliveries = alerts.Deliveries.Select(d => Html.Of($"""
            <tr><td>{Format.Time(d.QueuedAt)}</td><td>{d.Webhook}</td><td>{d.Event}</td><td>{d.Alert}</td><td>{Widgets.Badge(d.Status)}</td><td class="num">{d.Attempts}</td><td>{d.HttpStatus?.ToString() ?? ""}</td><td>{d.Error ?? ""}</td></tr>
            """));
        var reports = await data.Services.GetRequiredService<ReportDeliveries>().RecentAsync(50, ct);
        var reportRows = reports.Select(d => Html.Of($"""
            <tr data-report-delivery="{d.Id}"><td>{Format.Time(d.QueuedAt)}</td><td>{d.Schedule}</td><td>{d.Channel}</td><td>{d.Period}</td><td>{Widgets.Badge(d.Status)}</td><td class="num">{d.Attempts}</td><td>{Format.Time(d.LastAttemptAt)}</td><td>{d.Error ?? ""}</td></tr>
            """));
        return Html.Of($"""
            <h2>Active</h2>
            {Widgets.Table("Active alerts", head, alerts.Active.Select(Row))}
            <h2>Recently resolved</h2>
            {Widgets.Table("Recently resolved alerts", head, alerts.Recent.Select(Row))}
            <p class="context">Rules in force: {string.Join(", ", alerts.Rules)}.</p>
            <h2>Webhook deliveries</h2>
            {Widgets.Table("Alert webhook deliveries", [Widgets.Th("Queued"), Widgets.Th("Webhook"), Widgets.Th("Event"), Widgets.Th("Alert"), Widgets.Th("Status"), Widgets.Th("Attempts", true), Widgets.Th("HTTP"), Widgets.Th("Error")], deliveries)}
            <h2 id="report-deliveries">Report deliveries</h2>
            {Widgets.Table("Report deliveries", [Widgets.Th("Queued"), Widgets.Th("Schedule"), Widgets.Th("Channel"), Widgets.Th("Period"), Widgets.Th("Status"), Widgets.Th("Attempts", true), Widgets.Th("Last attempt"), Widgets.Th("Error")], reportRows)}
            """);
    }
}
