using CrmPulse.Core.Kpis;
using CrmPulse.Core.Reconciliation;
using CrmPulse.Hosting;
using CrmPulse.Reconciliation;
using CrmPulse.WebConsole.Charts;

namespace CrmPulse.WebConsole.Pages;

/// <summary>
/// /reconciliation: a pair of sources compared record by record (the pair is chosen as the source; a source shows the
/// first pair): per object what is missing, extra, lost or emptied and the delta after the cut-over, each a click away
/// from its records, the gap over time, and the re-import files.
/// </summary>
public static class ReconciliationPage
{
    private static readonly string[] Columns =
    [
        ReconciliationKpis.Missing, ReconciliationKpis.Extra, ReconciliationKpis.Matched, ReconciliationKpis.LostAssociations,
        ReconciliationKpis.EmptiedProperties, ReconciliationKpis.Delta,
    ];

    private static readonly string[] SyncColumns =
    [
        SyncHealth.FieldMismatches, SyncHealth.PendingChanges, SyncHealth.PendingAgeMax, SyncHealth.LagMedian, SyncHealth.Duplicates,
    ];

    /// <summary>The short column and link labels of this page.</summary>
    private static readonly Dictionary<string, string> Short = new(StringComparer.Ordinal)
    {
        [ReconciliationKpis.Missing] = "Missing in new", [ReconciliationKpis.Extra] = "Extra in new", [ReconciliationKpis.Matched] = "Matched",
        [ReconciliationKpis.LostAssociations] = "Lost associations", [ReconciliationKpis.EmptiedProperties] = "Emptied properties",
        [ReconciliationKpis.Delta] = "Changed after cut-over",
        [SyncHealth.FieldMismatches] = "Field mismatches", [SyncHealth.PendingChanges] = "Pending changes",
        [SyncHealth.PendingAgeMax] = "Oldest pending", [SyncHealth.LagMedian] = "Lag (median)", [SyncHealth.Duplicates] = "Duplicates made by the sync",
    };

    private static readonly Dictionary<string, string> Plural = new(StringComparer.Ordinal) { ["contact"] = "contacts", ["company"] = "companies", ["deal"] = "deals" };

    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var runner = data.Services.GetRequiredService<ReconciliationRunner>();
        if (runner.Pairs.Count == 0)
            return Layout.Message("No reconciliation pair is configured: add one under CrmPulse:Reconciliation (see the README's \"Reconciliation\" section).");
        var pair = runner.Pair(view.Source) ?? runner.Pairs[0];
        var pv = view with { Source = pair.Name };
        var status = runner.Status(pair.Name);
        var latest = (await data.LatestAsync(pair.Name, ct)).Where(v => v.Family == KpiFamily.Reconciliation.Tag()).ToList();

        var pairs = runner.Pairs.Select(p => Html.Of($"<a href=\"{(view with { Source = p.Name }).Link("/reconciliation")}\"{Html.Raw(p.Name == pair.Name ? " aria-current=\"true\" class=\"on\"" : "")}>{p.Name}</a> "));
        var state = status.Error is { } error ? $"last pass failed: {error}"
            : status.Skipped is { } skipped ? $"last pass skipped: {skipped}"
            : $"last pass {Format.Time(latest.Count > 0 ? latest.Max(v => v.Time) : null)}";
        // A table by object of some of the pair's KPIs: the fields of a field-level count summed, each cell a link to its records.
        Markup ByObject(string caption, IReadOnlyList<string> columns) => Widgets.Table(caption, [Widgets.Th("Object"), .. columns.Select(c => Widgets.Th(Short[c], true))],
            ReconciliationKpis.Objects.Where(pair.Objects.ContainsKey).Select(obj =>
            {
                var cells = columns.Select(kpi =>
                {
                    var values = latest.Where(v => v.Kpi == kpi && v.Dimensions.GetValueOrDefault("object") == obj).ToList();
                    if (values.Count == 0) return Html.Raw("<td class=\"num\">–</td>");
                    var sum = values.Sum(v => v.Value);
                    var definition = KpiCatalog.Get(kpi);
                    var link = definition.HasIssues && sum > 0 ? pv.Link("/reconciliation/issues", ("kind", kpi), ("object", obj)) : null;
                    var text = Format.Value(definition.Unit, sum);
                    return Html.Of($"<td class=\"num\" data-kpi=\"{kpi}\" data-dims=\"object={obj}\" data-value=\"{Widgets.Exact(sum)}\">{(link is null ? Html.Of($"{text}") : Html.Of($"<a href=\"{link}\">{text}</a>"))}</td>");
                });
                return Html.Of($"<tr><th scope=\"row\">{obj}</th>{cells}</tr>");
            }), captionVisible: true);
        var table = ByObject($"Pair {pair.Name} by object", Columns);
        var sync = pair.Sync ? Html.Of($"""
            <section id="sync-health" aria-labelledby="sync-health-title">
            <h2 id="sync-health-title">Sync health</h2>
            <p>{pair.OldSource} and {pair.NewSource} are kept in step by an integration: on matched records, mapped fields that disagree, the changes still waiting to arrive (and how long the oldest has waited), the lag of the changes that arrived, and the duplicates the sync created. Records on one side only are the missing and extra records above.</p>
            {ByObject($"Sync health of {pair.Name} by object", SyncColumns)}
            </section>
            """) : Markup.Empty;

        var missing = await data.SeriesAsync(ReconciliationKpis.Missing, pair.Name, view.From, ct);
        var delta = await data.SeriesAsync(ReconciliationKpis.Delta, pair.Name, view.From, ct);
        var series = pair.Objects.Keys.SelectMany(obj => new[]
        {
            new ChartSeries($"Missing {Plural[obj]}", ConsoleData.Points(missing, Dimensions.Of(("object", obj)), view.From, view.Step), obj == "contact"),
            new ChartSeries($"Changed after cut-over: {Plural[obj]}", ConsoleData.Points(delta, Dimensions.Of(("object", obj)), view.From, view.Step)),
        }).Where(s => s.Points.Count > 0).ToList();
        var chart = LineChart.Render("Records still to migrate, over time", "count", series, null, view.From, view.Now);

        var exports = pair.Objects.Keys.Select(obj => Html.Of($"""
            <li>{Plural[obj]}: {ReconciliationCsv.Kinds.Where(k => k != ReconciliationKpis.Delta || pair.CutOver is not null).Select(k => Html.Of($"<a href=\"{ConsoleView.With("/reconciliation/export.csv", [("source", pair.Name), ("kind", k), ("object", obj)])}\" download>{Short[k]}</a> "))}</li>
            """));
        return Html.Of($"""
            <p class="pairs">Pairs: {pairs}</p>
            <p class="context" data-pair="{pair.Name}"><strong>{pair.OldSource}</strong> (old) → <strong>{pair.NewSource}</strong> (new) · cut-over {(pair.CutOver is { } c ? Format.Time(c) : "none")} · {state}{(status.LeftOut.Count > 0 ? $" · left out (not read by both): {string.Join(", ", status.LeftOut)}" : "")}</p>
            {table}
            {sync}
            <h2>The gap over time</h2>
            {chart}
            <h2>Every reconciliation count</h2>
            {KpiTable.Render(pv, "Reconciliation KPIs by object and field", latest, "/reconciliation/issues")}
            <h2>Re-import files</h2>
            <p>CSV files from the mirrors as they are now: missing records and the delta in the File source's columns (ready to import into the new system), fixes of matched records by their new ids.</p>
            <ul class="exports">{exports}</ul>
            """);
    }

    /// <summary>/reconciliation/export.csv?source=pair&amp;kind=…&amp;object=…: the API's re-import file, for a signed-in session.</summary>
    public static async Task<IResult> ExportAsync(HttpContext context)
    {
        var data = new ConsoleData(context.RequestServices);
        var (view, error) = await ConsoleEndpoints.ViewAsync(context, "/reconciliation/export.csv", data);
        if (error is not null) return Results.Problem(statusCode: error.Status, title: "Bad request", detail: error.Message);
        if (!view.MayListRecords)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
                detail: "This download lists records: sign in to the console (/login) or send a configured API key in the X-Api-Key header.");
        var q = context.Request.Query;
        return await ReconciliationApi.ExportCsvAsync(view.Source, q["kind"].ToString(), q["object"].ToString(),
            context.RequestServices.GetRequiredService<ReconciliationRunner>(), context.RequestServices.GetRequiredService<SourceRegistry>(), context.RequestAborted);
    }
}
