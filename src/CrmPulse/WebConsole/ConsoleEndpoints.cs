using System.Reflection;
using CrmPulse.Reports;
using CrmPulse.WebConsole.Pages;

namespace CrmPulse.WebConsole;

/// <summary>
/// The console: pages at /, /adoption, /data-quality, … on the API's port, under the API's access rules (aggregate pages
/// as open as the aggregate endpoints; record lists and downloads need a key or a signed-in session when keys are
/// configured). Pages are HTML drawn on the server with inline SVG charts and one embedded stylesheet; nothing is
/// fetched from another host (the Content-Security-Policy says so to the browser too).
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>The browser may load styles and images from this server only, run no script, and post forms only here.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public delegate Task<Markup> PageBody(ConsoleView view, ConsoleData data, CancellationToken ct);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Console").ExcludeFromDescription();
        Page(group, "/", "Overview", OverviewPage.RenderAsync);
        Page(group, "/adoption", "Adoption", AdoptionPage.RenderAsync);
        Page(group, "/data-quality", "Data quality", DataQualityPage.RenderAsync);
        Page(group, "/data-quality/issues", "Data-quality records", (v, d, ct) => IssuesListPage.RenderAsync("data_quality", v, d, ct), records: true);
        Page(group, "/pipeline", "Pipeline hygiene", PipelinePage.RenderAsync);
        Page(group, "/pipeline/issues", "Pipeline records", (v, d, ct) => IssuesListPage.RenderAsync("pipeline", v, d, ct), records: true);
        Page(group, "/outcomes", "Outcomes", OutcomesPage.RenderAsync);
        Page(group, "/reconciliation", "Reconciliation", ReconciliationPage.RenderAsync);
        Page(group, "/reconciliation/issues", "Reconciliation records", (v, d, ct) => IssuesListPage.RenderAsync("reconciliation", v, d, ct), records: true);
        group.MapGet("/reconciliation/issues.csv", (Func<HttpContext, Task<IResult>>)(c => CsvDownloads.IssuesAsync(c, "reconciliation")));
        group.MapGet("/reconciliation/export.csv", (Func<HttpContext, Task<IResult>>)ReconciliationPage.ExportAsync);
        Page(group, "/integrations", "Integrations", IntegrationsPage.RenderAsync);
        Page(group, "/alerts", "Alerts", AlertsPage.RenderAsync);
        Page(group, "/sources", "Sources", SourcesPage.RenderAsync);
        Page(group, "/audits", "Audits", AuditsPage.RenderAsync);
        group.MapGet("/adoption/users.csv", (Func<HttpContext, Task<IResult>>)CsvDownloads.UsersAsync);
        group.MapGet("/data-quality/issues.csv", (Func<HttpContext, Task<IResult>>)(c => CsvDownloads.IssuesAsync(c, "data_quality")));
        group.MapGet("/pipeline/issues.csv", (Func<HttpContext, Task<IResult>>)(c => CsvDownloads.IssuesAsync(c, "pipeline")));
        group.MapGet("/assets/console.css", () => Asset("console.css", "text/css; charset=utf-8"));
        LoginPage.Map(group);
        group.MapReportPages();
        group.MapAuditPages();
        return app;
    }

    private static void Page(IEndpointRouteBuilder group, string path, string title, PageBody body, bool records = false) =>
        group.MapGet(path, (Func<HttpContext, Task<IResult>>)(context => RenderAsync(context, path, title, body, records)));

    /// <summary>Builds the view from the URL, checks access, renders the body in the layout.</summary>
    public static async Task<IResult> RenderAsync(HttpContext context, string path, string title, PageBody body, bool records)
    {
        var data = new ConsoleData(context.RequestServices);
        var view = await ViewAsync(context, path, data);
        if (view.Error is { } error) return HtmlResult(Layout.Render(view.View, title, Layout.Message(error.Message)), error.Status);
        if (records && !view.View.MayListRecords) return SignInRequired(context);
        try
        {
            return HtmlResult(Layout.Render(view.View, title, await body(view.View, data, context.RequestAborted)), 200);
        }
        catch (ConsoleProblemException e)
        {
            return HtmlResult(Layout.Render(view.View, title, Layout.Message(e.Message)), e.Status);
        }
    }

    /// <summary>The view of a request; an unknown source, range or team gives the error to show (and the defaults).</summary>
    public static async Task<(ConsoleView View, ConsoleProblemException? Error)> ViewAsync(HttpContext context, string path, ConsoleData data)
    {
        var q = context.Request.Query;
        var sessions = context.RequestServices.GetRequiredService<ConsoleSessions>();
        // A reconciliation pair's name is a source tag too: its pages and records are chosen like a source's.
        var names = data.Sources.Names.Concat(context.RequestServices.GetRequiredService<Reconciliation.ReconciliationRunner>().Pairs.Select(p => p.Name)).ToList();
        string? problem = null;
        var source = q["source"].ToString();
        if (source.Length == 0) source = names[0];
        else if (!names.Contains(source))
        {
            problem = $"No source '{source}' (known: {string.Join(", ", names)}).";
            source = names[0];
        }
        var range = q["range"].ToString();
        if (range.Length == 0) range = ConsoleView.DefaultRange;
        else if (!ConsoleView.Ranges.Any(r => r.Id == range))
        {
            problem ??= $"range: '{range}' is not one of {string.Join(", ", ConsoleView.Ranges.Select(r => r.Id))}.";
            range = ConsoleView.DefaultRange;
        }
        var teams = await data.TeamsAsync(source, context.RequestAborted);
        var team = q["team"].ToString() is { Length: > 0 } t ? t : null;
        if (team is not null && !teams.Contains(team) && team != "unassigned")
        {
            problem ??= $"No team '{team}' in source '{source}' (known: {string.Join(", ", teams)}).";
            team = null;
        }
        var view = new ConsoleView(path, range, source, team, names, teams, data.Time.GetUtcNow(),
            sessions.IsSignedIn(context.Request), sessions.KeysConfigured, q);
        return (view, problem is null ? null : new ConsoleProblemException(404, problem));
    }

    /// <summary>401 with the sign-in form: record-level content needs a key when keys are configured.</summary>
    public static IResult SignInRequired(HttpContext context) =>
        HtmlResult(LoginPage.Standalone(context.Request.Path + context.Request.QueryString, null), StatusCodes.Status401Unauthorized);

    public static IResult HtmlResult(string html, int status) => new HtmlPageResult(html, status);

    private static IResult Asset(string name, string contentType) => Results.Text(AssetText(name), contentType);

    /// <summary>Reads an embedded asset's text (the report inlines the chart styles).</summary>
    public static string AssetText(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"CrmPulse.WebConsole.{name}")
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>An HTML page with the console's security headers.</summary>
    private sealed class HtmlPageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            return context.Response.WriteAsync(html);
        }
    }
}
