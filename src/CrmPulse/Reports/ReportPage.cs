using System.Security.Cryptography;
using System.Text;
using CrmPulse.Apis;
using CrmPulse.Hosting;
using CrmPulse.WebConsole;

namespace CrmPulse.Reports;

/// <summary>/report (the printable page), /report.html (the self-contained file) and /report.pdf: the leadership report
/// of ?period=week|month|quarter and ?source=. Aggregate, as /api/reports/leadership is.</summary>
public static class ReportPage
{
    /// <summary>The report's only inline style is allowed by its hash; nothing else may load or run.</summary>
    public static readonly string ContentSecurityPolicy = Policy("'none'");

    /// <summary>The same policy, with forms that post to this site only (the audit preview's "Store this audit").</summary>
    public static readonly string ContentSecurityPolicyWithForms = Policy("'self'");

    private static string Policy(string formAction) =>
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ReportDocument.Css)))}'; "
        + $"img-src data:; form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapReportPages(this IEndpointRouteBuilder group)
    {
        group.MapGet("/report", (Func<HttpContext, Task<IResult>>)(c => RenderAsync(c, "page")));
        group.MapGet("/report.html", (Func<HttpContext, Task<IResult>>)(c => RenderAsync(c, "html")));
        group.MapGet("/report.pdf", (Func<HttpContext, Task<IResult>>)(c => RenderAsync(c, "pdf")));
        return group;
    }

    private static async Task<IResult> RenderAsync(HttpContext context, string form)
    {
        var services = context.RequestServices;
        var kind = context.Request.Query["period"].ToString() is { Length: > 0 } k ? k : "month";
        var source = context.Request.Query["source"].ToString() is { Length: > 0 } s ? s : null;
        var sources = services.GetRequiredService<SourceRegistry>();
        if (ReportPeriod.Of(kind, services.GetRequiredService<TimeProvider>().GetUtcNow()) is not { } period)
            return Results.Problem(statusCode: 400, title: "Bad request", detail: $"period: '{kind}' is not one of {string.Join(", ", ReportPeriod.Kinds)}.");
        if (source is not null && !sources.Contains(source))
            return Results.Problem(statusCode: 404, title: "Unknown source", detail: $"No source '{source}' (known: {string.Join(", ", sources.Names)}).");

        var model = await services.GetRequiredService<ReportBuilder>().BuildAsync(period, source, context.RequestAborted);
        var name = FileName(period, source);
        switch (form)
        {
            case "html":
                return Results.File(Encoding.UTF8.GetBytes(ReportDocument.Render(model)), "text/html; charset=utf-8", name + ".html");
            case "pdf":
                try
                {
                    var pdf = await services.GetRequiredService<PdfRenderer>().RenderAsync(ReportDocument.Render(model), context.RequestAborted);
                    return Results.File(pdf, "application/pdf", name + ".pdf");
                }
                catch (ReportException e)
                {
                    return Results.Problem(statusCode: 503, title: "PDF unavailable", detail: e.Message);
                }
            default:
                var html = ReportDocument.Render(model, Toolbar(kind, source));
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-store";
                return Results.Content(html, "text/html; charset=utf-8");
        }
    }

    /// <summary>"crmpulse-report-month-2026-11" (and the source when one is chosen).</summary>
    public static string FileName(ReportPeriod period, string? source) =>
        $"crmpulse-report-{period.Kind}-{period.From.UtcDateTime:yyyy-MM-dd}{(source is null ? "" : "-" + source)}";

    private static Markup Toolbar(string kind, string? source)
    {
        var periods = ReportPeriod.Kinds.Select(p => Html.Of(
            $"<a href=\"{ConsoleView.With("/report", [("period", p), ("source", source)])}\"{Html.Raw(p == kind ? " aria-current=\"page\"" : "")}>{p}</a>"));
        return Html.Of($"""
            <nav class="toolbar" aria-label="Report">
            <a href="{ConsoleView.With("/", [("source", source)])}">← Console</a>
            <span>Period: {periods}</span>
            <a href="{ConsoleView.With("/report.html", [("period", kind), ("source", source)])}" download>Download HTML</a>
            <a href="{ConsoleView.With("/report.pdf", [("period", kind), ("source", source)])}" download>Download PDF</a>
            </nav>
            """);
    }
}
