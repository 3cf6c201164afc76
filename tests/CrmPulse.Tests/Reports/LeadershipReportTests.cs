using CrmPulse.Apis;
using CrmPulse.Core.Kpis;
using CrmPulse.Options;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Reports;

/// <summary>The leadership report over a real ledger filled with hand-made samples (month of March 2026, now the 18th).</summary>
public sealed class LeadershipReportTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 18, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod Month = ReportPeriod.Of("month", Now)!;
    private TempStore _store = null!;

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 6, 0, 0, TimeSpan.Zero);

    private static KpiSample S(string kpi, string source, string? team, double value, DateTimeOffset time) =>
        new(kpi, source, Dimensions.Of(("team", team)), value, time);

    public async Task InitializeAsync()
    {
        _store = await TempStore.OpenAsync();
        KpiSample[] samples =
        [
            // Roll-up of crm: February's latest is 0.625 (27th); March's latest up to now is 0.75 (15th). The 19th is after now.
            S("weekly_active_ratio", "crm", null, 0.5, Day(2, 10)),
            S("weekly_active_ratio", "crm", null, 0.625, Day(2, 27)),
            S("weekly_active_ratio", "crm", null, 0.6, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            S("weekly_active_ratio", "crm", null, 0.75, Day(3, 15)),
            S("weekly_active_ratio", "crm", null, 0.1, Day(3, 19)),
            // Teams: February → March.
            S("weekly_active_ratio", "crm", "Sales", 0.5, Day(2, 20)), S("weekly_active_ratio", "crm", "Sales", 0.75, Day(3, 10)),     // +0.5
            S("weekly_active_ratio", "crm", "HR", 0.25, Day(2, 20)), S("weekly_active_ratio", "crm", "HR", 0.125, Day(3, 10)),         // −0.5
            S("weekly_active_ratio", "crm", "Support", 0.8, Day(2, 20)), S("weekly_active_ratio", "crm", "Support", 0.6, Day(3, 10)),  // −0.25
            S("weekly_active_ratio", "crm", "Ops", 0.5, Day(2, 20)), S("weekly_active_ratio", "crm", "Ops", 0.5625, Day(3, 10)),       // +0.125
            S("weekly_active_ratio", "crm", "Marketing", 0, Day(2, 20)), S("weekly_active_ratio", "crm", "Marketing", 0.5, Day(3, 10)), // from 0: no ratio
            S("weekly_active_ratio", "crm", "Finance", 0.5, Day(3, 10)),                                                               // no previous
            // A KPI with only a previous value, and a second source with only a current one.
            S("active_contributor_ratio", "crm", null, 0.25, Day(2, 27)),
            S("weekly_active_ratio", "other", null, 0.5, Day(3, 2)),
        ];
        await _store.Store.AppendAsync(samples, [], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<LeadershipReport> BuildAsync(string? source = null, params TargetOptions[] targets) =>
        LeadershipReport.BuildAsync(_store.Store, new TargetBook(new CrmPulseOptions { Targets = [.. targets] }), Month, source, CancellationToken.None);

    [Fact]
    public void Every_leadership_kpi_is_a_catalog_id()
    {
        // Two ids once named KPIs that do not exist (sales_cycle_median_days, lead_response_median_minutes): the report
        // silently left out the sales cycle and the lead response.
        Assert.All(LeadershipReport.LeadershipKpis, id => Assert.True(KpiCatalog.TryGet(id, out _), $"{id} is not in the catalog"));
    }

    [Fact]
    public async Task Each_leadership_kpi_and_source_gets_the_latest_value_of_this_and_the_previous_period()
    {
        var report = await BuildAsync();

        Assert.Equal(("month", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Now),
            (report.Period, report.PreviousFrom, report.From, report.To));
        Assert.Equal([("weekly_active_ratio", "crm"), ("weekly_active_ratio", "other"), ("active_contributor_ratio", "crm")],
            report.Kpis.Select(k => (k.Kpi, k.Source)));
        var crm = report.Kpis[0];
        // 0.75 (15 March) against 0.625 (27 February): +0.125, better for a higher-is-better KPI.
        Assert.Equal((0.75, Day(3, 15), 0.625, Day(2, 27), 0.125, true),
            (crm.Current!.Value, crm.Current.Time, crm.Previous!.Value, crm.Previous.Time, crm.Change!.Value, crm.Improved!.Value));
        Assert.Equal(("ratio", "higher_is_better"), (crm.Unit, crm.Direction));
        var onlyPrevious = report.Kpis[2];
        Assert.Equal((null, 0.25, null, null), (onlyPrevious.Current, onlyPrevious.Previous!.Value, onlyPrevious.Change, onlyPrevious.Improved));
    }

    [Fact]
    public async Task Movers_are_the_three_team_series_with_the_largest_relative_change()
    {
        var crm = (await BuildAsync()).Kpis[0];

        // |change| ÷ |previous|: HR 0.125 ÷ 0.25 = 0.5, Sales 0.25 ÷ 0.5 = 0.5 (tie: by dimensions), Support 0.2 ÷ 0.8 = 0.25,
        // Ops 0.0625 ÷ 0.5 = 0.125 (fourth: left out). Marketing (from 0) and Finance (no previous) have no ratio.
        Assert.Equal([("HR", 0.125, 0.25, -0.125, -0.5), ("Sales", 0.75, 0.5, 0.25, 0.5)],
            crm.Movers.Take(2).Select(m => (m.Dimensions["team"], m.Current, m.Previous, m.Change, m.ChangeRatio)));
        var support = crm.Movers[2];
        Assert.Equal("Support", support.Dimensions["team"]);
        Assert.Equal(-0.25, support.ChangeRatio, 12);
        Assert.Equal(3, crm.Movers.Count);
    }

    [Fact]
    public async Task A_target_for_every_source_gives_each_roll_up_its_status()
    {
        var report = await BuildAsync(null, new TargetOptions { Kpi = "weekly_active_ratio", Value = 0.625, By = new DateOnly(2026, 6, 30) });

        // crm: 0.75 ≥ 0.625, met, gap +0.125. other: 0.5 with one sample in 30 days: no trend, off track, gap −0.125.
        Assert.Equal(("met", 0.125), (report.Kpis[0].Target!.Status, report.Kpis[0].Target!.Gap));
        Assert.Equal(("off_track", -0.125), (report.Kpis[1].Target!.Status, report.Kpis[1].Target!.Gap));
        Assert.Null(report.Kpis[2].Target);
    }

    [Fact]
    public async Task A_source_filter_keeps_that_source_only()
    {
        var report = await BuildAsync("other");

        var item = Assert.Single(report.Kpis);
        Assert.Equal(("other", 0.5, (LeadershipReport.PeriodValue?)null), (item.Source, item.Current!.Value, item.Previous));
        Assert.Empty(item.Movers);
    }
}
