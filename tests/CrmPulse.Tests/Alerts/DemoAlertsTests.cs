using System.Text.Json;
using CrmPulse.Commands;
using CrmPulse.Hosting;
using CrmPulse.Sources.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Alerts;

/// <summary>
/// The embedded default (one Demo source, the default rules) after `crmpulse backfill --days 60` and a pass: the
/// dipping team's adoption-drop alert fires, no other team's does, and nothing else is active.
/// </summary>
public sealed class DemoAlertsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-alerts-demo-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task On_a_backfilled_demo_the_default_rules_fire_for_the_dipping_team_only()
    {
        var settings = new Dictionary<string, string?> { ["CrmPulse:Store:Path"] = Path.Combine(_dir, "crmpulse.db"), ["urls"] = "http://127.0.0.1:0" };
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Backfill, [], null, null), TextWriter.Null, TextWriter.Null,
            c => c.AddInMemoryCollection(settings), CrmPulse.Tests.Support.TestTimes.Clock(CrmPulse.Tests.Support.TestTimes.Afternoon));
        Assert.NotNull(app);
        await using (app)
        {
            Assert.Equal(0, await BackfillCommand.RunAsync(app, 60, TextWriter.Null, terminal: false, CancellationToken.None));
            Assert.Equal(0, await CrmPulseApp.RunOnceAsync(app, TextWriter.Null));
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var facts = ((DemoSource)app.Services.GetRequiredService<SourceRegistry>().Source("demo")).Facts;

            var alerts = JsonDocument.Parse(await client.GetStringAsync("/api/alerts")).RootElement;
            var active = alerts.GetProperty("active").EnumerateArray().ToList();
            var alert = Assert.Single(active);
            Assert.Equal(("adoption-drop", "firing", "warning", "demo", facts.DipTeam),
                (alert.GetProperty("rule").GetString(), alert.GetProperty("status").GetString(), alert.GetProperty("severity").GetString(),
                 alert.GetProperty("source").GetString(), alert.GetProperty("dimensions").GetProperty("team").GetString()));
            // The value that triggered it is the team's weekly active ratio now, far under its baseline of earlier weeks.
            var value = alert.GetProperty("value").GetDouble();
            var baseline = alert.GetProperty("baseline").GetDouble();
            Assert.True(value < 0.7 * baseline, $"{value} vs {baseline}");
            Assert.StartsWith($"Adoption drop in {facts.DipTeam} (demo): weekly active ratio ", alert.GetProperty("summary").GetString());
            Assert.Equal(["adoption-drop", "data-quality-drop", "integration-down", "source-sync-stale", "sync-lag-growing"],
                alerts.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));

            var metrics = await client.GetStringAsync("/metrics");
            Assert.Contains("crmpulse_alerts_firing{rule=\"adoption-drop\",severity=\"warning\"} 1\n", metrics);
            Assert.Contains("crmpulse_alerts_firing{rule=\"source-sync-stale\",severity=\"critical\"} 0\n", metrics);
            // No reconciliation pair with Sync: the sync-lag rule has no series to evaluate.
            Assert.Contains("crmpulse_alerts_firing{rule=\"sync-lag-growing\",severity=\"warning\"} 0\n", metrics);
            await app.StopAsync();
        }
    }
}
