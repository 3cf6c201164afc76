using CrmPulse.Apis;
using CrmPulse.Core.Kpis;
using CrmPulse.Options;
using CrmPulse.Reports;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Reports;

/// <summary>The report's model and summary over a real ledger with hand-made samples (now 18 March 2026, month report).</summary>
public sealed class ReportBuilderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 18, 12, 0, 0, TimeSpan.Zero);
    private TempStore _store = null!;

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 6, 0, 0, TimeSpan.Zero);

    private static KpiSample S(string kpi, string? team, double value, DateTimeOffset time) => new(kpi, "crm", Dimensions.Of(("team", team)), value, time);

    public async Task InitializeAsync()
    {
        _store = await TempStore.OpenAsync();
        await _store.Store.AppendAsync(
        [
            // Roll-up: October has none, November 0.5, December none, January 0.6 then 0.65, February 0.7, March 0.58.
            S("weekly_active_ratio", null, 0.5, Day(11, 20) .AddYears(-1)),
            S("weekly_active_ratio", null, 0.6, Day(1, 10)), S("weekly_active_ratio", null, 0.65, Day(1, 31)),
            S("weekly_active_ratio", null, 0.7, Day(2, 27)), S("weekly_active_ratio", null, 0.58, Day(3, 15)),
            // Teams, February → March: Sales 0.8 → 0.68 (−0.12, −15 %), Ops 0.4 → 0.5 (+0.1, +25 %), HR 0.5 → 0.5 (no change).
            S("weekly_active_ratio", "Sales", 0.8, Day(2, 20)), S("weekly_active_ratio", "Sales", 0.68, Day(3, 10)),
            S("weekly_active_ratio", "Ops", 0.4, Day(2, 20)), S("weekly_active_ratio", "Ops", 0.5, Day(3, 10)),
            S("weekly_active_ratio", "HR", 0.5, Day(2, 20)), S("weekly_active_ratio", "HR", 0.5, Day(3, 10)),
            // Stalled deals (lower is better) per team: Ops 10 → 14 (+40 %: the team's largest change, and a setback).
            S("stalled_deals", null, 30, Day(2, 27)), S("stalled_deals", null, 27, Day(3, 15)),
            S("stalled_deals", "Ops", 10, Day(2, 20)), S("stalled_deals", "Ops", 14, Day(3, 10)),
            // The score: only this month.
            S("data_quality_score", null, 87.4, Day(3, 16)),
        ], [], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<ReportModel> BuildAsync(params TargetOptions[] targets) =>
        new ReportBuilder(_store.Store, new TargetBook(new CrmPulseOptions { Targets = [.. targets] }), new FakeClock(Now))
            .BuildAsync(ReportPeriod.Of("month", Now)!, null, CancellationToken.None);

    [Fact]
    public async Task The_trend_is_the_last_value_of_each_of_the_six_months_and_each_team_shows_its_largest_change()
    {
        var model = await BuildAsync();

        var war = model.Trends.Single(t => t.Kpi == "weekly_active_ratio");
        Assert.Equal(["Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026"], war.Points.Select(p => p.Label));
        Assert.Equal([null, 0.5, null, 0.65, 0.7, 0.58], war.Points.Select(p => p.Value));
        // Ops: stalled deals +40 % beats its weekly active ratio +25 %; Sales −15 %; HR did not move.
        Assert.Equal([("Ops", "stalled_deals", 10.0, 14.0), ("Sales", "weekly_active_ratio", 0.8, 0.68)],
            model.TeamMovers.Select(m => (m.Team, m.Kpi, m.Previous, m.Current)));
        Assert.Equal(0.4, model.TeamMovers[0].ChangeRatio, 12);
    }

    [Fact]
    public async Task A_target_within_reach_of_the_trend_gives_the_projected_value()
    {
        // Same line (0.64 at −11.25 days, −0.0075 a day), evaluated at 19 March 00:00 (+0.5 day): 0.64 − 0.0075 × 11.75 = 0.551875.
        var model = await BuildAsync(new TargetOptions { Kpi = "weekly_active_ratio", Value = 0.85, By = new DateOnly(2026, 3, 18) });

        Assert.Equal("The weekly active ratio is off track for its target of 85.0 % by 2026-03-18 (its 30-day trend reaches 55.2 %).", model.Narrative[^1]);
    }

    [Fact]
    public async Task The_summary_is_written_from_the_numbers()
    {
        var model = await BuildAsync(new TargetOptions { Kpi = "weekly_active_ratio", Value = 0.85, By = new DateOnly(2026, 6, 30) });

        Assert.Equal(
        [
            // Setbacks by relative change: Ops' stalled deals (+40 %) before Sales' ratio (−15 %); the gain is Ops' ratio (+25 %).
            "Stalled deals rose 4 in Ops, to 14: the largest setback among the teams.",
            "Weekly active ratio rose 10.0 points in Ops, to 50.0 %: the largest gain.",
            "The weekly active ratio fell 12.0 points to 58.0 % (from 70.0 %).",
            "The data-quality score is 87.4, with no value in the previous period to compare.",
            "The stalled deals fell 3 to 27 (from 30).",
            // The 30-day line through 0.7 (27 Feb) and 0.58 (15 Mar) falls 0.0075 a day: at 1 July it is below 0 %.
            "The weekly active ratio is off track for its target of 85.0 % by 2026-06-30 (its 30-day trend does not reach it).",
        ], model.Narrative);
    }
}
