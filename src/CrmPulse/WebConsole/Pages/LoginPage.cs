namespace CrmPulse.WebConsole.Pages;

/// <summary>/login and /logout: the console asks for an API key once and keeps a session cookie (see ConsoleSessions).</summary>
public static class LoginPage
{
    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/login", (HttpContext c) => ConsoleEndpoints.HtmlResult(Standalone(SafeReturn(c.Request.Query["return"]), null), 200));
        group.MapPost("/login", SignInAsync);
        group.MapPost("/logout", (HttpContext c, ConsoleSessions sessions) =>
        {
            sessions.SignOut(c.Request);
            c.Response.Cookies.Delete(ConsoleSessions.CookieName, ConsoleSessions.CookieOptions(c.Request, null));
            return Results.Redirect("/", permanent: false);
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ConsoleSessions sessions)
    {
        if (!context.Request.HasFormContentType) return ConsoleEndpoints.HtmlResult(Standalone("/", "Send the form."), 400);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var target = SafeReturn(form["return"]);
        if (!sessions.KeysConfigured)
            return ConsoleEndpoints.HtmlResult(Standalone(target, "No API key is configured: the console is open on loopback, no sign-in needed."), 400);
        if (sessions.SignIn(form["key"].ToString().Trim()) is not { } token)
            return ConsoleEndpoints.HtmlResult(Standalone(target, "That is not a configured API key."), StatusCodes.Status401Unauthorized);
        context.Response.Cookies.Append(ConsoleSessions.CookieName, token,
            ConsoleSessions.CookieOptions(context.Request, ConsoleSessions.Lifetime));
        return Results.Redirect(target, permanent: false);
    }

    /// <summary>Only a path of this site (never "//host" or "https://…"): the form cannot send a visitor elsewhere.</summary>
    public static string SafeReturn(string? value) =>
        value is { Length: > 0 } v && v[0] == '/' && (v.Length == 1 || (v[1] != '/' && v[1] != '\\')) ? v : "/";

    /// <summary>The sign-in page (also the answer to a record-level request without a key).</summary>
    public static string Standalone(string returnTo, string? error) => Html.Of($"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · CrmPulse</title><link rel="stylesheet" href="/assets/console.css"><link rel="icon" href="data:,"></head>
        <body><header class="top"><span class="brand">CrmPulse</span></header>
        <main id="main">
        <h1>Sign in</h1>
        <p class="context">This page lists records. Give one of the API keys configured for this CrmPulse (<code>CrmPulse:Api:ApiKeys</code>); the console keeps a session cookie for 12 hours.</p>
        {(error is null ? Markup.Empty : Html.Of($"<p class=\"notice\" role=\"alert\">{error}</p>"))}
        <form class="login" method="post" action="/login">
          <input type="hidden" name="return" value="{SafeReturn(returnTo)}">
          <label for="key">API key</label>
          <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
          <button type="submit">Sign in</button>
        </form>
        <p><a href="/">Back to the overview</a></p>
        </main></body></html>
        """).Value;
}
