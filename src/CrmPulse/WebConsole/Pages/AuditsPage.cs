using System.Globalization;
using System.Text;
using CrmPulse.Audits;
using CrmPulse.Hosting;
using CrmPulse.Reports;
using CrmPulse.Storage;

namespace CrmPulse.WebConsole.Pages;

/// <summary>
/// /audits: the stored audits (newest first) with links to each as a page, a self-contained HTML file and a PDF, and a
/// form that previews the audit of a period without storing it; the preview's button stores it (POST /audits). /audits/{id}, /audits/{id}.html, /audits/{id}.pdf and
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
            <code>crmpulse audit --from DATE --to DATE</code>, <code>POST /api/audits?from=…&amp;to=…</code> or the preview's <em>Store this audit</em>.</p>
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
        group.MapPost("/audits", (Func<HttpContext, Task<IResult>>)StoreAsync);
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
        var (from, to, source, error) = Period(q["from"], q["to"], q["source"], sources);
        if (error is not null) return error;
        var audit = await services.GetRequiredService<AuditBuilder>().BuildAsync(from, to, source, sources.Names, context.RequestAborted);
        return Page(context, AuditDocument.Render(audit, null, Toolbar(null, (from, to, source))), allowForm: true);
    }

    /// <summary>
    /// POST /audits, the preview's "Store this audit" button: makes the audit of the period as POST /api/audits does,
    /// stores it and shows it (303 to /audits/{id}). It changes state, so it needs what the API needs (a key or a
    /// signed-in session when keys are configured) and the browser's word that the form came from this site's own
    /// pages: a page elsewhere cannot make this CrmPulse store audits (cross-site request forgery).
    /// </summary>
    private static async Task<IResult> StoreAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!FromThisSite(context.Request))
            return Results.Problem(statusCode: 403, title: "Forbidden", detail: "The form was not sent from this CrmPulse's own pages: nothing stored.");
        var sessions = services.GetRequiredService<ConsoleSessions>();
        if (sessions.KeysConfigured && !sessions.IsSignedIn(context.Request)) return ConsoleEndpoints.SignInRequired(context);
        if (!context.Request.HasFormContentType)
            return Results.Problem(statusCode: 400, title: "Bad request", detail: "Send the form of /audits/preview (from, to and source).");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var sources = services.GetRequiredService<SourceRegistry>();
        var (from, to, source, error) = Period(form["from"], form["to"], form["source"], sources);
        if (error is not null) return error;
        var (id, _) = await services.GetRequiredService<AuditBuilder>().RunAsync(from, to, source, sources.Names, context.RequestAborted);
        context.Response.Headers.Location = $"/audits/{id}";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// Whether a state-changing form came from this site. Browsers say so in Sec-Fetch-Site (every current one) or, on
    /// a POST, in Origin; a request with neither (curl, a script with the key) is no browser acting for someone else.
    /// </summary>
    internal static bool FromThisSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0) return fetchSite is "same-origin";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var o)
            && string.Equals(o.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The period and source of a preview or a store request, or the problem with them.</summary>
    private static (DateOnly From, DateOnly To, string? Source, IResult? Error) Period(string? fromText, string? toText, string? sourceText,
        SourceRegistry sources)
    {
        var source = sourceText is { Length: > 0 } s ? s : null;
        if (!DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            return (default, default, null, Results.Problem(statusCode: 400, title: "Bad request", detail: "from and to must be dates written yyyy-MM-dd."));
        if (from > to)
            return (default, default, null, Results.Problem(statusCode: 400, title: "Bad request", detail: $"from {from:yyyy-MM-dd} is after to {to:yyyy-MM-dd}."));
        if (source is not null && !sources.Contains(source))
            return (default, default, null, Results.Problem(statusCode: 404, title: "Unknown source", detail: $"No source '{source}' (known: {string.Join(", ", sources.Names)})."));
        return (from, to, source, null);
    }

    private static IResult Page(HttpContext context, string html, bool allowForm = false)
    {
        // The report's policy posts no form; the preview's one button posts to this site only.
        context.Response.Headers.ContentSecurityPolicy = allowForm
            ? ReportPage.ContentSecurityPolicyWithForms
            : ReportPage.ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static Markup Toolbar(string? stored, (DateOnly From, DateOnly To, string? Source)? preview = null) => Html.Of($"""
        <nav class="toolbar" aria-label="Audit">
        <a href="/audits">← Audits</a>
        {(stored is null ? Html.Raw("<span>Preview: not stored</span>") : Html.Of($"<a href=\"{stored}.html\" download>Download HTML</a> <a href=\"{stored}.pdf\" download>Download PDF</a>"))}
        {(preview is { } p ? StoreForm(p.From, p.To, p.Source) : Markup.Empty)}
        </nav>
        """);

    private static Markup StoreForm(DateOnly from, DateOnly to, string? source) => Html.Of($"""
        <form method="post" action="/audits" aria-label="Store this audit">
        <input type="hidden" name="from" value="{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}">
        <input type="hidden" name="to" value="{to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}">
        <input type="hidden" name="source" value="{source ?? ""}">
        <button type="submit">Store this audit</button>
        </form>
        """);
}
