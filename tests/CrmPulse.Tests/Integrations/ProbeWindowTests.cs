using CrmPulse.Integrations;

namespace CrmPulse.Tests.Integrations;

public sealed class ProbeWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static ProbeResult Ok(double minutes, double latency) => new(T0.AddMinutes(minutes), true, 200, latency, null);

    private static ProbeResult Failed(double minutes, double latency) => new(T0.AddMinutes(minutes), false, 500, latency, "status 500, expected 200");

    [Fact]
    public void Success_ratio_and_nearest_rank_percentiles_cover_every_probe_in_the_window()
    {
        var window = new ProbeWindow(TimeSpan.FromHours(1));
        window.Add(Failed(0, 300));
        window.Add(Ok(10, 100));
        window.Add(Ok(20, 200));

        var stats = window.Add(Ok(30, 50));

        // 3 successes of 4 = 0.75. Latencies sorted 50, 100, 200, 300: p50 rank ⌈2⌉ = 2 → 100; p95 rank ⌈3.8⌉ = 4 → 300;
        // p99 rank ⌈3.96⌉ = 4 → 300.
        Assert.Equal(new ProbeStats(Ok(30, 50), 4, 0.75, 100, 300, 300), stats);
    }

    [Fact]
    public void Probes_older_than_the_window_drop_out_and_the_start_of_the_window_is_excluded()
    {
        var window = new ProbeWindow(TimeSpan.FromHours(1));
        window.Add(Failed(0, 300));
        window.Add(Ok(10, 100));
        window.Add(Ok(20, 200));
        window.Add(Ok(30, 50));

        // At 61 min the window is (1 min, 61 min]: the failure at 0 is gone; 4 of 4 succeed. Sorted 50, 80, 100, 200: p50 → 80.
        Assert.Equal(new ProbeStats(Ok(61, 80), 4, 1, 80, 200, 200), window.Add(Ok(61, 80)));
        // At 70 min the window is (10 min, 70 min]: the probe at exactly 10 min is out. Sorted 50, 80, 200, 400: p50 → 80.
        Assert.Equal(new ProbeStats(Failed(70, 400), 4, 0.75, 80, 400, 400), window.Add(Failed(70, 400)));
    }

    [Fact]
    public void An_empty_window_has_no_stats()
    {
        Assert.Null(new ProbeWindow(TimeSpan.FromHours(1)).Stats());
    }
}
