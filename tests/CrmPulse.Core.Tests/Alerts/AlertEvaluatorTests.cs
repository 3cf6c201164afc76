using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using static CrmPulse.Core.Tests.Alerts.AlertSeries;

namespace CrmPulse.Core.Tests.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly QuietDays Weekends = QuietDays.WeekendsOnly;

    [Fact]
    public void Threshold_rules_compare_the_latest_sample_of_each_series()
    {
        var samples = new List<KpiSample>
        {
            Sample("probe_up", 1, Monday, "a"), Sample("probe_up", 0, Monday.AddMinutes(5), "a"),
            Sample("probe_up", 1, Monday.AddMinutes(5), "b"),
        };
        var below = new AlertRule { Name = "down", Kind = AlertKind.Below, Kpi = "probe_up", Threshold = 1, Dimensions = new() { ["team"] = "*" } };
        var obs = AlertEvaluator.Evaluate(below, samples, Monday.AddMinutes(6), Weekends);
        Assert.Equal([("team=a", true, 0.0), ("team=b", false, 1.0)], obs.Select(o => (o.Dimensions.Key, o.Active!.Value, o.Value!.Value)));

        var above = new AlertRule { Name = "up", Kind = AlertKind.Above, Kpi = "probe_up", Threshold = 0.5, Dimensions = new() { ["team"] = "a" } };
        // Only team a matches; its latest value 0 is not above 0.5. At 09:01 the 09:05 sample is not there yet: 1 > 0.5.
        Assert.Equal([false], AlertEvaluator.Evaluate(above, samples, Monday.AddMinutes(6), Weekends).Select(o => o.Active));
        Assert.Equal([true], AlertEvaluator.Evaluate(above, samples, Monday.AddMinutes(1), Weekends).Select(o => o.Active));
    }

    [Fact]
    public void A_rule_without_dimensions_reads_only_the_roll_up_series()
    {
        var samples = new List<KpiSample> { Sample("probe_up", 0, Monday), Sample("probe_up", 0, Monday, "a") };
        var rule = new AlertRule { Name = "down", Kind = AlertKind.Below, Kpi = "probe_up", Threshold = 1 };
        Assert.Equal([""], AlertEvaluator.Evaluate(rule, samples, Monday, Weekends).Select(o => o.Dimensions.Key));
    }

    [Fact]
    public void Drop_compares_the_current_value_with_the_median_of_the_previous_periods_per_team()
    {
        // Wednesday to Friday, then Monday 11-09 (the weekend has no samples). Team a: 0.8, 0.6, 0.9, then 0.5.
        // Baseline of Monday: k=1 Sunday, k=2 Saturday: no sample; k=3,4,5 = Fri 0.9, Thu 0.6, Wed 0.8 → median 0.8.
        // (0.8 − 0.5) ÷ 0.8 = 0.375 ≥ 0.25: fires. Team b: 0.5, 0.5, 0.5, then 0.45: 0.1 < 0.25.
        var wed = Monday.AddDays(2);
        var samples = Daily("weekly_active_ratio", wed, "a", 0.8, 0.6, 0.9)
            .Concat(Daily("weekly_active_ratio", wed, "b", 0.5, 0.5, 0.5))
            .Append(Sample("weekly_active_ratio", 0.5, Monday.AddDays(7), "a"))
            .Append(Sample("weekly_active_ratio", 0.45, Monday.AddDays(7), "b")).ToList();
        var obs = AlertEvaluator.Evaluate(Drop(), samples, Monday.AddDays(7).AddHours(1), Weekends);
        Assert.Equal(2, obs.Count);
        Assert.Equal(("team=a", true, 0.5, 0.8), (obs[0].Dimensions.Key, obs[0].Active!.Value, obs[0].Value!.Value, obs[0].Baseline!.Value));
        Assert.Equal(("team=b", false, 0.45, 0.5), (obs[1].Dimensions.Key, obs[1].Active!.Value, obs[1].Value!.Value, obs[1].Baseline!.Value));
    }

    [Fact]
    public void Weekend_samples_are_skipped_in_the_current_value_and_in_the_baseline()
    {
        // Every day from Monday 11-02 to Sunday 11-15 at 09:00; weekdays 1.0, weekend days 0.1.
        var values = Enumerable.Range(0, 14).Select(d => Monday.AddDays(d).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.1 : 1.0).ToArray();
        var samples = Daily("weekly_active_ratio", Monday, "a", values);
        // On Sunday 11-15 at 10:00 the current value is Friday 11-13's 1.0 (Sat and Sun skipped); the baseline is
        // Thu, Wed, Tue = 1.0 each: no drop. Without skipping, Sunday's 0.1 against median(0.1, 1, 1) = 1 is a 90 % drop.
        var sunday = Monday.AddDays(13).AddHours(1);
        var obs = Assert.Single(AlertEvaluator.Evaluate(Drop(), samples, sunday, Weekends));
        Assert.Equal((false, 1.0, 1.0, Monday.AddDays(11)), (obs.Active!.Value, obs.Value!.Value, obs.Baseline!.Value, obs.At!.Value));
        // Monday 11-16: its 0.7 compares with Fri, Thu, Wed, never the weekend.
        samples.Add(Sample("weekly_active_ratio", 0.7, Monday.AddDays(14), "a"));
        obs = Assert.Single(AlertEvaluator.Evaluate(Drop(), samples, Monday.AddDays(14).AddHours(1), Weekends));
        // (1.0 − 0.7) ÷ 1.0 = 0.3 ≥ 0.25.
        Assert.Equal((true, 1.0), (obs.Active!.Value, obs.Baseline!.Value));

        var noSkip = Drop();
        noSkip.SkipQuietDays = false;
        obs = Assert.Single(AlertEvaluator.Evaluate(noSkip, samples.Take(14).ToList(), sunday, Weekends));
        // Sunday 0.1 versus Sat 0.1, Fri 1, Thu 1 → median 1 → drop 0.9.
        Assert.Equal((true, 0.1, 1.0), (obs.Active!.Value, obs.Value!.Value, obs.Baseline!.Value));
    }

    [Fact]
    public void Holidays_are_quiet_like_weekends()
    {
        // Mon 1.0, Tue 1.0, Wed (holiday) 0.2, Thu 1.0, Fri 0.7; one baseline period. Friday: 0.7 versus Thursday's 1.0,
        // a drop of 0.3: fires. Wednesday: its own 0.2 is skipped, so the current value is Tuesday's 1.0 versus
        // Monday's 1.0: no drop (without the holiday it would be a drop of 0.8).
        var samples = Daily("weekly_active_ratio", Monday, "a", 1.0, 1.0, 0.2, 1.0, 0.7);
        var quiet = new QuietDays([DateOnly.FromDateTime(Monday.AddDays(2).UtcDateTime)]);
        var rule = Drop(periods: 1);
        var friday = Assert.Single(AlertEvaluator.Evaluate(rule, samples, Monday.AddDays(4).AddHours(1), quiet));
        Assert.Equal((true, 0.7, 1.0), (friday.Active!.Value, friday.Value!.Value, friday.Baseline!.Value));
        var wednesday = Assert.Single(AlertEvaluator.Evaluate(rule, samples, Monday.AddDays(2).AddHours(1), quiet));
        Assert.Equal((false, 1.0, Monday.AddDays(1)), (wednesday.Active!.Value, wednesday.Value!.Value, wednesday.At!.Value));
    }

    [Fact]
    public void Too_few_baseline_points_or_a_zero_baseline_cannot_tell()
    {
        var samples = Daily("weekly_active_ratio", Monday, "a", 1.0, 0.1);
        Assert.Null(Assert.Single(AlertEvaluator.Evaluate(Drop(periods: 3), samples, Monday.AddDays(2), Weekends)).Active);
        var rule = Drop(periods: 3);
        rule.MinPeriods = 1;
        // One point (Monday 1.0): median 1.0, drop 0.9.
        Assert.True(Assert.Single(AlertEvaluator.Evaluate(rule, samples, Monday.AddDays(2), Weekends)).Active);
        var zeros = Daily("weekly_active_ratio", Monday, "a", 0, 0, 0, 0.5);
        Assert.Null(Assert.Single(AlertEvaluator.Evaluate(Drop(), zeros, Monday.AddDays(4), Weekends)).Active);
    }

    [Fact]
    public void Rise_fires_on_a_relative_rise_over_the_baseline()
    {
        // Baseline 10, 12, 11 → median 11; 16 is (16 − 11) ÷ 11 = 0.4545 above; threshold 0.5 does not fire, 0.4 does.
        var samples = Daily("duplicate_contacts", Monday, null, 10, 12, 11, 16);
        var rule = new AlertRule { Name = "dupes", Kind = AlertKind.Rise, Kpi = "duplicate_contacts", Threshold = 0.5, Periods = 3 };
        Assert.False(Assert.Single(AlertEvaluator.Evaluate(rule, samples, Monday.AddDays(3), Weekends)).Active);
        rule.Threshold = 0.4;
        var obs = Assert.Single(AlertEvaluator.Evaluate(rule, samples, Monday.AddDays(3), Weekends));
        Assert.Equal((true, 11.0), (obs.Active!.Value, obs.Baseline!.Value));
    }

    [Fact]
    public void Weekly_periods_compare_the_same_weekday_and_time()
    {
        // Daily samples for five weeks; Mondays 0.8, 0.8, 0.8, 0.8 then 0.4, other days 0.1 (ignored by a 7-day period).
        var values = Enumerable.Range(0, 29).Select(d => d % 7 == 0 ? (d == 28 ? 0.4 : 0.8) : 0.1).ToArray();
        var rule = Drop(periods: 4, period: TimeSpan.FromDays(7));
        var obs = Assert.Single(AlertEvaluator.Evaluate(rule, Daily("weekly_active_ratio", Monday, "a", values), Monday.AddDays(28), Weekends));
        Assert.Equal((true, 0.4, 0.8), (obs.Active!.Value, obs.Value!.Value, obs.Baseline!.Value));
    }

    [Fact]
    public void Absent_fires_for_stale_series_and_for_expected_sources_without_any()
    {
        var rule = new AlertRule { Name = "stale", Kind = AlertKind.Absent, Kpi = AlertRule.SyncKpi, StaleAfter = TimeSpan.FromHours(1) };
        var samples = new List<KpiSample> { Sample(AlertRule.SyncKpi, 1, Monday, source: "a"), Sample(AlertRule.SyncKpi, 1, Monday.AddMinutes(30), source: "b") };
        // At 10:10: a is 70 min old (stale), b 40 min (fresh), c has none.
        var obs = AlertEvaluator.Evaluate(rule, samples, Monday.AddMinutes(70), Weekends, ["a", "b", "c"]);
        Assert.Equal([("a", true), ("b", false), ("c", true)], obs.Select(o => (o.Source, o.Active!.Value)));
        // Exactly one hour old is not yet stale.
        Assert.False(AlertEvaluator.Evaluate(rule, samples, Monday.AddMinutes(60), Weekends)[0].Active);
    }
}
