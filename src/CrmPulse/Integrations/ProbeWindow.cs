using CrmPulse.Core.Kpis;

namespace CrmPulse.Integrations;

/// <summary>
/// The probes of one integration in a rolling window (asOf − window, asOf], in memory: enough for the success ratio and
/// percentiles of the last hour, and lost on restart (the ledger keeps the samples). Thread-safe.
/// </summary>
public sealed class ProbeWindow(TimeSpan window)
{
    private readonly List<ProbeResult> _results = [];
    private readonly Lock _lock = new();

    /// <summary>Adds a probe and drops those that left the window ending at its time.</summary>
    public ProbeStats Add(ProbeResult result)
    {
        lock (_lock)
        {
            _results.Add(result);
            var newest = _results.Max(r => r.Time);
            _results.RemoveAll(r => r.Time <= newest - window);
            return StatsLocked()!;
        }
    }

    /// <summary>The window's statistics, or null before the first probe.</summary>
    public ProbeStats? Stats()
    {
        lock (_lock) return StatsLocked();
    }

    private ProbeStats? StatsLocked()
    {
        if (_results.Count == 0) return null;
        var last = _results.MaxBy(r => r.Time)!;
        var latencies = _results.Select(r => r.LatencyMs).ToList();
        return new ProbeStats(last, _results.Count, (double)_results.Count(r => r.Success) / _results.Count,
            Percentiles.Of(latencies, 50)!.Value, Percentiles.Of(latencies, 95)!.Value, Percentiles.Of(latencies, 99)!.Value);
    }
}
