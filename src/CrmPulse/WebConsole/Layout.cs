namespace CrmPulse.WebConsole;

/// <summary>The page shell: header with the source, team and time-range selectors, the navigation, the page's body.</summary>
public static class Layout
{
    /// <summary>The pages in navigation order: path and label.</summary>
    public static readonly IReadOnlyList<(string Path, string Label)> Pages =
    [
        ("/", "Overview"), ("/adoption", "Adoption"), ("/data-quality", "Data quality"), ("/pipeline", "Pipeline"),
        ("/outcomes", "Outcomes"), ("/reconciliation", "Reconciliation"), ("/integrations", "Integrations"), ("/alerts", "Alerts"), ("/sources", "Sources"), ("/audits", "Audits"),
    ];

    public static string Render(ConsoleView view, string title, Markup body)
    {
        var nav = Pages.Select(p =>
        {
            var current = view.Path == p.Path || (p.Path != "/" && view.Path.StartsWith(p.Path + "/", StringComparison.Ordinal));
            return Html.Of($"<li><a href=\"{view.Link(p.Path)}\"{Html.Raw(current ? " aria-current=\"page\"" : "")}>{p.Label}</a></li>");
        });
        var report = Html.Of($"<li class=\"sep\"><a href=\"{ConsoleView.With("/report", [("period", "month"), ("source", view.Source)])}\">Leadership report</a></li>");
        var account = !view.KeysConfigured ? Markup.Empty
            : view.SignedIn
                ? Html.Raw("<form method=\"post\" action=\"/logout\" class=\"signout\"><button type=\"submit\">Sign out</button></form>")
                : Html.Of($"<a class=\"signin\" href=\"{ConsoleView.With("/login", [("return", view.Self())])}\">Sign in</a>");
        var ranges = ConsoleView.Ranges.Select(r => Html.Of(
            $"<a href=\"{view.Self(("range", r.Id))}\"{Html.Raw(r.Id == view.Range ? " aria-current=\"true\" class=\"on\"" : "")}>{r.Label}</a>"));
        var sources = view.Sources.Select(s => Html.Of($"<option value=\"{s}\"{Html.Raw(s == view.Source ? " selected" : "")}>{s}</option>"));
        var teams = view.Teams.Select(t => Html.Of($"<option value=\"{t}\"{Html.Raw(t == view.Team ? " selected" : "")}>{t}</option>"));
        var keep = view.Query.Where(q => q.Key is not ("source" or "team" or "range" or "page"))
            .Select(q => Html.Of($"<input type=\"hidden\" name=\"{q.Key}\" value=\"{q.Value.ToString()}\">"));

        var page = Html.Of($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · CrmPulse</title>
            <link rel="stylesheet" href="/assets/console.css">
            <link rel="icon" href="data:,">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
              <span class="brand">CrmPulse</span>
              <form class="filters" method="get" action="{view.Path}" aria-label="View filters">
                <input type="hidden" name="range" value="{view.Range}">
                {keep}
                <label>Source <select name="source">{sources}</select></label>
                <label>Team <select name="team"><option value="">All teams</option>{teams}</select></label>
                <button type="submit">Apply</button>
              </form>
              <nav class="ranges" aria-label="Time range">{ranges}</nav>
              {account}
            </header>
            <div class="frame">
            <nav class="side" aria-label="Pages"><ul>{nav}{report}</ul></nav>
            <main id="main">
            <h1>{title}</h1>
            <p class="context">Source <strong>{view.Source}</strong> · {(view.Team is null ? "all teams" : "team " + view.Team)} · {ConsoleView.Ranges.First(r => r.Id == view.Range).Label} to {Format.Time(view.Now)}</p>
            {body}
            </main>
            </div>
            </body>
            </html>
            """);
        return page.Value;
    }

    /// <summary>A page with a message only (bad parameter, sign-in needed), in the same shell.</summary>
    public static Markup Message(string text) => Html.Of($"<p class=\"notice\">{text}</p>");
}
