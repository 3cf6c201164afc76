using System.Text;
using CrmPulse.Core.Kpis;
using CrmPulse.Metrics;
using Prometheus;

namespace CrmPulse.Tests.Metrics;

public sealed class KpiGaugesTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<string> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static KpiSample Sample(string source, string? team, double value) =>
        new("licensed_users", source, Dimensions.Of(("team", team)), value, T);

    [Fact]
    public async Task A_series_the_newest_pass_no_longer_produces_is_removed_and_other_sources_are_untouched()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var gauges = new KpiGauges(registry);
        gauges.Publish("a", [Sample("a", null, 3), Sample("a", "Sales", 2), Sample("a", "Ops", 1)]);
        gauges.Publish("b", [Sample("b", "Sales", 7)]);

        gauges.Publish("a", [Sample("a", null, 2), Sample("a", "Sales", 2)]); // team Ops is gone

        var text = await ScrapeAsync(registry);
        Assert.Contains("crmpulse_adoption_licensed_users{source=\"a\",team=\"\"} 2\n", text);
        Assert.Contains("crmpulse_adoption_licensed_users{source=\"a\",team=\"Sales\"} 2\n", text);
        Assert.DoesNotContain("team=\"Ops\"", text);
        Assert.Contains("crmpulse_adoption_licensed_users{source=\"b\",team=\"Sales\"} 7\n", text);
    }

    [Fact]
    public async Task Durations_are_shown_in_seconds_and_scores_as_ratios()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var gauges = new KpiGauges(registry);

        gauges.Publish("p", [
            new("integration_freshness", "p", Dimensions.Of(("integration", "billing")), 2.5, T), // minutes
            new("probe_latency_p95", "p", Dimensions.Of(("integration", "billing")), 250, T),      // milliseconds
            new("data_quality_score", "p", Dimensions.Of(), 87, T),                                // points of 100
        ]);

        var text = await ScrapeAsync(registry);
        Assert.Contains("crmpulse_integration_freshness_seconds{source=\"p\",integration=\"billing\"} 150\n", text);
        Assert.Contains("crmpulse_integration_probe_latency_p95_seconds{source=\"p\",integration=\"billing\"} 0.25\n", text);
        Assert.Contains("crmpulse_data_quality_score_ratio{source=\"p\"} 0.87\n", text);
        Assert.Contains("# HELP crmpulse_integration_freshness_seconds ", text);
        Assert.DoesNotContain("crmpulse_integration_integration_freshness", text);
    }

    [Fact]
    public async Task Before_any_pass_no_kpi_value_is_shown()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        _ = new KpiGauges(registry);

        var text = await ScrapeAsync(registry);

        Assert.DoesNotContain("crmpulse_adoption_licensed_users{", text);
    }
}
