using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>As-of is Tuesday 2026-03-10 12:00 UTC (<see cref="Fixture.AsOf"/>); the 90-day window starts 2025-12-10 12:00 UTC.</summary>
public sealed class OutcomeKpisTests
{
    private static readonly OutcomeKpis Family = new();

    private static KpiResult Run(Fixture f, OutcomeOptions? outcomes = null) =>
        f.Run(Family, new KpiOptions { Outcomes = outcomes ?? new OutcomeOptions() });

    private static Fixture Org() => new Fixture().User("a", "Sales").User("b", "Support").User("bot", integration: true);

    private static Deal Won(string id, DateTimeOffset? closedAt, DateTimeOffset created, decimal? amount, DateOnly? closeDate = null) =>
        new() { Id = id, OwnerId = "a", CreatedAt = created, IsClosed = true, IsWon = true, ClosedAt = closedAt, CloseDate = closeDate, Amount = amount };

    private static Deal Lost(string id, DateTimeOffset closedAt) =>
        new() { Id = id, OwnerId = "a", CreatedAt = closedAt.AddDays(-30), IsClosed = true, ClosedAt = closedAt };

    private static DateTimeOffset Utc(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Win_rate_sales_cycle_and_deal_size_over_the_win_rate_window()
    {
        var f = Org()
            .Deal(Won("w1", DaysAgo(5), DaysAgo(25), 1000m))                           // cycle 20
            .Deal(Won("w2", DaysAgo(40), DaysAgo(50), null))                           // cycle 10, no amount
            .Deal(Won("w3", DaysAgo(90), DaysAgo(120), 500m))                          // window start: out
            .Deal(Won("w4", null, Utc(2, 20), 3000m, new DateOnly(2026, 3, 2)))         // won 03-02 00:00 UTC: cycle 10
            .Deal(Lost("l1", DaysAgo(10)))
            .Deal(Lost("l2", DaysAgo(100)))
            .Deal(new Deal { Id = "open", CreatedAt = DaysAgo(3), Amount = 50m });
        var r = Run(f);

        Assert.Equal(0.75, r.Value("win_rate"));                 // won w1, w2, w4 = 3; lost l1 = 1 → 3 / 4
        Assert.Equal(10, r.Value("sales_cycle_median"));    // median of 20, 10, 10
        Assert.Equal(2000, r.Value("average_deal_size"));        // (1000 + 3000) / 2: w2 has no amount
        Assert.Equal(4000, r.Value("new_revenue_30d"));          // w1 + w4 (w2 is 40 days old)
    }

    [Fact]
    public void Without_closed_deals_there_is_no_win_rate_cycle_or_deal_size_and_revenue_is_zero()
    {
        var r = Run(Org().Deal(new Deal { Id = "open", CreatedAt = DaysAgo(3), Amount = 50m }));

        Assert.DoesNotContain(r.Samples, s => s.Kpi is "win_rate" or "sales_cycle_median" or "average_deal_size"
            or "lead_response_time_median" or "lead_response_within_5m_ratio" or "lead_conversion_rate" or "churn_rate" or "nps" or "csat" or "crm_roi");
        Assert.Equal(0, r.Value("new_revenue_30d"));
        Assert.Equal(0, r.Value("new_revenue_month", ("month", "2026-03")));
        Assert.Equal(0, r.Value("unanswered_leads"));
    }

    [Fact]
    public void Revenue_per_utc_month_covers_this_month_to_date_and_the_previous_full_month()
    {
        var f = Org()
            .Deal(Won("w5", new DateTimeOffset(2026, 2, 28, 23, 30, 0, TimeSpan.FromHours(-1)), DaysAgo(60), 7m))  // 03-01 00:30 UTC: March
            .Deal(Won("w6", new DateTimeOffset(2026, 2, 1, 0, 30, 0, TimeSpan.FromHours(1)), DaysAgo(60), 11m))    // 01-31 23:30 UTC: January
            .Deal(Won("w7", Utc(2, 14, 10), DaysAgo(60), 200m))
            .Deal(Won("w8", Utc(3, 1), DaysAgo(60), 5m))                                                           // March's first instant
            .Deal(Won("w9", AsOf.AddHours(1), DaysAgo(60), 1000m));                                                // after as-of
        var r = Run(f);

        Assert.Equal(12, r.Value("new_revenue_month", ("month", "2026-03")));   // 7 + 5
        Assert.Equal(200, r.Value("new_revenue_month", ("month", "2026-02")));
        Assert.Equal(["month=2026-02", "month=2026-03"], r.KeysOf("new_revenue_month"));
    }

    [Fact]
    public void Lead_response_counts_human_outbound_calls_emails_and_meetings_after_creation()
    {
        var f = Org();
        void Lead(string id, DateTimeOffset created, string? owner = "a", DateTimeOffset? converted = null) =>
            f.Contact(new Contact { Id = id, IsLead = true, OwnerId = owner, CreatedAt = created, ConvertedAt = converted });
        var n = 0;
        void Act(string contact, DateTimeOffset at, ActivityType type, string? direction, string owner = "a") =>
            f.Activity(new Activity($"x{n++}", type, owner, at, at, at, ContactId: contact, Direction: direction));

        var l1 = DaysAgo(2); Lead("L1", l1, converted: DaysAgo(1));
        Act("L1", l1.AddMinutes(1), ActivityType.Email, "inbound");               // inbound: not a response
        Act("L1", l1.AddMinutes(3), ActivityType.Call, "outbound");               // 3 min
        var l2 = DaysAgo(3); Lead("L2", l2, "b", converted: AsOf.AddHours(1));    // converted after as-of: not yet
        Act("L2", l2.AddMinutes(1), ActivityType.Note, null);                     // a note is not a response
        Act("L2", l2.AddMinutes(45), ActivityType.Email, "outbound");             // 45 min
        var l3 = DaysAgo(5); Lead("L3", l3);
        Act("L3", l3.AddMinutes(90), ActivityType.Meeting, null);                 // 90 min
        var l4 = DaysAgo(1); Lead("L4", l4, "b");
        Act("L4", l4.AddMinutes(1), ActivityType.Email, "outbound", "bot");       // automation: unanswered
        var l5 = DaysAgo(4); Lead("L5", l5, null);
        Act("L5", l5.AddHours(-1), ActivityType.Call, "outbound");                // before creation: unanswered
        var l6 = DaysAgo(40); Lead("L6", l6, converted: DaysAgo(20));             // outside 30 days, inside 90
        Act("L6", l6.AddMinutes(2), ActivityType.Call, "outbound");
        var l7 = DaysAgo(6); Lead("L7", l7);
        Act("L7", l7.AddMinutes(5), ActivityType.Email, "OUTBOUND ");             // exactly 5 min
        f.Contact(new Contact { Id = "customer", CreatedAt = DaysAgo(1) });       // not a lead
        Act("customer", DaysAgo(0.5), ActivityType.Call, "outbound");
        var r = Run(f);

        Assert.Equal(25, r.Value("lead_response_time_median"));                // 3, 5, 45, 90 → (5 + 45) / 2
        Assert.Equal(2.0 / 6, r.Value("lead_response_within_5m_ratio"), 12);      // L1, L7 of L1..L5, L7
        Assert.Equal(0.5, r.Value("lead_response_within_1h_ratio"));              // L1, L2, L7 of 6
        Assert.Equal(2, r.Value("unanswered_leads"));                             // L4 (Support), L5 (unassigned)
        Assert.Equal(1, r.Value("unanswered_leads", ("team", "Support")));
        Assert.Equal(1, r.Value("unanswered_leads", ("team", "unassigned")));
        Assert.Equal(0, r.Value("unanswered_leads", ("team", "Sales")));
        Assert.Equal(["L4", "L5"], r.Issues.Where(i => i.Kpi == "unanswered_leads").Select(i => i.RecordId).Order(StringComparer.Ordinal));
        Assert.Equal(2.0 / 7, r.Value("lead_conversion_rate"), 12);              // L1 and L6 of L1..L7
    }

    [Fact]
    public void Churn_rate_is_churned_in_90_days_over_customers_at_the_windows_start()
    {
        var f = Org();
        void Customer(string id, string? churnedOn, double wonDaysAgo, bool won = true)
        {
            f.Company(new Company { Id = id, Custom = new Dictionary<string, string?> { ["churned_on"] = churnedOn } });
            f.Deal(new Deal { Id = "d-" + id, CompanyId = id, IsClosed = true, IsWon = won, ClosedAt = DaysAgo(wonDaysAgo), CreatedAt = DaysAgo(wonDaysAgo + 30) });
        }
        Customer("co1", "2026-01-15", 200);              // churned in the window
        Customer("co2", null, 200);                      // still a customer
        Customer("co3", "2025-11-01", 200);              // gone before the window: not a customer at its start
        Customer("co4", null, 10);                       // won after the start: not yet a customer then
        Customer("co5", null, 200, won: false);          // never won
        Customer("co6", "2026-03-10T13:00:00Z", 100);    // churns after as-of
        Customer("co7", "garbage", 200);                 // unreadable: not churned
        var r = Run(f, new OutcomeOptions { ChurnField = "churned_on" });
        var unmapped = Run(f);

        Assert.Equal(0.25, r.Value("churn_rate"));       // co1 of co1, co2, co6, co7
        Assert.DoesNotContain(unmapped.Samples, s => s.Kpi == "churn_rate");
    }

    [Fact]
    public void Nps_and_csat_read_whole_answers_in_range_only_when_mapped()
    {
        var f = Org();
        var i = 0;
        foreach (var (nps, csat) in new (string?, string?)[]
        {
            ("10", "5"), ("9", "4"), ("8", "3"), ("7", "1"), ("6", "0"), ("0", "6"), (" 3 ", null), ("11", ""), ("", "x"), ("abc", null), (null, null),
        })
            f.Contact(new Contact { Id = $"c{i++}", Custom = new Dictionary<string, string?> { ["nps"] = nps, ["csat"] = csat } });
        var r = Run(f, new OutcomeOptions { NpsField = "nps", CsatField = "csat" });

        // NPS answers 10, 9, 8, 7, 6, 0, 3: promoters 2, detractors 3 → 100 × (2 − 3) / 7.
        Assert.Equal(-100.0 / 7, r.Value("nps"), 12);
        // CSAT answers 5, 4, 3, 1: satisfied 2 → 2 / 4.
        Assert.Equal(0.5, r.Value("csat"));
        Assert.DoesNotContain(Run(f).Samples, s => s.Kpi is "nps" or "csat");
    }

    [Fact]
    public void Roi_is_an_estimate_from_configured_cost_and_gain()
    {
        var r = Run(Org(), new OutcomeOptions { RoiCost = 1000m, RoiGain = 2500m });

        var roi = r.Sample("crm_roi");
        Assert.Equal((1.5, "estimate"), (roi.Value, roi.Basis!));   // (2500 − 1000) / 1000
    }
}
