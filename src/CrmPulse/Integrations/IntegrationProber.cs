using System.Collections.Concurrent;
using System.Diagnostics;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Metrics;

namespace CrmPulse.Integrations;

/// <summary>
/// Probes integrations over HTTP and keeps each one's rolling window. After every probe it writes the probe_* samples
/// (source "probes", integration = the name) to the ledger and the gauges. A probe never takes longer than its
/// Timeout: the request is cancelled then, whether the target refuses, answers slowly or never answers.
/// </summary>
public sealed class IntegrationProber : IDisposable
{
    private readonly HttpClient _http;
    private readonly IKpiStore _kpis;
    private readonly KpiGauges _gauges;
    private readonly TimeProvider _time;
    private readonly ILogger<IntegrationProber> _log;
    private readonly ConcurrentDictionary<string, ProbeWindow> _windows = new(StringComparer.Ordinal);

    public IntegrationProber(IKpiStore kpis, KpiGauges gauges, TimeProvider time, ILogger<IntegrationProber> log)
    {
        _kpis = kpis;
        _gauges = gauges;
        _time = time;
        _log = log;
        // Each probe has its own timeout (a CancellationToken), so the client's shared one is off. New connections
        // every few minutes, so a DNS change of the target is followed.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The window statistics of an integration, or null before its first probe in this process.</summary>
    public ProbeStats? Stats(string integration) => _windows.TryGetValue(integration, out var w) ? w.Stats() : null;

    /// <summary>Probes once, records the result in the window, ledger and gauges, and returns it. Throws only on cancellation
    /// of <paramref name="cancellationToken"/> (or when the ledger cannot be written).</summary>
    public async Task<ProbeResult> ProbeAsync(IntegrationOptions integration, CancellationToken cancellationToken)
    {
        var name = integration.Name!;
        var result = await SendAsync(integration, cancellationToken);
        var window = _windows.GetOrAdd(name, _ => new ProbeWindow(integration.Window));
        var wasUp = window.Stats()?.Last.Success;
        var stats = window.Add(result);
        // Logged when the state changes, not on every probe of a target that stays down.
        if (!result.Success && wasUp != false) _log.LogWarning("Integration {Integration} is down: {Error}", name, result.Error);
        else if (result.Success && wasUp == false) _log.LogInformation("Integration {Integration} is up again", name);

        var output = new KpiOutput(IntegrationKpis.ProbeSource, result.Time);
        var dims = Dimensions.Of(("integration", name));
        output.Add("probe_up", result.Success ? 1 : 0, dims);
        output.Add("probe_success_ratio", stats.SuccessRatio, dims);
        output.Add("probe_latency_p50", stats.LatencyP50Ms, dims);
        output.Add("probe_latency_p95", stats.LatencyP95Ms, dims);
        output.Add("probe_latency_p99", stats.LatencyP99Ms, dims);
        // Each integration is a producer of its own: its latest probe replaces its previous one in the latest values
        // and the gauges, never the series of another integration or of the CRM sources' KPI passes.
        await _kpis.CommitProducedAsync(Producers.Probe(name), output.Samples, cancellationToken);
        _gauges.Publish(Producers.Probe(name), output.Samples);
        return result;
    }

    private async Task<ProbeResult> SendAsync(IntegrationOptions integration, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(integration.Timeout);
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(integration.Method), integration.ProbeUrl);
            // Headers are enough to judge the status; the body is not read, so a slow body cannot hold the probe.
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var ok = integration.IsExpected(status);
            return new ProbeResult(at, ok, status, Elapsed(started), ok ? null : $"status {status}, expected {integration.ExpectedStatus}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(at, false, null, integration.Timeout.TotalMilliseconds, $"timed out after {integration.Timeout}");
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(at, false, null, Elapsed(started), e.Message);
        }
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    public void Dispose() => _http.Dispose();
}
