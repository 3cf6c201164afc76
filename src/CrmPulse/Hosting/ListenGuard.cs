using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CrmPulse.Hosting;

/// <summary>
/// Without an API key CrmPulse serves record-level data to whoever can reach it, so it must listen on loopback only.
/// The configuration is checked before the start (<see cref="ListenAddresses"/>); this checks, once Kestrel has bound,
/// the addresses it actually listens on, whatever configured them. Until that check has passed every request gets a 503,
/// and when it fails the host stops with the addresses named and <see cref="Refused"/> set (exit code 2).
/// </summary>
public sealed class ListenGuard(bool hasApiKey)
{
    private readonly Lock _lock = new();
    private volatile bool _verified;
    private bool _checked;
    private WebApplication? _app;
    private TextWriter _errorOutput = TextWriter.Null;

    /// <summary>The message when the bound addresses reach beyond loopback without an API key; null otherwise.</summary>
    public string? Refused { get; private set; }

    /// <summary>The addresses Kestrel listens on, each checked (tests and the start-up banner read them).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>The message for these bound addresses, or null when they are all loopback or an API key is configured.</summary>
    public static string? Check(IEnumerable<string> addresses, bool hasApiKey)
    {
        if (hasApiKey) return null;
        var beyond = addresses.Where(a => !ListenAddresses.IsLoopback(a)).ToList();
        return beyond.Count == 0 ? null
            : $"CrmPulse listens on {string.Join(", ", beyond)}, beyond loopback, but no API key is configured: anyone who can reach it "
              + "would read record-level data. Set an API key (CRMPULSE__API__APIKEYS__0, or CrmPulse:Api:ApiKeysFile; make one with "
              + "`openssl rand -hex 32`) or listen on 127.0.0.1 only (--urls http://127.0.0.1:5080).";
    }

    /// <summary>First in the pipeline: nothing is served before the check passed. Then the check itself, once Kestrel has bound.</summary>
    public void Install(WebApplication app, TextWriter errorOutput)
    {
        _app = app;
        _errorOutput = errorOutput;
        app.Use(async (context, next) =>
        {
            if (_verified) { await next(context); return; }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                title = "Starting",
                status = 503,
                detail = Refused ?? "CrmPulse is checking the addresses it listens on; try again in a moment.",
            }, options: null, contentType: "application/problem+json");
        });
        app.Lifetime.ApplicationStarted.Register(() => EnsureChecked());
    }

    /// <summary>
    /// Checks the bound addresses once (the first caller after Kestrel has bound: the start-up banner or the guard's own
    /// callback); stops the host when they reach beyond loopback without an API key. Returns <see cref="Refused"/>.
    /// </summary>
    public string? EnsureChecked()
    {
        lock (_lock)
        {
            if (_checked || _app is null) return Refused;
            _checked = true;
            Addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            Refused = Check(Addresses, hasApiKey);
            if (Refused is null)
            {
                _verified = true;
                return null;
            }
            _errorOutput.WriteLine($"CrmPulse cannot start: {Refused}");
            _app.Lifetime.StopApplication();
            return Refused;
        }
    }
}
