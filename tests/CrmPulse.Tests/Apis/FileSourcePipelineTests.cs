using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// The pipeline and outcome KPIs of the hand-made File-source org (Fixtures/org1, section "Pipeline and outcomes" of
/// its README) through the real host and API, with the snooze field, NPS, CSAT and ROI settings configured.
/// </summary>
public sealed class FileSourcePipelineTests(FileSourcePipelineTests.HostFixture host) : IClassFixture<FileSourcePipelineTests.HostFixture>
{
    public sealed class HostFixture : IAsyncLifetime
    {
        public FixtureFolder Folder { get; } = new("org1", TestTimes.Afternoon);
        public InProcessHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var settings = FileSourceApiTests.Org1Settings(Folder.Path);
            settings["CrmPulse:Sources:0:Pipeline:SnoozeField"] = "paused_until";
            settings["CrmPulse:Sources:0:Outcomes:NpsField"] = "nps";
            settings["CrmPulse:Sources:0:Outcomes:CsatField"] = "csat";
            settings["CrmPulse:Sources:0:Outcomes:RoiCost"] = "20000";
            settings["CrmPulse:Sources:0:Outcomes:RoiGain"] = "50000";
            Host = await InProcessHost.StartAsync(settings, TestTimes.Clock(TestTimes.Afternoon));
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            Folder.Dispose();
        }
    }

    /// <summary>Expected values per (kpi, dimensions key): Fixtures/org1/README.md, "Pipeline and outcomes".</summary>
    public static readonly TheoryData<string, string, double> Expected = new()
    {
        { "overdue_tasks", "", 1 }, { "overdue_tasks", "team=Support", 1 }, { "overdue_tasks", "team=Sales", 0 },
        { "tasks_without_due_date", "", 0 }, { "tasks_without_owner", "", 0 },
        { "open_deals", "", 1 }, { "open_deals", "team=Sales", 1 }, { "open_deals", "team=Support", 0 },
        { "open_pipeline_value", "", 0 }, { "deals_past_close_date", "", 0 },
        { "snoozed_deals", "", 1 }, { "snoozed_deals", "team=Sales", 1 }, { "stalled_deals", "", 0 },
        { "lost_without_reason", "", 0 }, { "deals_aging_in_stage", "", 0 },
        { "win_rate", "", 1 }, { "sales_cycle_median", "", 28 }, { "new_revenue_30d", "", 1000 }, { "average_deal_size", "", 1000 },
        { "lead_response_time_median", "", 5 }, { "lead_response_within_5m_ratio", "", 0.5 }, { "lead_response_within_1h_ratio", "", 0.5 },
        { "unanswered_leads", "", 1 }, { "unanswered_leads", "team=Support", 1 }, { "unanswered_leads", "team=Sales", 0 },
        { "lead_conversion_rate", "", 1.0 / 3 },
        { "nps", "", 100.0 / 3 }, { "csat", "", 2.0 / 3 }, { "crm_roi", "", 1.5 },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Latest_values_are_the_hand_computed_ones(string kpi, string dimensions, double expected)
    {
        var latest = await host.Host.GetJsonAsync($"/api/kpis/latest?kpi={kpi}&source=files");

        Assert.Equal(expected, LatestValues.Value(latest, kpi, dimensions), 12);
    }

    [Fact]
    public async Task Stage_age_is_one_day_and_roi_says_it_is_an_estimate()
    {
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?source=files");

        Assert.Equal(1, LatestValues.Value(latest, "stage_age_median", "pipeline=sales,stage=qualifiedtobuy"), 0.001);
        var roi = latest.EnumerateArray().Single(e => e.GetProperty("kpi").GetString() == "crm_roi");
        Assert.Equal("estimate", roi.GetProperty("basis").GetString());
        Assert.DoesNotContain(latest.EnumerateArray(), e => e.GetProperty("kpi").GetString() == "churn_rate");
    }

    [Fact]
    public async Task Revenue_of_the_win_goes_to_the_utc_month_it_fell_in()
    {
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?kpi=new_revenue_month&source=files");
        var now = host.Folder.Now.UtcDateTime;
        var won = now.AddDays(-2);
        var thisMonth = now.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var lastMonth = now.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        // d1 was won at now-2d: in this month unless now is within the month's first two days.
        var inThisMonth = won.Month == now.Month;
        Assert.Equal(inThisMonth ? 1000 : 0, LatestValues.Value(latest, "new_revenue_month", $"month={thisMonth}"));
        Assert.Equal(inThisMonth ? 0 : 1000, LatestValues.Value(latest, "new_revenue_month", $"month={lastMonth}"));
    }
}
