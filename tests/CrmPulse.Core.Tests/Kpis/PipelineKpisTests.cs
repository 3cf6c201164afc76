using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>As-of is Tuesday 2026-03-10 12:00 UTC (<see cref="Fixture.AsOf"/>).</summary>
public sealed class PipelineKpisTests
{
    private static readonly PipelineKpis Family = new();

    private static Activity Task(string id, string? owner, DateTimeOffset? due, bool completed = false, DateTimeOffset? created = null) =>
        new(id, ActivityType.Task, owner, created ?? DaysAgo(20), created ?? DaysAgo(20), created ?? DaysAgo(20), DueAt: due, Completed: completed);

    private static Activity Touch(string dealId, DateTimeOffset at, string owner = "a") =>
        new("act-" + dealId + at.Ticks, ActivityType.Call, owner, at, at, at, DealId: dealId);

    private static Deal Open(string id, string? owner = "a", DateTimeOffset? created = null) =>
        new() { Id = id, OwnerId = owner, CreatedAt = created ?? DaysAgo(100), Pipeline = "sales", Stage = "qualified" };

    private static KpiResult Run(Fixture f, PipelineOptions? pipeline = null, DateTimeOffset? asOf = null) =>
        f.Run(Family, new KpiOptions { Pipeline = pipeline ?? new PipelineOptions() }, asOf);

    private static Fixture Org() => new Fixture().User("a", "Sales").User("b", "Support").User("bot", integration: true);

    /// <summary>Every issue KPI's sample equals its number of issues, overall and per team.</summary>
    private static void AssertIssuesMatchCounts(KpiResult result, string kpi)
    {
        Assert.Equal(result.Issues.Count(i => i.Kpi == kpi), result.Value(kpi));
        foreach (var s in result.Samples.Where(s => s.Kpi == kpi && s.Dimensions["team"] is not null))
            Assert.Equal(result.Issues.Count(i => i.Kpi == kpi && i.Team == s.Dimensions["team"]), s.Value);
    }

    [Fact]
    public void Open_tasks_count_overdue_without_due_date_and_without_owner_by_team()
    {
        var f = Org();
        foreach (var t in new[]
        {
            Task("t1", "a", HoursAgo(1)),                       // overdue (Sales)
            Task("t2", "a", AsOf.AddHours(1)),                  // due later
            Task("t3", "b", DaysAgo(2), completed: true),       // done: not counted
            Task("t4", null, null),                             // no due date and no owner (unassigned)
            Task("t5", "b", null, created: AsOf.AddHours(1)),   // created after as-of: left out
            Task("t6", "a", AsOf),                              // due exactly at as-of: not before it
        })
            f.Activity(t);
        var r = Run(f);

        Assert.Equal(1, r.Value("overdue_tasks"));
        Assert.Equal(1, r.Value("overdue_tasks", ("team", "Sales")));
        Assert.Equal(0, r.Value("overdue_tasks", ("team", "Support")));
        Assert.Equal(1, r.Value("tasks_without_due_date"));
        Assert.Equal(1, r.Value("tasks_without_due_date", ("team", "unassigned")));
        Assert.Equal(1, r.Value("tasks_without_owner"));
        var issue = Assert.Single(r.Issues, i => i.Kpi == "overdue_tasks");
        Assert.Equal(new RecordIssue("overdue_tasks", "task", "t1", "a", "Sales", Detail: "due 2026-03-10T11:00:00Z, open at 2026-03-10T12:00:00Z"), issue);
        Assert.Equal(["Sales", "Support"], r.KeysOf("overdue_tasks").Where(k => k != "").Select(k => k["team=".Length..]));
        foreach (var kpi in new[] { "overdue_tasks", "tasks_without_due_date", "tasks_without_owner" }) AssertIssuesMatchCounts(r, kpi);
    }

    [Fact]
    public void Past_close_date_compares_with_the_utc_date_of_as_of_whatever_its_offset()
    {
        // 2026-03-10 01:00 at +02:00 is 2026-03-09 23:00 UTC: its date is the 9th, so only a close date on the 8th is past.
        var asOf = new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.FromHours(2));
        var f = Org()
            .Deal(Open("d8") with { CloseDate = new DateOnly(2026, 3, 8) })
            .Deal(Open("d9") with { CloseDate = new DateOnly(2026, 3, 9) })
            .Deal(Open("dnull"))
            .Deal(Open("closed") with { CloseDate = new DateOnly(2026, 1, 1), IsClosed = true });
        var r = Run(f, asOf: asOf);

        Assert.Equal(1, r.Value("deals_past_close_date"));
        Assert.Equal("d8", Assert.Single(r.Issues, i => i.Kpi == "deals_past_close_date").RecordId);
    }

    [Fact]
    public void Stalled_deals_exclude_recent_touches_new_deals_and_snoozed_deals()
    {
        var f = Org()
            .Deal(Open("d1")).Activity(Touch("d1", DaysAgo(29)))           // touched 29 days ago: alive
            .Deal(Open("d2")).Activity(Touch("d2", DaysAgo(30)))           // exactly 30 days ago: window start excluded, stalled
            .Deal(Open("d3", created: DaysAgo(10)))                         // new: its creation is its touch
            .Deal(Open("d4") with { Custom = Fields("2026-03-10") })         // snoozed through as-of's date
            .Deal(Open("d5") with { Custom = Fields("2026-03-09") })         // snooze over: stalled
            .Deal(Open("d6") with { Custom = Fields("yes") })                // snoozed
            .Deal(Open("d7") with { Custom = Fields("") })                   // empty: stalled
            .Deal(Open("d8")).Activity(Touch("d8", DaysAgo(1), "bot"))      // only an integration touched it: stalled
            .Deal(Open("d9") with { IsClosed = true })                       // closed: neither
            .Deal(Open("d10")).Activity(Touch("d10", AsOf.AddHours(1)))     // touched after as-of only: stalled
            .Deal(Open("d11") with { Custom = Fields("2026-03-10T13:00:00+02:00") }); // 11:00 UTC, before as-of: stalled
        var r = Run(f, new PipelineOptions { SnoozeField = "paused_until" });

        // stalled: d2, d5, d7, d8, d10, d11 = 6; snoozed: d4, d6 = 2.
        Assert.Equal(6, r.Value("stalled_deals"));
        Assert.Equal(["d10", "d11", "d2", "d5", "d7", "d8"], r.Issues.Where(i => i.Kpi == "stalled_deals").Select(i => i.RecordId).Order(StringComparer.Ordinal));
        Assert.Equal(2, r.Value("snoozed_deals"));
        Assert.Equal(2, r.Value("snoozed_deals", ("team", "Sales")));
        Assert.Equal("last activity 2026-02-08T12:00:00Z, 30 days before 2026-03-10T12:00:00Z",
            r.Issues.Single(i => i.RecordId == "d2").Detail);
        AssertIssuesMatchCounts(r, "stalled_deals");
    }

    [Fact]
    public void Deals_that_share_an_id_share_the_activities_naming_it()
    {
        // Two records of deal "dup" (the second listed after another deal): the activity yesterday names the id, so
        // neither is stalled; "d1", untouched for 100 days, is.
        var f = Org()
            .Deal(Open("dup")).Deal(Open("d1")).Deal(Open("dup"))
            .Activity(Touch("dup", DaysAgo(1)));
        var r = Run(f);

        Assert.Equal(1, r.Value("stalled_deals"));
        Assert.Equal("d1", Assert.Single(r.Issues, i => i.Kpi == "stalled_deals").RecordId);
    }

    [Fact]
    public void Without_a_snooze_field_no_deal_is_snoozed()
    {
        var r = Run(Org().Deal(Open("d6") with { Custom = Fields("yes") }));

        Assert.Equal(1, r.Value("stalled_deals"));
        Assert.Equal(0, r.Value("snoozed_deals"));
    }

    [Fact]
    public void Business_days_skip_the_weekend_and_holidays()
    {
        // As-of Tuesday 10 March; Monday 9 March is a holiday. Business dates after Thursday 5 March up to the 10th:
        // Fri 6, Tue 10 = 2 (< 3: alive). After Wednesday 4 March: Thu 5, Fri 6, Tue 10 = 3 (stalled).
        var f = Org()
            .Deal(Open("thu")).Activity(Touch("thu", new DateTimeOffset(2026, 3, 5, 15, 0, 0, TimeSpan.Zero)))
            .Deal(Open("wed")).Activity(Touch("wed", new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero)));
        var business = Run(f, new PipelineOptions { StalledAfterDays = 3, BusinessDays = true, Holidays = [new DateOnly(2026, 3, 9)] });
        // Calendar days: 4.875 and 6.083 days, both ≥ 3.
        var calendar = Run(f, new PipelineOptions { StalledAfterDays = 3 });

        Assert.Equal("wed", Assert.Single(business.Issues, i => i.Kpi == "stalled_deals").RecordId);
        Assert.Equal("last activity 2026-03-04T10:00:00Z, 3 business days before 2026-03-10T12:00:00Z",
            business.Issues.Single(i => i.Kpi == "stalled_deals").Detail);
        Assert.Equal(2, calendar.Value("stalled_deals"));
    }

    [Fact]
    public void Lost_without_reason_counts_null_empty_and_blank_reasons_in_the_window()
    {
        Deal Lost(string id, string? reason, DateTimeOffset? closedAt, DateOnly? closeDate = null) =>
            Open(id) with { IsClosed = true, LostReason = reason, ClosedAt = closedAt, CloseDate = closeDate };
        var f = Org()
            .Deal(Lost("l1", null, DaysAgo(10)))
            .Deal(Lost("l2", "", DaysAgo(10)))
            .Deal(Lost("l3", " ", DaysAgo(10)))
            .Deal(Lost("l4", null, DaysAgo(90)))                              // window start: excluded
            .Deal(Lost("l5", null, null, new DateOnly(2026, 3, 1)))            // close date 00:00 UTC: inside
            .Deal(Lost("l6", "Price", DaysAgo(10)))
            .Deal(Lost("w7", null, DaysAgo(10)) with { IsWon = true });
        var r = Run(f);

        Assert.Equal(4, r.Value("lost_without_reason"));
        Assert.Equal(4, r.Value("lost_without_reason", ("team", "Sales")));
        AssertIssuesMatchCounts(r, "lost_without_reason");
    }

    [Fact]
    public void Open_pipeline_sums_open_amounts_with_missing_ones_as_zero()
    {
        var f = Org()
            .Deal(Open("a1") with { Amount = 1000m })
            .Deal(Open("a2"))
            .Deal(Open("b1", "b") with { Amount = 250.5m })
            .Deal(Open("u1", null) with { Amount = 100m })
            .Deal(Open("c1") with { Amount = 999m, IsClosed = true, IsWon = true });
        var r = Run(f);

        Assert.Equal(1350.5, r.Value("open_pipeline_value")); // 1000 + 0 + 250.5 + 100
        Assert.Equal(1000, r.Value("open_pipeline_value", ("team", "Sales")));
        Assert.Equal(250.5, r.Value("open_pipeline_value", ("team", "Support")));
        Assert.Equal(100, r.Value("open_pipeline_value", ("team", "unassigned")));
        Assert.Equal(4, r.Value("open_deals"));
        Assert.Equal(2, r.Value("open_deals", ("team", "Sales")));
    }

    [Fact]
    public void Stage_age_median_per_pipeline_and_stage_and_deals_aging_beyond_the_factor()
    {
        var f = Org()
            .Deal(Open("q1") with { StageEnteredAt = DaysAgo(1) })
            .Deal(Open("q2") with { StageEnteredAt = DaysAgo(2) })
            .Deal(Open("q3") with { StageEnteredAt = DaysAgo(3) })
            .Deal(Open("q10") with { StageEnteredAt = DaysAgo(10) })
            .Deal(Open("p4") with { Stage = "proposal", StageEnteredAt = DaysAgo(4) })
            .Deal(Open("n6") with { Pipeline = null, StageEnteredAt = DaysAgo(6) })
            .Deal(Open("unknown"))                                             // no StageEnteredAt: left out
            .Deal(Open("later") with { StageEnteredAt = AsOf.AddDays(1) });   // entered after as-of: left out
        var r = Run(f);

        // sales/qualified: ages 1, 2, 3, 10 → median (2 + 3) / 2 = 2.5; 2 × 2.5 = 5 < 10: q10 is aging.
        Assert.Equal(2.5, r.Value("stage_age_median", ("pipeline", "sales"), ("stage", "qualified")));
        Assert.Equal(4, r.Value("stage_age_median", ("pipeline", "sales"), ("stage", "proposal")));
        Assert.Equal(6, r.Value("stage_age_median", ("pipeline", "none"), ("stage", "qualified")));
        Assert.Equal(3, r.KeysOf("stage_age_median").Count);
        Assert.Equal(1, r.Value("deals_aging_in_stage"));
        var issue = Assert.Single(r.Issues, i => i.Kpi == "deals_aging_in_stage");
        Assert.Equal(("q10", "in sales/qualified since 2026-02-28T12:00:00Z: 10 days, median 2.5"), (issue.RecordId, issue.Detail!));
    }

    [Fact]
    public void Stage_ages_count_business_days_when_asked()
    {
        DateTimeOffset Day(int d) => new(2026, 3, d, 10, 0, 0, TimeSpan.Zero);
        var f = Org()
            .Deal(Open("fri") with { StageEnteredAt = Day(6) })   // (Fri 6, Tue 10]: Tue = 1 (weekend, Monday holiday)
            .Deal(Open("thu") with { StageEnteredAt = Day(5) })   // Fri, Tue = 2
            .Deal(Open("wed") with { StageEnteredAt = Day(4) });  // Thu, Fri, Tue = 3
        var r = Run(f, new PipelineOptions { BusinessDays = true, Holidays = [new DateOnly(2026, 3, 9)], StageAgeFactor = 1.4 });

        // Median of 1, 2, 3 = 2; 1.4 × 2 = 2.8 < 3: only "wed" is aging.
        Assert.Equal(2, r.Value("stage_age_median", ("pipeline", "sales"), ("stage", "qualified")));
        var issue = Assert.Single(r.Issues, i => i.Kpi == "deals_aging_in_stage");
        Assert.Equal(("wed", "in sales/qualified since 2026-03-04T10:00:00Z: 3 business days, median 2"), (issue.RecordId, issue.Detail!));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" YES ", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("soon", false)]
    [InlineData("2026-03-10", true)]            // through as-of's UTC date
    [InlineData("2026-03-09", false)]
    [InlineData("2026-03-10T12:00:01Z", true)]
    [InlineData("2026-03-10T12:00:00Z", false)] // not after as-of
    [InlineData("2026-03-10T13:30:00+01:00", true)] // 12:30 UTC
    [InlineData("2026-03-10 11:59", false)]     // no offset: UTC
    public void A_snooze_value_snoozes_when_true_or_a_later_date(string? value, bool snoozed) =>
        Assert.Equal(snoozed, PipelineKpis.IsSnoozed(value, AsOf));

    private static IReadOnlyDictionary<string, string?> Fields(string? pausedUntil) =>
        new Dictionary<string, string?> { ["paused_until"] = pausedUntil };
}
