using System.Globalization;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Reports;
using CrmPulse.WebConsole;
using static CrmPulse.Audits.AuditModel;

namespace CrmPulse.Audits;

/// <summary>
/// The audit as one self-contained HTML document (the report's stylesheet inline, no script, nothing to load): the
/// /audits/{id} page, the file `crmpulse audit --format html` writes, and what Chromium prints to PDF. Each value cell
/// carries its exact number (data-value) so what is shown can be checked against the JSON.
/// </summary>
public static class AuditDocument
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="id">The stored audit's id (shown in the title), or null.</param>
    /// <param name="toolbar">Links shown on screen above the audit; never printed.</param>
    public static string Render(AuditModel model, long? id, Markup? toolbar = null)
    {
        var title = $"CRM audit: {model.From.ToString("d MMM yyyy", Invariant)} to {model.To.ToString("d MMM yyyy", Invariant)}";
        var sources = model.Sources.Select(s => Source(model, s));
        var html = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · CrmPulse</title>
            <style>{Html.Raw(ReportDocument.Css)}</style>
            </head>
            <body>
            {toolbar ?? Markup.Empty}
            <article>
            <header>
            <h1>{title}</h1>
            <p class="sub">{(model.Source is null ? "every source" : "source " + model.Source)} · {Format.Time(model.Start)} to {Format.Time(model.End)}{(id is { } i ? $" · audit #{i}" : "")} · generated {Format.Time(model.GeneratedAt)}</p>
            </header>
            {sources}
            <section data-section="probes"><h2>Integrations: probes</h2>
            {(model.Probes.Count == 0 ? Empty("No integration was probed in the period.") : Flags(model.Probes, "Uptime"))}
            </section>
            {SinceLastSection(model.SinceLastAudit)}
            <footer>Made by CrmPulse from its ledger; no sync ran. A value at the start is the series' last sample at or before the period's
            start (else its first in the period), at the end its last sample in the period. Logins, deals and activities are counted
            from the source's records in the mirror, over the period's UTC days. Every number is also in
            GET /api/audits/{(id is { } n ? n.ToString(Invariant) : "{id}")}.</footer>
            </article>
            </body>
            </html>
            """);
        return html.Value;
    }

    private static Markup Source(AuditModel model, SourceAudit s)
    {
        var u = s.Usage;
        var share = u.UsersAsOf is null
            ? Empty("No KPI pass of this source with per-user rows in the period: the share of staff logging in is not measured.")
            : Html.Of($"""
                <p data-usage="share" data-value="{(u.LoggedInShare is { } r ? Exact(r) : "")}"><strong>{u.UsersLoggedIn}</strong> of <strong>{u.LicensedUsers}</strong> licensed users
                ({(u.LoggedInShare is { } x ? Format.Value("ratio", x) : "–")}) {(u.Basis == "activity" ? "logged an activity (this source gives no login events)" : "logged in")} between {Format.Time(model.Start)} and {Format.Time(u.UsersAsOf)} (the last KPI pass of the period).</p>
                """);
        var records = u.Records;
        var logins = Html.Of($"""
            <p data-usage="logins" data-value="{(records?.Logins is { } l ? l.ToString(Invariant) : "")}">Logins by human users: {(records?.Logins is { } n ? Html.Of($"<strong>{n.ToString("N0", Invariant)}</strong>") : Html.Raw("not measured"))}
            {(records is null ? "(the source has never synced)" : records.Logins is null ? "(this source gives no login events)" : "")} between {Format.Time(model.Start)} and {Format.Time(model.End)}{(records?.Logins is not null ? " (integration and excluded users left out)" : "")}.</p>
            """);
        return Html.Of($"""
            <section data-source="{s.Source}">
            <h2>Usage · {s.Source}</h2>
            {share}
            {logins}
            {Readings("Adoption", s.Usage.Adoption)}
            <h3>Deals and activities per team</h3>
            {Teams(model, records)}
            <h2>Integrations · {s.Source}</h2>
            {(s.IntegrationLateness.Count == 0 ? Empty("No integration freshness was measured for this source in the period.") : Flags(s.IntegrationLateness, "On time"))}
            <h2>Return on investment · {s.Source}</h2>
            {Readings("ROI", [s.Roi.Roi, s.Roi.WinRate])}
            {Revenue(s.Roi)}
            <h2>Open work carried over · {s.Source}</h2>
            {Readings("Carried over", s.CarriedOver)}
            <h2>Security and licences · {s.Source}</h2>
            {Readings("Security", s.Security)}
            <h2>Data quality · {s.Source}</h2>
            {Readings("Score", [s.DataQuality.Score, .. s.DataQuality.Components])}
            <h3>Duplicates</h3>{Readings("Duplicates", s.DataQuality.Duplicates)}
            <h3>Missing data</h3>{Readings("Missing data", s.DataQuality.Missing)}
            <h3>Freshness</h3>{Readings("Freshness", s.DataQuality.Freshness)}
            <h3>Unused fields</h3>{Readings("Unused fields", s.DataQuality.UnusedFields)}
            <h2>Account prioritisation · {s.Source}</h2>
            {Readings("Accounts", s.Accounts)}
            </section>
            """);
    }

    private static Markup Teams(AuditModel model, MirrorTotals? records)
    {
        if (records is null) return Empty("The source has never synced: its deals and activities are not measured.");
        var types = ActivityTypes.All.Select(t => t.Tag()).ToList();
        var head = types.Select(t => Html.Of($"<th scope=\"col\" class=\"num\">{Format.Label(t)}s</th>"));
        var rows = records.Teams.Select(t => Html.Of($"""
            <tr data-team="{t.Team}"><td>{t.Team}</td><td class="num" data-value="{t.DealsWon}">{Format.Value("count", t.DealsWon)}</td>
            <td class="num" data-value="{Exact(t.WonAmount)}">{Format.Value("currency", t.WonAmount)}{(t.WonWithoutAmount > 0 ? $" ({t.WonWithoutAmount} without amount)" : "")}</td>
            <td class="num" data-value="{t.DealsCreated}">{Format.Value("count", t.DealsCreated)}</td><td class="num" data-value="{t.Activities}">{Format.Value("count", t.Activities)}</td>
            {types.Select(k => Html.Of($"<td class=\"num\" data-type=\"{k}\" data-value=\"{t.ActivitiesByType[k]}\">{Format.Value("count", t.ActivitiesByType[k])}</td>"))}</tr>
            """));
        return Html.Of($"""
            <p class="sub">Counted from the source's records from {Format.Time(model.Start)} to {Format.Time(model.End)}; mirror as of {(records.MirrorAsOf is { } at ? Format.Time(at) : "its last partial sync")}. Teams are the owners' teams.</p>
            <table aria-label="Deals and activities per team"><thead><tr><th scope="col">Team</th><th scope="col" class="num">Deals won</th><th scope="col" class="num">Won amount</th><th scope="col" class="num">Deals created</th><th scope="col" class="num">Activities</th>{head}</tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    private static Markup Readings(string caption, IReadOnlyList<Reading> readings)
    {
        if (readings.Count == 0) return Empty("Not measured for this source in the period.");
        var rows = readings.Select(r => Html.Of($"""
            <tr data-kpi="{r.Kpi}" data-dims="{Dims(r.Dimensions)}" data-start="{(r.Start is { } a ? Exact(a) : "")}" data-end="{(r.End is { } b ? Exact(b) : "")}">
            <td>{(r.Kpi == "crm_roi" ? "CRM ROI (estimate)" : Format.Label(r.Kpi))}</td><td>{(r.Dimensions.Count == 0 ? "all" : Format.Dimensions(r.Dimensions))}</td>
            {(r.NotMeasured is { } why ? Html.Of($"<td colspan=\"3\" class=\"empty\">{why}</td>") : Html.Of($"""
            <td class="num">{Value(r.Unit, r.Start)}</td><td class="num">{Value(r.Unit, r.End)}</td><td class="num {Tone(r)}">{(r.Change is { } c ? Format.Change(r.Unit, c) : "–")}</td>
            """))}</tr>
            """));
        return Html.Of($"""
            <table aria-label="{caption}"><thead><tr><th scope="col">KPI</th><th scope="col">Series</th><th scope="col" class="num">Start</th><th scope="col" class="num">End</th><th scope="col" class="num">Change</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    private static Markup Flags(IReadOnlyList<FlagStats> flags, string goodLabel)
    {
        var rows = flags.Select(f => Html.Of($"""
            <tr data-flag="{f.Kpi}|{f.Integration}" data-good-ratio="{(f.GoodRatio is { } g ? Exact(g) : "")}" data-incidents="{f.Incidents}">
            <td>{f.Integration}</td><td class="num">{f.Samples}</td><td class="num">{(f.GoodRatio is { } r ? Format.Value("ratio", r) : "–")}</td><td class="num">{f.Incidents}</td></tr>
            """));
        return Html.Of($"""
            <table><thead><tr><th scope="col">Integration</th><th scope="col" class="num">Checks</th><th scope="col" class="num">{goodLabel}</th><th scope="col" class="num">Incidents</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    private static Markup Revenue(RoiSection roi)
    {
        var rows = roi.RevenueByMonth.Select(m => Html.Of($"""
            <tr data-month="{m.Month}" data-value="{(m.Revenue is { } v ? Exact(v) : "")}"><td>{m.Month}</td><td class="num">{Value("currency", m.Revenue)}</td></tr>
            """));
        return Html.Of($"""
            <table aria-label="Won revenue by month"><thead><tr><th scope="col">Month</th><th scope="col" class="num">Won revenue</th></tr></thead>
            <tbody>{rows}<tr data-month="total" data-value="{(roi.RevenueTotal is { } t ? Exact(t) : "")}"><th scope="row">Total</th><td class="num">{Value("currency", roi.RevenueTotal)}</td></tr></tbody></table>
            """);
    }

    private static Markup SinceLastSection(SinceLast? since)
    {
        if (since is null)
            return Html.Raw("<section data-section=\"since-last\"><h2>Since the last audit</h2><p class=\"empty\">This is the first stored audit of this source.</p></section>");
        var rows = since.Changes.Select(c => Html.Of($"""
            <tr data-headline="{c.Key}" data-previous="{(c.Previous is { } p ? Exact(p) : "")}" data-current="{(c.Current is { } n ? Exact(n) : "")}">
            <td>{c.Label}</td><td class="num">{Value(c.Unit, c.Previous)}</td><td class="num">{Value(c.Unit, c.Current)}</td><td class="num">{(c.Change is { } d ? Format.Change(c.Unit, d) : "–")}</td></tr>
            """));
        return Html.Of($"""
            <section data-section="since-last"><h2>Since the last audit</h2>
            <p class="sub">Audit #{since.PreviousId} of {since.PreviousFrom.ToString("yyyy-MM-dd", Invariant)} to {since.PreviousTo.ToString("yyyy-MM-dd", Invariant)}, made {Format.Time(since.PreviousCreatedAt)}.</p>
            <table><thead><tr><th scope="col">Finding</th><th scope="col" class="num">Last audit</th><th scope="col" class="num">This audit</th><th scope="col" class="num">Change</th></tr></thead>
            <tbody>{rows}</tbody></table></section>
            """);
    }

    private static string Tone(Reading r) =>
        Format.Tone(KpiCatalog.TryGet(r.Kpi, out var d) ? Apis.KpiApi.ToSnake(d.Direction) : "neutral", r.Change);

    private static string Value(string unit, double? value) => value is { } v ? Format.Value(unit, v) : "–";

    private static string Dims(IReadOnlyDictionary<string, string> dims) =>
        string.Join(",", dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));

    private static string Exact(double value) => Widgets.Exact(value);

    private static Markup Empty(string text) => Html.Of($"<p class=\"empty\">{text}</p>");
}
