using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Sources.Demo;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The embedded default (no configuration: one Demo source) through the real host: one pass gives the KPIs the demo
/// knows it planted, for every KPI that does not move with the clock, and the dipping team stands out.
/// </summary>
public sealed class DemoHostTests
{
    [Fact]
    public async Task The_embedded_default_serves_the_demos_planted_numbers()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>());
        var demo = (DemoSource)host.Services.GetRequiredService<SourceRegistry>().Source("demo");
        var facts = demo.Facts;
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo");

        Assert.Contains("demo: sync ok, KPIs ok", host.OnceOutput);
        Assert.Equal(facts.Adoption.Licensed, LatestValues.Value(latest, "licensed_users", ""));
        Assert.Equal(152, LatestValues.Value(latest, "licensed_users", ""));
        foreach (var (team, teamFacts) in facts.AdoptionByTeam)
            Assert.Equal(teamFacts.Licensed, LatestValues.Value(latest, "licensed_users", $"team={team}"));
        Assert.Equal(facts.ExcludedUsers, LatestValues.Value(latest, "excluded_users", ""));
        foreach (var (obj, count) in facts.Records) Assert.Equal(count, LatestValues.Value(latest, "records", $"object={obj}"));
        foreach (var (obj, fields) in facts.FieldFillRates)
        foreach (var (field, rate) in fields)
            Assert.Equal(rate, LatestValues.Value(latest, "field_fill_rate", $"field={field},object={obj}"), 12);
        foreach (var (obj, score) in facts.CompletenessScores) Assert.Equal(score, LatestValues.Value(latest, "completeness_score", $"object={obj}"), 12);
        foreach (var (obj, ratio) in facts.CompleteRecordsRatios) Assert.Equal(ratio, LatestValues.Value(latest, "complete_records_ratio", $"object={obj}"), 12);

        // The adoption dip: the planted team has the lowest weekly active ratio, under half of every other team's.
        var byTeam = facts.AdoptionByTeam.Keys.ToDictionary(t => t, t => LatestValues.Value(latest, "weekly_active_ratio", $"team={t}"));
        var others = byTeam.Where(p => p.Key != facts.DipTeam).Select(p => p.Value).ToList();
        Assert.True(byTeam[facts.DipTeam] < others.Min() / 2,
            $"{facts.DipTeam}: {byTeam[facts.DipTeam]}; others: {string.Join(", ", others)}");
    }

    /// <summary>
    /// The host's pass runs at now, after the anchor (the UTC midnight of the first sync), so today's new deals,
    /// contacts and activities move the clock-bound KPIs. The pipeline and outcome KPIs leave out records created
    /// after as-of, so the engine over the host's own mirror, as of the anchor and with the host's options, must give
    /// every planted fact exactly.
    /// </summary>
    [Fact]
    public async Task The_hosts_mirror_recovers_every_pipeline_and_outcome_fact_at_the_anchor()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>());
        var registry = host.Services.GetRequiredService<SourceRegistry>();
        var facts = ((DemoSource)registry.Source("demo")).Facts;
        var options = registry.Config("demo").KpiOptions;
        var snapshot = await host.Services.GetRequiredService<IMirror>().LoadSnapshotAsync("demo", CancellationToken.None);
        var r = KpiEngine.Compute(snapshot, facts.Anchor, options);
        double V(string kpi, params (string, string?)[] dims) =>
            r.Samples.Single(s => s.Kpi == kpi && s.Dimensions.Equals(Dimensions.Of(dims))).Value;
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo");

        Assert.Equal(DemoSource.SnoozeField, options.Pipeline.SnoozeField);
        Assert.Equal(facts.OverdueOpenTasks, V("overdue_tasks"));
        Assert.Equal(facts.TasksWithoutDueDate, V("tasks_without_due_date"));
        Assert.Equal(facts.TasksWithoutOwner, V("tasks_without_owner"));
        Assert.Equal(facts.OpenDealsPastCloseDate, V("deals_past_close_date"));
        Assert.Equal(facts.StalledDeals, V("stalled_deals"));
        Assert.Equal(facts.SnoozedDealIds.Count, V("snoozed_deals"));
        Assert.Equal(facts.SnoozedDealIds.Count, LatestValues.Value(latest, "snoozed_deals", "")); // no snooze ends today
        Assert.Equal(facts.LostWithoutReason90d, V("lost_without_reason"));
        Assert.Equal(facts.OpenDeals, V("open_deals"));
        Assert.Equal((double)facts.OpenPipelineValue, V("open_pipeline_value"), 6);
        foreach (var (pipeline, stages) in facts.StageAgeMedianDays)
        foreach (var (stage, median) in stages)
            Assert.Equal(median, V("stage_age_median", ("pipeline", pipeline), ("stage", stage)), 9);
        Assert.Equal(facts.DealsAgingInStage, V("deals_aging_in_stage"));
        // Every counted record is an issue: the drill-down agrees with the count.
        Assert.Equal(facts.StalledDeals, r.Issues.Count(i => i.Kpi == "stalled_deals"));

        var o = facts.Outcomes;
        Assert.Equal(o.WinRate90d, V("win_rate"), 12);
        Assert.Equal(o.SalesCycleMedianDays, V("sales_cycle_median"), 9);
        Assert.Equal((double)o.NewRevenue30d, V("new_revenue_30d"), 6);
        foreach (var (month, revenue) in o.NewRevenueByMonth) Assert.Equal((double)revenue, V("new_revenue_month", ("month", month)), 6);
        Assert.Equal((double)o.AverageDealSize, V("average_deal_size"), 6);
        Assert.Equal(o.LeadResponseMedianMinutes, V("lead_response_time_median"), 9);
        Assert.Equal(o.LeadResponseWithin5mRatio, V("lead_response_within_5m_ratio"), 12);
        Assert.Equal(o.LeadResponseWithin1hRatio, V("lead_response_within_1h_ratio"), 12);
        Assert.Equal(o.UnansweredLeads, V("unanswered_leads"));
        Assert.Equal(o.LeadConversionRate, V("lead_conversion_rate"), 12);
        // Nothing maps churn, NPS, CSAT or ROI in the embedded default.
        Assert.DoesNotContain(r.Samples, s => s.Kpi is "churn_rate" or "nps" or "csat" or "crm_roi");
    }
}
