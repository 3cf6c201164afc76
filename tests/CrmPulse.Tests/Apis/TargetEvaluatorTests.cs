using CrmPulse.Apis;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Tests.Apis;

public sealed class TargetEvaluatorTests
{
    // Now is Tuesday 2026-03-10 12:00 UTC. A target "by 2026-03-17" ends at 2026-03-18 00:00 UTC: now + 7.5 days.
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly By = new(2026, 3, 17);

    private static (DateTimeOffset, double) At(double daysAgo, double value) => (Now.AddDays(-daysAgo), value);

    // Rising by 1/64 a day: 0.5, 0.625, 0.75 at −16, −8 and 0 days. Mean x −8, mean y 0.625, slope 0.125 ÷ 8 = 1/64;
    // at +7.5 days the line gives 0.625 + (7.5 + 8) ÷ 64 = 0.625 + 0.2421875 = 0.8671875.
    private static readonly (DateTimeOffset, double)[] Rising = [At(16, 0.5), At(8, 0.625), At(0, 0.75)];

    [Theory]
    [InlineData(0.8125, "on_track")]  // 0.8671875 ≥ 0.8125
    [InlineData(0.875, "off_track")]  // 0.8671875 < 0.875
    public void Not_yet_met_is_on_track_when_the_trend_reaches_the_target_by_the_date(double target, string status)
    {
        var result = TargetEvaluator.Evaluate(KpiDirection.HigherIsBetter, target, By, 0.75, Rising, Now);

        Assert.Equal(new TargetStatus(target, By, 0.75 - target, status, 0.8671875), result);
    }

    [Theory]
    [InlineData(0.625, 0.125)]  // above the target: met, gap 0.75 − 0.625
    [InlineData(0.75, 0.0)]     // exactly at the target is met
    public void At_or_past_the_target_is_met_whatever_the_trend(double target, double gap)
    {
        var falling = new[] { At(16, 0.875), At(8, 0.8125), At(0, 0.75) };

        var result = TargetEvaluator.Evaluate(KpiDirection.HigherIsBetter, target, By, 0.75, falling, Now);

        Assert.Equal(("met", gap), (result.Status, result.Gap));
    }

    [Theory]
    [InlineData(12, "on_track", -8)]   // line at +7.5 d: 30 − 1.25 × 15.5 = 10.625 ≤ 12; gap 12 − 20 = −8
    [InlineData(10, "off_track", -10)] // 10.625 > 10
    public void Lower_is_better_reaches_the_target_from_above(double target, string status, double gap)
    {
        // Minutes falling by 1.25 a day: 40, 30, 20 at −16, −8, 0 days; mean x −8, mean y 30.
        var minutes = new[] { At(16, 40), At(8, 30), At(0, 20) };

        var result = TargetEvaluator.Evaluate(KpiDirection.LowerIsBetter, target, By, 20, minutes, Now);

        Assert.Equal(new TargetStatus(target, By, gap, status, 10.625), result);
    }

    [Fact]
    public void After_the_date_a_target_not_met_is_off_track_even_when_rising()
    {
        var result = TargetEvaluator.Evaluate(KpiDirection.HigherIsBetter, 0.8125, new DateOnly(2026, 3, 9), 0.75, Rising, Now);

        Assert.Equal("off_track", result.Status);
    }

    [Fact]
    public void The_date_is_inclusive_the_target_is_still_open_on_its_last_day()
    {
        var result = TargetEvaluator.Evaluate(KpiDirection.HigherIsBetter, 0.75, new DateOnly(2026, 3, 10), 0.625,
            [At(2, 0.375), At(0, 0.625)], Now);

        // Slope 0.125 a day, mean x −1, mean y 0.5; the deadline 2026-03-11 00:00 is +0.5 d: 0.5 + 0.125 × 1.5 = 0.6875 < 0.75.
        Assert.Equal(("off_track", 0.6875), (result.Status, result.Projected));
        Assert.Equal("on_track", TargetEvaluator.Evaluate(KpiDirection.HigherIsBetter, 0.6875, new DateOnly(2026, 3, 10), 0.625,
            [At(2, 0.375), At(0, 0.625)], Now).Status);
    }

    [Fact]
    public void One_sample_has_no_trend_and_samples_older_than_thirty_days_are_ignored()
    {
        // The sample 40 days ago would make a rising line; without it only one point is left.
        var result = TargetEvaluator.Evaluate(KpiDirection.HigherIsBetter, 0.8125, By, 0.75, [At(40, 0), At(0, 0.75)], Now);

        Assert.Equal(("off_track", (double?)null), (result.Status, result.Projected));
    }
}
