using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>
/// Account prioritisation. As-of is 2026-03-10 12:00 UTC (<see cref="Fixture.AsOf"/>): the RFM window of 365 days and the
/// 12 months of dead accounts both start 2025-03-10 12:00 UTC.
/// </summary>
public sealed class AccountKpisTests
{
    private static readonly AccountKpis Family = new();

    private static KpiResult Run(Fixture f, OutcomeOptions? outcomes = null) =>
        f.Run(Family, new KpiOptions { Outcomes = outcomes ?? new OutcomeOptions() });

    private static Company Company(string id, string? owner, double createdDaysAgo, string? region = null) => new()
    {
        Id = id, Name = "Company " + id, OwnerId = owner, CreatedAt = DaysAgo(createdDaysAgo),
        Custom = region is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["region"] = region },
    };

    private static Deal Won(string id, string company, double closedDaysAgo, double createdDaysAgo, decimal amount) => new()
    {
        Id = id, CompanyId = company, OwnerId = "a", CreatedAt = DaysAgo(createdDaysAgo), IsClosed = true, IsWon = true,
        ClosedAt = DaysAgo(closedDaysAgo), Amount = amount,
    };

    private static Activity At(string id, double daysAgo, string? company = null, string? contact = null, string? deal = null) =>
        new(id, ActivityType.Call, "a", DaysAgo(daysAgo), DaysAgo(daysAgo), DaysAgo(daysAgo), contact, company, deal);

    /// <summary>
    /// Five companies with touches, whose recency, frequency and monetary values (hand-ranked below) give five
    /// different segments, and three without any (dead, too young, or only an open deal).
    /// </summary>
    private static Fixture Org() => new Fixture()
        .User("a", "Sales").User("b", "Support").User("z", "Sales", active: false)
        // c1: won 10 days ago (5000, created 40 days ago), activities 1, 2 (through its deal) and 3 days ago.
        //     last 1 day ago; F = 1 deal + 3 activities = 4; M = 5000.
        .Company(Company("c1", "a", 500, "EMEA"))
        .Deal(Won("d1", "c1", 10, 40, 5000m))
        .Activity(At("a1", 1, company: "c1")).Activity(At("a2", 2, deal: "d1")).Activity(At("a3", 3, company: "c1"))
        // c2: one activity 5 days ago, through its contact k2. last 5 days; F = 1; M = 0.
        .Company(Company("c2", "a", 500, "EMEA "))
        .Contact(new Contact { Id = "k2", CompanyId = "c2", CreatedAt = DaysAgo(300) })
        .Activity(At("a4", 5, contact: "k2"))
        // c3: won 100 days ago (20000, created 150 days ago), five activities 200–300 days ago. last 100 days; F = 6; M = 20000.
        .Company(Company("c3", "b", 500, "APAC"))
        .Deal(Won("d3", "c3", 100, 150, 20000m))
        .Activity(At("a5", 200, company: "c3")).Activity(At("a6", 220, company: "c3")).Activity(At("a7", 250, company: "c3"))
        .Activity(At("a8", 280, company: "c3")).Activity(At("a9", 300, company: "c3"))
        // c4: won 400 days ago (1000, created 420), an activity 380 days ago: all before the window. last 380 days; F = 0; M = 0.
        .Company(Company("c4", "b", 500))
        .Deal(Won("d4", "c4", 400, 420, 1000m))
        .Activity(At("a10", 380, company: "c4"))
        // c5 (owner deactivated): a lost deal created 250 days ago (not a touch, but a deal for frequency), an activity
        //     200 days ago. last 200 days; F = 2; M = 0.
        .Company(Company("c5", "z", 500))
        .Deal(new Deal { Id = "d5", CompanyId = "c5", CreatedAt = DaysAgo(250), IsClosed = true, ClosedAt = DaysAgo(230) })
        .Activity(At("a11", 200, company: "c5"))
        // c6: no owner, created 400 days ago, nothing ever: dead, unowned, not scored.
        .Company(Company("c6", null, 400))
        // c7: created 400 days ago, only an open deal created 390 days ago: not dead (an open deal), not scored.
        .Company(Company("c7", "b", 400))
        .Deal(new Deal { Id = "d7", CompanyId = "c7", CreatedAt = DaysAgo(390) })
        // c8: created 10 days ago by an owner the CRM does not list: too young to be dead, unowned.
        .Company(Company("c8", "ghost", 10))
        // c9: created tomorrow: not there at as-of.
        .Company(Company("c9", null, -1))
        // An activity after as-of counts nowhere.
        .Activity(At("a12", -2, company: "c4"));

    [Fact]
    public void Companies_are_scored_by_quintile_and_segmented()
    {
        var r = Run(Org());

        // Recency (later is better): c1 1d, c2 5d, c3 100d, c5 200d, c4 380d → R 5, 4, 3, 2, 1.
        // Frequency: c4 0, c2 1, c5 2, c1 4, c3 6 → F 1, 2, 3, 4, 5.
        // Monetary: c2, c4, c5 have 0 (no revenue scores 1, although their mid-rank p = (0 + 1) / 4 = 0.25 would give 2),
        // c1 5000 (p = 3/4 → 4), c3 20000 (5).
        // c1 R5 F4 M4 champions; c2 R4 F2 M1 promising; c3 R3 F5 M5 loyal; c5 R2 F3 M1 (FM 2) hibernating; c4 R1 F1 M1 lost.
        Assert.Equal(5, r.Value("rfm_accounts"));
        Assert.Equal(["c1"], r.IssueIds("rfm_accounts", field: "champions"));
        Assert.Equal(["c3"], r.IssueIds("rfm_accounts", field: "loyal"));
        Assert.Equal(["c2"], r.IssueIds("rfm_accounts", field: "promising"));
        Assert.Equal(["c5"], r.IssueIds("rfm_accounts", field: "hibernating"));
        Assert.Equal(["c4"], r.IssueIds("rfm_accounts", field: "lost"));
        Assert.Empty(r.IssueIds("rfm_accounts", field: "at_risk"));
        foreach (var (segment, n) in new[] { ("champions", 1), ("loyal", 1), ("promising", 1), ("at_risk", 0), ("hibernating", 1), ("lost", 1) })
            Assert.Equal(n, r.Value("rfm_accounts", ("segment", segment)));
        Assert.Equal(1, r.Value("rfm_accounts", ("segment", "champions"), ("team", "Sales")));
        Assert.Equal(1, r.Value("rfm_accounts", ("segment", "hibernating"), ("team", "Sales")));   // a deactivated owner keeps his team
        Assert.Equal(1, r.Value("rfm_accounts", ("segment", "loyal"), ("team", "Support")));
        Assert.Equal(1, r.Value("rfm_accounts", ("segment", "lost"), ("team", "Support")));
        Assert.Equal("R5 F4 M4: last won deal or activity 2026-03-09 (1 day ago), 4 deals and activities and 5000 won in the trailing 365 days",
            r.Issue("rfm_accounts", "c1").Detail);
        Assert.Equal("R1 F1 M1: last won deal or activity 2025-02-23 (380 days ago), 0 deals and activities and 0 won in the trailing 365 days",
            r.Issue("rfm_accounts", "c4").Detail);
    }

    [Fact]
    public void Dead_accounts_have_nothing_in_twelve_months_and_no_open_deal()
    {
        var r = Run(Org());

        // c4: last touch 380 days ago; c6: nothing ever. c7 has an open deal, c8 is 10 days old, c1–c3 and c5 had touches.
        Assert.Equal(["c4", "c6"], r.IssueIds("dead_accounts"));
        Assert.Equal(2, r.Value("dead_accounts"));
        Assert.Equal(1, r.Value("dead_accounts", ("team", "Support")));
        Assert.Equal(1, r.Value("dead_accounts", ("team", KpiOptions.NoTeam)));
        Assert.Equal("no activity or deal since 2025-02-23, no open deal", r.Issue("dead_accounts", "c4").Detail);
        Assert.Equal("no activity or deal ever, created 2025-02-03", r.Issue("dead_accounts", "c6").Detail);

        // Six months instead of twelve (since 2025-09-10 12:00): c5 (200 days) joins.
        var six = Run(Org(), new OutcomeOptions { DeadAccountMonths = 6 });
        Assert.Equal(["c4", "c5", "c6"], six.IssueIds("dead_accounts"));
    }

    [Fact]
    public void Unowned_accounts_have_no_owner_a_deactivated_one_or_one_the_crm_does_not_list()
    {
        var r = Run(Org());

        Assert.Equal(["c5", "c6", "c8"], r.IssueIds("unowned_accounts"));
        Assert.Equal(3, r.Value("unowned_accounts"));
        Assert.Equal(1, r.Value("unowned_accounts", ("team", "Sales")));
        Assert.Equal(2, r.Value("unowned_accounts", ("team", KpiOptions.NoTeam)));
        Assert.Equal("owner Name of z is deactivated", r.Issue("unowned_accounts", "c5").Detail);
        Assert.Equal("no owner", r.Issue("unowned_accounts", "c6").Detail);
        Assert.Equal("owner ghost is not a user of the CRM", r.Issue("unowned_accounts", "c8").Detail);
    }

    [Fact]
    public void Accounts_by_territory_only_when_the_field_is_set()
    {
        Assert.DoesNotContain(Run(Org()).Samples, s => s.Kpi == "accounts_by_territory");

        var r = Run(Org(), new OutcomeOptions { TerritoryField = "region" });

        // c1 "EMEA" and c2 "EMEA " (trimmed), c3 "APAC"; c4–c8 have none; c9 is not there yet.
        Assert.Equal(2, r.Value("accounts_by_territory", ("territory", "EMEA")));
        Assert.Equal(1, r.Value("accounts_by_territory", ("territory", "APAC")));
        Assert.Equal(5, r.Value("accounts_by_territory", ("territory", AccountKpis.NoTerritory)));
    }

    [Fact]
    public void An_empty_org_counts_zero_everywhere()
    {
        var r = Run(new Fixture().User("a", "Sales"));

        Assert.Equal(0, r.Value("rfm_accounts"));
        Assert.All(AccountKpis.Segments, s => Assert.Equal(0, r.Value("rfm_accounts", ("segment", s))));
        Assert.Equal(0, r.Value("dead_accounts"));
        Assert.Equal(0, r.Value("unowned_accounts"));
        Assert.Empty(r.Issues);
    }

    [Fact]
    public void An_activity_naming_a_deal_id_listed_twice_touches_the_company_of_the_first_record_that_names_one()
    {
        // Deal "d" is listed three times: without a company, with c2, then with c1. The activity names only the deal:
        // it touches c2 (the first record of the id naming a company), not c1.
        var f = new Fixture().User("a", "Sales")
            .Company(Company("c1", "a", 500)).Company(Company("c2", "a", 500))
            .Deal(new Deal { Id = "d", OwnerId = "a", CreatedAt = DaysAgo(400) })
            .Deal(new Deal { Id = "d", CompanyId = "c2", OwnerId = "a", CreatedAt = DaysAgo(400) })
            .Deal(new Deal { Id = "d", CompanyId = "c1", OwnerId = "a", CreatedAt = DaysAgo(400) })
            .Activity(At("a1", 5, deal: "d"));
        var r = Run(f);

        // Scored: only c2 (a deal created 400 days ago and still open is no touch).
        Assert.Equal(1, r.Value("rfm_accounts"));
        Assert.Equal("c2", Assert.Single(r.Issues, i => i.Kpi == "rfm_accounts").RecordId);
    }

    [Fact]
    public void One_company_or_all_equal_score_three()
    {
        Assert.Equal([3], AccountKpis.Scores(new long[] { 7 }));
        Assert.Equal([3, 3, 3], AccountKpis.Scores(new long[] { 2, 2, 2 }));
        // Two companies: 1 and 5. Ten distinct: two per quintile.
        Assert.Equal([5, 1], AccountKpis.Scores(new long[] { 9, 4 }));
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], AccountKpis.Scores(Enumerable.Range(0, 10).Select(i => (long)i).ToList()));
        // Nothing scores 1 when asked: seven companies without revenue would otherwise share mid-rank 3/9 → 2.
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 5, 5], AccountKpis.Scores(new decimal[] { 0, 0, 0, 0, 0, 0, 0, 10, 20 }, zeroScoresOne: true));
        Assert.Equal([2, 2, 2, 2, 2, 2, 2, 5, 5], AccountKpis.Scores(new decimal[] { 0, 0, 0, 0, 0, 0, 0, 10, 20 }));
    }

    [Theory]
    [InlineData(5, 5, 5, "champions")]
    [InlineData(4, 4, 4, "champions")]
    [InlineData(4, 4, 3, "loyal")]      // FM 3.5
    [InlineData(3, 5, 5, "loyal")]
    [InlineData(5, 1, 2, "promising")]
    [InlineData(2, 3, 3, "at_risk")]
    [InlineData(1, 5, 5, "at_risk")]
    [InlineData(2, 2, 3, "hibernating")] // FM 2.5
    [InlineData(1, 2, 3, "lost")]
    public void Segments_follow_recency_and_the_mean_of_frequency_and_monetary(int r, int f, int m, string segment) =>
        Assert.Equal(segment, AccountKpis.Segment(r, f, m));
}
