using System.Globalization;
using CrmPulse.WebConsole;
using CrmPulse.WebConsole.Charts;

namespace CrmPulse.Reports;

/// <summary>
/// The report as one self-contained HTML document (styles inline, charts as inline SVG, no script, no link to load):
/// the same markup is the /report page, the file `crmpulse report --format html` writes, and what Chromium prints to PDF.
/// </summary>
public static class ReportDocument
{
    /// <summary>The inline stylesheet (the page's CSP names its hash).</summary>
    public static readonly string Css = ConsoleEndpoints.AssetText("report.css");

    /// <param name="toolbar">Links shown on screen above the report (the page's period switch); never printed.</param>
    public static string Render(ReportModel model, Markup? toolbar = null)
    {
        var s = model.Summary;
        var title = $"Leadership report: {PeriodName(s.Period, s.From)}";
        var kpiRows = s.Kpis.Select(k => Html.Of($"""
            <tr data-kpi="{k.Kpi}" data-source="{k.Source}" data-current="{(k.Current is { } c ? Widgets.Exact(c.Value) : "")}" data-previous="{(k.Previous is { } p ? Widgets.Exact(p.Value) : "")}">
            <td>{Format.Label(k.Kpi)}</td><td>{k.Source}</td>
            <td class="num">{(k.Current is { } cur ? Format.Value(k.Unit, cur.Value) : "–")}</td>
            <td class="num">{(k.Previous is { } prev ? Format.Value(k.Unit, prev.Value) : "–")}</td>
            <td class="num {Format.Tone(k.Direction, k.Change)}">{(k.Change is { } ch ? Format.Change(k.Unit, ch) : "–")}</td>
            <td>{(k.Target is { } t ? Html.Of($"{Format.Value(k.Unit, t.Value)} by {t.By.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} {Widgets.TargetBadge(t)}") : Html.Raw("–"))}</td></tr>
            """));
        var trends = model.Trends.Select(t =>
        {
            var target = s.Kpis.FirstOrDefault(k => k.Kpi == t.Kpi && k.Source == t.Source)?.Target?.Value;
            var heading = model.Trends.Select(x => x.Source).Distinct().Count() > 1 ? $"{Format.Label(t.Kpi)} ({t.Source})" : Format.Label(t.Kpi);
            return Html.Of($"<div class=\"trend\"><h3>{heading}</h3>{PeriodChart.Render(heading + " per period", t.Unit, t.Points.Select(p => (p.Label, p.Value)).ToList(), target)}</div>");
        });
        var movers = model.TeamMovers.Select(m => Html.Of($"""
            <tr data-team="{m.Team}" data-kpi="{m.Kpi}"><td>{m.Team}</td><td>{Format.Label(m.Kpi)}</td><td class="num">{Format.Value(m.Unit, m.Previous)}</td>
            <td class="num">{Format.Value(m.Unit, m.Current)}</td><td class="num {Format.Tone(m.Direction, m.Change)}">{Format.Change(m.Unit, m.Change)}</td></tr>
            """)).ToList();
        var html = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · CrmPulse</title>
            <style>{Html.Raw(Css)}</style>
            </head>
            <body>
            {toolbar ?? Markup.Empty}
            <article>
            <header>
            <h1>{title}</h1>
            <p class="sub">{Covered(s)} against {PeriodName(s.Period, s.PreviousFrom)} · {(model.Source is null ? "every source" : "source " + model.Source)} · generated {Format.Time(model.GeneratedAt)}</p>
            </header>
            <section class="summary"><h2>Summary</h2><ul>{model.Narrative.Select(n => Html.Of($"<li>{n}</li>"))}</ul></section>
            <section><h2>Leadership KPIs</h2>
            <table><thead><tr><th scope="col">KPI</th><th scope="col">Source</th><th scope="col" class="num">This period</th><th scope="col" class="num">Previous</th><th scope="col" class="num">Change</th><th scope="col">Target</th></tr></thead>
            <tbody>{kpiRows}</tbody></table></section>
            <section><h2>Trend over the last {ReportBuilder.Periods} {s.Period}s</h2><div class="grid">{trends}</div></section>
            <section><h2>Largest movers per team</h2>
            {(movers.Count == 0 ? Html.Raw("<p class=\"empty\">No team has a value in both periods.</p>") : Html.Of($"<table><thead><tr><th scope=\"col\">Team</th><th scope=\"col\">KPI that moved most</th><th scope=\"col\" class=\"num\">Previous</th><th scope=\"col\" class=\"num\">This period</th><th scope=\"col\" class=\"num\">Change</th></tr></thead><tbody>{movers}</tbody></table>"))}
            </section>
            <footer>Each value is the latest sample of the period (UTC; weeks start on Monday); the current period runs to the time the report was made. Changes of ratios are in percentage points. Made by CrmPulse from its ledger: every number is also in GET /api/reports/leadership.</footer>
            </article>
            </body>
            </html>
            """);
        return html.Value;
    }

    /// <summary>"November 2026", "Q4 2026", "week of 16 Nov 2026".</summary>
    public static string PeriodName(string kind, DateTimeOffset start) => kind switch
    {
        "week" => "the week of " + start.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        "quarter" => $"Q{(start.Month - 1) / 3 + 1} {start.Year}",
        _ => start.UtcDateTime.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
    };

    private static string Covered(Apis.LeadershipReport s) =>
        $"{s.From.UtcDateTime.ToString("d MMM", CultureInfo.InvariantCulture)} to {s.To.UtcDateTime.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC";
}
