using System.Globalization;
using System.Text;
using CrmPulse.Audits;
using CrmPulse.Hosting;
using CrmPulse.Reports;
using CrmPulse.Storage;

namespace CrmPulse.WebConsole.Pages;

/// <summary>
/// /audits: the stored audits (newest first) with links to each as a page, a self-contained HTML file and a PDF, and a
/// form that previews the audit of a period without storing it. /audits/{id}, /audits/{id}.html, /audits/{id}.pdf and
/// /audits/preview show one audit with the same markup as `crmpulse audit`. Aggregate, as /api/audits is.
/// </summary>
public static class AuditsPage
{
    public static async Task<Markup> RenderAsync(ConsoleView view, ConsoleData data, CancellationToken ct)
    {
        var audits = await data.Services.GetRequiredService<ICrmStore>().AuditsAsync(200, ct);
        var rows = audits.Select(a => Html.Of($"""
            <tr data-audit="{a.Id}"><td><a href="/audits/{a.Id}">#{a.Id}</a></td><td>{a.Source ?? "every source"}</td>
            <td>{a.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</td><td>{a.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</td>
            <td>{Format.Time(a.CreatedAt)}</td><td><a href="/audits/{a.Id}.html" download>HTML</a> · <a href="/audits/{a.Id}.pdf" download>PDF</a> · <a href="/api/audits/{a.Id}">JSON</a></td></tr>
            """));
        var today = DateOnly.FromDateTime(view.Now.UtcDateTime);
        var from = new DateOnly(today.Year, 1, 1);
        return Html.Of($"""
            <p class="context">An audit walks through usage, integrations, ROI, open work carried over, security, data quality and account
            prioritisation over a period, and compares with the previous stored audit of the same source. Stored audits are made by
            <code>crmpulse audit --from DATE --to DATE</code> or <code>POST /api/audits?from=…&amp;to=…</code>.</p>
            <form class="filters" method="get" action="/audits/preview" aria-label="Preview an audit">
              <input type="hidden" name="source" value="{view.Source}">
              <label>From <input type="date" name="from" value="{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" required></label>
              <label>To <input type="date" name="to" value="{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" required></label>
              <button type="submit">Preview (not stored)</button>
            </form>
            <h2>Stored audits</h2>
            {Widgets.Table("Stored audits", [Widgets.Th("Audit"), Widgets.Th("Source"), Widgets.Th("From"), Widgets.Th("To"), Widgets.Th("Made"), Widgets.Th("Download")], rows)}
            """);
    }

    public static IEndpointRouteBuilder MapAuditPages(this IEndpointRouteBuilder group)
    {
        group.MapGet("/audits/{id:long}", (HttpContext c, long id) => StoredAsync(c, id, "page"));
        group.MapGet("/audits/{id:long}.html", (HttpContext c, long id) => StoredAsync(c, id, "html"));
        group.MapGet("/audits/{id:long}.pdf", (HttpContext c, long id) => StoredAsync(c, id, "pdf"));
        group.MapGet("/audits/preview", (Func<HttpContext, Task<IResult>>)PreviewAsync);
        return group;
    }

    private static async Task<IResult> StoredAsync(HttpContext context, long id, string form)
    {
        var services = context.RequestServices;
        if (await AuditsApi.LoadAsync(services.GetRequiredService<ICrmStore>(), id, context.RequestAborted) is not { } view)
            return Results.Problem(statusCode: 404, title: "Unknown audit", detail: $"No stored audit #{id} (see /audits).");
        var name = $"crmpulse-audit-{id}-{view.Audit.From:yyyy-MM-dd}-{view.Audit.To:yyyy-MM-dd}";
        switch (form)
        {
            case "html":
                return Results.File(Encoding.UTF8.GetBytes(AuditDocument.Render(view.Audit, id)), "text/html; charset=utf-8", name + ".html");
            case "pdf":
                try
                {
                    var pdf = await services.GetRequiredService<PdfRenderer>().RenderAsync(AuditDocument.Render(view.Audit, id), context.RequestAborted);
                    return Results.File(pdf, "application/pdf", name + ".pdf");
                }
                catch (ReportException e)
                {
                    return Results.Problem(statusCode: 503, title: "PDF unavailable", detail: e.Message);
                }
            default:
                return Page(context, AuditDocument.Render(view.Audit, id, Toolbar($"/audits/{id}")));
        }
    }

    private static async Task<IResult> PreviewAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var q = context.Request.Query;
        var sources = services.GetRequiredService<SourceRegistry>();
        var source = q["source"].ToString() is { Length: > 0 } s ? s : null;
        if (!DateOnly.TryParseExact(q["from"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(q["to"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            return Results.Problem(statusCode: 400, title: "Bad request", detail: "from and to must be dates written yyyy-MM-dd.");
        if (from > to)
            return Results.Problem(statusCode: 400, title: "Bad request", detail: $"from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}.");
        if (source is not null && !sources.Contains(source))
            return Results.Problem(statusCode: 404, title: "Unknown source", detail: $"No source '{source}' (known: {string.Join(", ", sources.Names)}).");
        var audit = await services.GetRequiredService<AuditBuilder>().BuildAsync(from, to, source, sources.Names, context.RequestAborted);
        return Page(context, AuditDocument.Render(audit, null, Toolbar(null)));
    }

    private static IResult Page(HttpContext context, string html)
    {
        context.Response.Headers.ContentSecurityPolicy = ReportPage.ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static Markup Toolbar(string? stored) => Html.Of($"""
        <nav class="toolbar" aria-label="Audit">
        <a href="/audits">← Audits</a>
        {(stored is null ? Html.Raw("<span>Preview: not stored</span>") : Html.Of($"<a href=\"{stored}.html\" download>Download HTML</a> <a href=\"{stored}.pdf\" download>Download PDF</a>"))}
        </nav>
        """);
}
