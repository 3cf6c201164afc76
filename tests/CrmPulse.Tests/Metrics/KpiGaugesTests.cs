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
    public async Task Before_any_pass_no_kpi_value_is_shown()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        _ = new KpiGauges(registry);

        var text = await ScrapeAsync(registry);

        Assert.DoesNotContain("crmpulse_adoption_licensed_users{", text);
    }
}
