using System.Text;
using CrmPulse.Core.Sources;
using CrmPulse.Hosting;
using CrmPulse.Metrics;
using CrmPulse.Options;
using CrmPulse.Pipeline;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace CrmPulse.Tests.Integrations;

/// <summary>After a sync, a source's reported API usage becomes crm_api_* samples on its tag (Demo and File report none).</summary>
public sealed class SourceRunnerApiUsageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly FakeSource _source = new();
    private readonly FakeClock _clock = new(T0);
    private TempStore _store = null!;
    private SourceRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _store = await TempStore.OpenAsync();
        _runner = Runner(_registry);
    }

    private SourceRunner Runner(CollectorRegistry registry)
    {
        var kind = SourceKind.Create<FakeOptions>("Fake", TimeSpan.FromMinutes(5), _ => [], (_, _, _) => _source);
        var configured = new ConfiguredSource(new SourceOptions { Name = "hub", Kind = "Fake" }, kind, new FakeOptions(), "test");
        return new SourceRunner(new SourceRegistry([configured], _clock), _store.Store, _store.Store, new KpiGauges(registry),
            new PulseMetrics(registry), _clock, NullLogger<SourceRunner>.Instance);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<Dictionary<string, double>> ApiSamplesAsync() =>
        (await _store.Store.LatestAsync("hub", CancellationToken.None))
            .Where(s => s.Dimensions["integration"] == "crm_api").ToDictionary(s => s.Kpi, s => s.Value);

    private async Task<string> ScrapeAsync(CollectorRegistry? registry = null)
    {
        using var stream = new MemoryStream();
        await (registry ?? _registry).CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task A_sync_that_reports_api_usage_stores_latency_error_and_headroom_samples()
    {
        _source.Usage = new ApiUsage(4, 1, [300, 100, 400, 200], DailyLimit: 10_000, DailyRemaining: 2_500);

        Assert.True(await _runner.SyncAsync("hub", CancellationToken.None));

        // Sorted 100, 200, 300, 400: p50 rank 2 → 200, p95 rank ⌈3.8⌉ = 4 → 400; 1 error ÷ 4 = 0.25; 2 500 ÷ 10 000 = 0.25.
        Assert.Equal(new Dictionary<string, double>
        {
            ["crm_api_latency_p50"] = 200, ["crm_api_latency_p95"] = 400, ["crm_api_error_ratio"] = 0.25, ["crm_api_headroom_ratio"] = 0.25,
        }, await ApiSamplesAsync());
        Assert.Contains("crmpulse_integration_crm_api_error_ratio{source=\"hub\",integration=\"crm_api\"} 0.25\n", await ScrapeAsync());
    }

    [Fact]
    public async Task A_kpi_pass_after_the_sync_leaves_the_api_gauges_in_place()
    {
        _source.Usage = new ApiUsage(2, 0, [10, 20], 100, 50);
        await _runner.SyncAsync("hub", CancellationToken.None);

        Assert.True(await _runner.ComputeKpisAsync("hub", CancellationToken.None));

        var text = await ScrapeAsync();
        Assert.Contains("crmpulse_integration_crm_api_headroom_ratio{source=\"hub\",integration=\"crm_api\"} 0.5\n", text);
        Assert.Contains("crmpulse_adoption_licensed_users{source=\"hub\",team=\"\"} 0\n", text);
    }

    [Fact]
    public async Task At_start_up_the_last_kpi_pass_and_the_last_api_usage_are_both_shown_again()
    {
        _source.Usage = new ApiUsage(2, 0, [10, 20], 100, 50);
        await _runner.SyncAsync("hub", CancellationToken.None);
        await _runner.ComputeKpisAsync("hub", CancellationToken.None);
        _clock.Now = T0.AddMinutes(5);
        _source.Usage = new ApiUsage(4, 1, [10, 20, 30, 40], 100, 25);
        await _runner.SyncAsync("hub", CancellationToken.None); // newer than the KPI pass

        var restarted = Prometheus.Metrics.NewCustomRegistry();
        await Runner(restarted).RestoreGaugesAsync(CancellationToken.None);

        var text = await ScrapeAsync(restarted);
        Assert.Contains("crmpulse_adoption_licensed_users{source=\"hub\",team=\"\"} 0\n", text);
        Assert.Contains("crmpulse_integration_crm_api_headroom_ratio{source=\"hub\",integration=\"crm_api\"} 0.25\n", text);
    }

    [Fact]
    public async Task A_source_that_reports_no_api_usage_gets_no_crm_api_samples()
    {
        _source.Usage = null;

        Assert.True(await _runner.SyncAsync("hub", CancellationToken.None));

        Assert.Empty(await ApiSamplesAsync());
    }

    [Fact]
    public async Task A_failed_sync_still_reports_the_requests_and_errors_it_made()
    {
        // The pull failed after 3 requests, 2 of them errors (say two 500s, then the page it gave up on).
        _source.Failure = new SourceException("hub: retries exhausted");
        _source.FailedUsage = new ApiUsage(3, 2, [100, 5000, 5000], DailyLimit: 1000, DailyRemaining: 900);

        Assert.False(await _runner.SyncAsync("hub", CancellationToken.None));

        // 2 errors ÷ 3 requests; sorted 100, 5000, 5000: p50 rank ⌈1.5⌉ = 2 → 5000, p95 rank 3 → 5000; 900 ÷ 1000.
        Assert.Equal(new Dictionary<string, double>
        {
            ["crm_api_latency_p50"] = 5000, ["crm_api_latency_p95"] = 5000, ["crm_api_error_ratio"] = 2.0 / 3, ["crm_api_headroom_ratio"] = 0.9,
        }, await ApiSamplesAsync());
    }

    [Fact]
    public async Task A_failed_sync_that_made_no_request_reports_no_api_usage()
    {
        _source.Failure = new SourceException("hub: paused");
        _source.FailedUsage = new ApiUsage(0, 0, []);

        Assert.False(await _runner.SyncAsync("hub", CancellationToken.None));

        Assert.Empty(await ApiSamplesAsync());
    }

    public sealed class FakeOptions;

    private sealed class FakeSource : ICrmSource
    {
        public ApiUsage? Usage { get; set; }

        public Exception? Failure { get; set; }

        public ApiUsage? FailedUsage { get; set; }

        public string Name => "hub";

        public string Kind => "Fake";

        public ApiUsage? LastPullUsage => Failure is null ? Usage : FailedUsage;

        public Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken) =>
            Failure is { } e ? Task.FromException<ChangeSet>(e) : Task.FromResult(new ChangeSet { ApiUsage = Usage });
    }
}
