using CrmPulse.Apis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>/sources: each source's sync state, record counts and the rows its last sync rejected (file, line, reason).</summary>
public static class SourcesPage
{
    /// <summary>"ok" (the last attempt succeeded), "failing" (an error after the last success) or "never" (no success yet).</summary>
    public static string Health(SourcesApi.SourceStatus s) =>
        s.LastSuccessAt is null ? (s.LastErrorAt is null ? "pending" : "failing")
        : s.LastErrorAt is { } e && e > s.LastSuccessAt ? "failing" : "ok";

    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var sources = await data.SourceStatusAsync(ct);
        var sections = sources.Select(s =>
        {
            var counts = s.RecordCounts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => Html.Of(
                $"<tr><td>{c.Key}</td><td class=\"num\" data-source=\"{s.Name}\" data-records=\"{c.Key}\" data-value=\"{c.Value}\">{c.Value:N0}</td></tr>"));
            var problems = s.LastProblems.Count == 0
                ? Html.Raw("<p class=\"empty\">The last sync rejected no row.</p>")
                : Html.Of($"<ol class=\"problems\">{s.LastProblems.Select(p => Html.Of($"<li>{p}</li>"))}</ol>");
            return Html.Of($"""
                <section class="source" id="source-{s.Name}">
                <h2>{s.Name} <small>({s.Kind})</small> {Widgets.Badge(Health(s))}</h2>
                <table><caption class="sr">Sync state of {s.Name}</caption><tbody>
                <tr><th scope="row">Sync schedule</th><td>{s.SyncSchedule}</td></tr>
                <tr><th scope="row">KPI schedule</th><td>{s.KpiSchedule}</td></tr>
                <tr><th scope="row">Last attempt</th><td>{Format.Time(s.LastAttemptAt)} ({Format.Ago(s.LastAttemptAt, view.Now)})</td></tr>
                <tr><th scope="row">Last success</th><td data-source="{s.Name}" data-last-success="{s.LastSuccessAt?.ToUnixTimeMilliseconds()}">{Format.Time(s.LastSuccessAt)} ({Format.Ago(s.LastSuccessAt, view.Now)})</td></tr>
                <tr><th scope="row">Last error</th><td>{s.LastError ?? "none"}{(s.LastErrorAt is { } at ? " at " + Format.Time(at) : "")}</td></tr>
                <tr><th scope="row">Last KPI pass</th><td>{Format.Time(s.LastKpiPassAt)}</td></tr>
                <tr><th scope="row">Rejected rows (all syncs)</th><td data-source="{s.Name}" data-problems-total="{s.ProblemsTotal}">{s.ProblemsTotal:N0}</td></tr>
                </tbody></table>
                <h3>Records in the mirror</h3>
                {Widgets.Table($"Records of {s.Name}", [Widgets.Th("Object"), Widgets.Th("Records", true)], counts)}
                <h3>Rows the last sync rejected</h3>
                {problems}
                </section>
                """);
        });
        return Html.Join(sections);
    }
}
