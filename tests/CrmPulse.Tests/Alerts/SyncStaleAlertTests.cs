using CrmPulse.Alerts;
using CrmPulse.Core.Alerts;
using CrmPulse.Core.Sources;
using CrmPulse.Hosting;
using CrmPulse.Metrics;
using CrmPulse.Options;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmPulse.Tests.Alerts;

/// <summary>The default source-sync-stale rule (no successful sync for an hour) over the store's sync states.</summary>
public sealed class SyncStaleAlertTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeClock _clock = new(T0);
    private TempStore _store = null!;

    public async Task InitializeAsync() => _store = await TempStore.OpenAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public sealed class QuietOptions;

    private sealed class QuietSource(string name) : ICrmSource
    {
        public string Name => name;

        public string Kind => "Quiet";

        public Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken) => Task.FromResult(new ChangeSet());
    }

    [Fact]
    public async Task A_source_fires_an_hour_after_its_last_successful_sync_and_one_never_synced_an_hour_after_the_start()
    {
        var kind = SourceKind.Create<QuietOptions>("Quiet", TimeSpan.FromMinutes(5), _ => [], (name, _, _) => new QuietSource(name));
        var registry = new SourceRegistry(new[] { "hub", "files" }.Select(n => new ConfiguredSource(new SourceOptions { Name = n, Kind = "Quiet" }, kind, new QuietOptions(), n)), _clock);
        var rules = new AlertRuleSet { Rules = [AlertRulesFile.Load(null).Rules!.Rules.Single(r => r.Name == "source-sync-stale")] };
        var options = new AlertsOptions();
        await using var notifier = new AlertNotifier(options, _store.Store, _clock, NullLogger<AlertNotifier>.Instance);
        var runner = new AlertRunner(rules, options, _store.Store, _store.Store, _store.Store, registry, notifier,
            new PulseMetrics(Prometheus.Metrics.NewCustomRegistry()), _clock, NullLogger<AlertRunner>.Instance);
        // hub syncs at 09:10; files never does. The runner started at 09:00.
        await _store.Store.ApplyAsync("hub", new ChangeSet(), T0.AddMinutes(10), CancellationToken.None);

        async Task<List<string>> FiringAt(int minutes)
        {
            _clock.Now = T0.AddMinutes(minutes);
            await runner.EvaluateAsync(CancellationToken.None);
            return (await _store.Store.LoadAlertsAsync(CancellationToken.None)).Where(i => i.Status == AlertStatus.Firing)
                .Select(i => $"{i.Source}: {i.Summary}").ToList();
        }

        Assert.Empty(await FiringAt(60));   // files: exactly an hour since the start is not yet stale
        Assert.Equal(["files: Source files has not synced successfully since 2026-11-02T09:00:00Z"], await FiringAt(61));
        Assert.Equal(["files: Source files has not synced successfully since 2026-11-02T09:00:00Z",
            "hub: Source hub has not synced successfully since 2026-11-02T09:10:00Z"], (await FiringAt(71)).Order(StringComparer.Ordinal));
    }
}
