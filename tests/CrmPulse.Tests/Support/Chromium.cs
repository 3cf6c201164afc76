using Microsoft.Playwright;

namespace CrmPulse.Tests.Support;

/// <summary>
/// Debian's chromium, headless, driven by Playwright (whose own browser download cannot work here). A missing browser
/// fails the test, never skips it: ./test.sh installs the package.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>The flags of every launch: no sandbox (root in CI), nothing that calls home.</summary>
    public static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    /// <summary>A context with a fresh user-data dir: its own cookies, cache and downloads.</summary>
    public IBrowserContext Context { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        var executable = Tools.Require("chromium", "chromium");
        var profile = Directory.CreateTempSubdirectory("crmpulse-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Flags,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        return new Chromium(playwright, context, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
