using CrmPulse.Integrations;
using CrmPulse.Options;

namespace CrmPulse.Tests.Integrations;

public sealed class IntegrationPlanTests
{
    [Fact]
    public void Check_config_describes_each_integration_and_target_in_one_line()
    {
        var both = new IntegrationOptions { Name = "shop", ProbeUrl = "http://127.0.0.1:9/h", SourceField = "source", SourceValue = "Shopify", ExpectedEvery = TimeSpan.FromHours(1) };
        var target = new TargetOptions { Kpi = "weekly_active_ratio", Dimensions = new() { ["team"] = "Sales" }, Value = 0.85, By = new DateOnly(2026, 6, 30), Source = "demo" };

        Assert.Equal("Integration shop: probe GET http://127.0.0.1:9/h every 00:01:00 (timeout 00:00:10, expect 200); "
            + "records where source = 'Shopify', expected every 01:00:00", IntegrationPlan.Describe(both));
        Assert.Equal("Target weekly_active_ratio{team=Sales} >= 0.85 by 2026-06-30 on demo", IntegrationPlan.Describe(target));
    }
}
