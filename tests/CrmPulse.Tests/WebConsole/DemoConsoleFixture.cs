using Microsoft.Extensions.DependencyInjection;
using CrmPulse.Alerts;
using CrmPulse.Pipeline;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>
/// The console on the demo, as a reviewer would open it: the real host with the Demo source on a fixed day (anchor and
/// clock at 2026-11-18 00:00 UTC, so pages, numbers and screenshots are the same on any date), 60 days of rebuilt
/// history, alerts evaluated, one target; and one Chromium shared by the tests of the collection.
/// </summary>
public sealed class DemoConsoleFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Today = new(2026, 11, 18, 0, 0, 0, TimeSpan.Zero);

    public InProcessHost Host { get; private set; } = null!;

    public Chromium Browser { get; private set; } = null!;

    public Uri Origin => Host.Client.BaseAddress!;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["CrmPulse:Sources:0:Name"] = "demo",
        ["CrmPulse:Sources:0:Kind"] = "Demo",
        ["CrmPulse:Sources:0:Anchor"] = Today.ToString("O"),
        ["CrmPulse:Sources:0:CustomFields:contact:0"] = "customer_tier",
        ["CrmPulse:Sources:0:CustomFields:contact:1"] = "legacy_region",
        ["CrmPulse:Sources:0:Pipeline:SnoozeField"] = "paused_until",
        ["CrmPulse:Targets:0:Kpi"] = "weekly_active_ratio",
        ["CrmPulse:Targets:0:Value"] = "0.85",
        ["CrmPulse:Targets:0:By"] = "2026-12-31",
    };

    public async Task InitializeAsync()
    {
        Host = await InProcessHost.StartAsync(Settings(), new FakeClock(Today));
        Assert.True(await Host.Services.GetRequiredService<Backfiller>().RunAsync("demo", 60, null, CancellationToken.None), "backfill failed");
        await Host.Services.GetRequiredService<AlertRunner>().EvaluateAsync(CancellationToken.None);
        Browser = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        if (Host is not null) await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DemoConsoleCollection : ICollectionFixture<DemoConsoleFixture>
{
    public const string Name = "Console on the demo";
}
