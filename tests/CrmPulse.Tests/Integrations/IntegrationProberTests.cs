using System.Text;
using CrmPulse.Core.Kpis;
using CrmPulse.Integrations;
using CrmPulse.Metrics;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace CrmPulse.Tests.Integrations;

/// <summary>Probes against real HTTP servers on 127.0.0.1: one that answers, one that fails, one that never answers.</summary>
public sealed class IntegrationProberTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeClock _clock = new(T0);
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private TempStore _store = null!;
    private IntegrationProber _prober = null!;

    public async Task InitializeAsync()
    {
        _store = await TempStore.OpenAsync();
        _prober = new IntegrationProber(_store.Store, new KpiGauges(_registry), _clock, NullLogger<IntegrationProber>.Instance);
    }

    public async Task DisposeAsync()
    {
        _prober.Dispose();
        await _store.DisposeAsync();
    }

    private static IntegrationOptions Probe(string name, LocalHttpServer server, TimeSpan? timeout = null, string expected = "200") =>
        new() { Name = name, ProbeUrl = server.Url, Timeout = timeout ?? TimeSpan.FromSeconds(10), ExpectedStatus = expected };

    private async Task<ProbeResult> ProbeAt(IntegrationOptions integration, double minutes)
    {
        _clock.Now = T0.AddMinutes(minutes);
        return await _prober.ProbeAsync(integration, CancellationToken.None);
    }

    private async Task<Dictionary<string, double>> StoredAsync(string integration) =>
        (await _store.Store.LatestAsync(IntegrationKpis.ProbeSource, CancellationToken.None))
            .Where(s => s.Dimensions["integration"] == integration).ToDictionary(s => s.Kpi, s => s.Value);

    [Fact]
    public async Task An_answering_target_is_up_with_a_success_ratio_of_one()
    {
        await using var server = LocalHttpServer.Answering(200);
        var ok = Probe("ok", server);

        for (var i = 0; i < 3; i++) Assert.Equal(200, (await ProbeAt(ok, i)).Status);

        var stats = _prober.Stats("ok")!;
        Assert.Equal((3, 1.0, true), (stats.Probes, stats.SuccessRatio, stats.Last.Success));
        var stored = await StoredAsync("ok");
        Assert.Equal((1.0, 1.0), (stored["probe_up"], stored["probe_success_ratio"]));
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task A_target_answering_500_is_down_and_says_why()
    {
        await using var server = LocalHttpServer.Answering(500);

        var result = await ProbeAt(Probe("broken", server), 0);

        Assert.Equal((false, 500, "status 500, expected 200"), (result.Success, result.Status, result.Error));
        var stored = await StoredAsync("broken");
        Assert.Equal((0.0, 0.0), (stored["probe_up"], stored["probe_success_ratio"]));
    }

    [Fact]
    public async Task A_target_that_fails_after_three_answers_has_a_ratio_of_three_quarters()
    {
        await using var server = new LocalHttpServer(i => i < 3 ? 200 : 503);
        var flaky = Probe("flaky", server);

        for (var i = 0; i < 4; i++) await ProbeAt(flaky, i);

        // 3 successes of 4 probes = 0.75; the last one (503) makes it down.
        var stored = await StoredAsync("flaky");
        Assert.Equal((0.0, 0.75), (stored["probe_up"], stored["probe_success_ratio"]));
        Assert.Equal(T0.AddMinutes(3), _prober.Stats("flaky")!.Last.Time);
    }

    [Fact]
    public async Task A_hanging_target_times_out_with_its_timeout_as_latency()
    {
        await using var server = LocalHttpServer.Hanging();

        var result = await ProbeAt(Probe("hang", server, TimeSpan.FromMilliseconds(200)), 0);

        Assert.Equal((false, (int?)null, 200.0, "timed out after 00:00:00.2000000"), (result.Success, result.Status, result.LatencyMs, result.Error));
        Assert.Equal(200, (await StoredAsync("hang"))["probe_latency_p99"]);
    }

    [Fact]
    public async Task A_hanging_target_does_not_hold_up_the_probes_of_other_integrations()
    {
        await using var hanging = LocalHttpServer.Hanging();
        await using var answering = LocalHttpServer.Answering(200);
        using var stop = new CancellationTokenSource();
        var hang = _prober.ProbeAsync(Probe("hang", hanging, TimeSpan.FromMinutes(5)), stop.Token);

        for (var i = 0; i < 3; i++) Assert.True((await _prober.ProbeAsync(Probe("ok", answering), CancellationToken.None)).Success);

        Assert.False(hang.IsCompleted);
        Assert.Equal(3, _prober.Stats("ok")!.Probes);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hang);
    }

    [Fact]
    public async Task A_status_class_accepts_any_code_of_the_class()
    {
        await using var server = LocalHttpServer.Answering(204);

        Assert.True((await ProbeAt(Probe("any2xx", server, expected: "2xx"), 0)).Success);
        Assert.False((await ProbeAt(Probe("exactly200", server), 0)).Success);
    }

    [Fact]
    public async Task Probe_samples_reach_the_gauges_with_source_probes_and_the_integration_label()
    {
        await using var up = LocalHttpServer.Answering(200);
        await using var down = LocalHttpServer.Answering(500);

        await ProbeAt(Probe("up", up), 0);
        await ProbeAt(Probe("down", down), 0);

        // Each integration publishes under its own key: the second probe does not remove the first one's series.
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("crmpulse_integration_probe_up{source=\"probes\",integration=\"up\"} 1\n", text);
        Assert.Contains("crmpulse_integration_probe_up{source=\"probes\",integration=\"down\"} 0\n", text);
    }
}
