using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DataQualityHygieneKpisTests
{
    private static readonly DataQualityHygieneKpis Family = new();

    // Users: u1 active (Sales), old deactivated (Sales), bot active integration user, oldbot deactivated integration user.
    // "ghost" names no user.
    private static Fixture Org() => new Fixture()
        .User("u1", "Sales").User("old", "Sales", active: false).User("bot", integration: true)
        .User("oldbot", active: false, integration: true)
        .Contact(new Contact { Id = "c1", OwnerId = "u1", CompanyId = null, ModifiedAt = DaysAgo(400) })
        .Contact(new Contact { Id = "c2", OwnerId = null, CompanyId = "co1", ModifiedAt = DaysAgo(1) })
        .Contact(new Contact { Id = "c3", OwnerId = "old", CompanyId = " ", ModifiedAt = DaysAgo(1) })
        .Contact(new Contact { Id = "c4", OwnerId = "bot", CompanyId = "co-missing", ModifiedAt = DaysAgo(1) })
        .Contact(new Contact { Id = "c5", OwnerId = "ghost", CompanyId = "co1", ModifiedAt = DaysAgo(1) })
        .Company(new Company { Id = "co1", OwnerId = "oldbot", ParentId = null, ModifiedAt = DaysAgo(365) })
        .Company(new Company { Id = "co2", OwnerId = "", ParentId = "co1", ModifiedAt = DaysAgo(365) - TimeSpan.FromMilliseconds(1) })
        .Company(new Company { Id = "co3", OwnerId = "u1", ParentId = "co-gone", ModifiedAt = DaysAgo(10) })
        .Company(new Company { Id = "co4", OwnerId = null, ParentId = "", ModifiedAt = DaysAgo(-2) })
        .Deal(new Deal { Id = "d1", OwnerId = "old", ContactId = "c1", ModifiedAt = DaysAgo(1) })
        .Deal(new Deal { Id = "d2", OwnerId = "u1", CompanyId = "co1", ModifiedAt = DaysAgo(366) })
        .Deal(new Deal { Id = "d3", OwnerId = null, ModifiedAt = DaysAgo(1) })
        .Deal(new Deal { Id = "d4", OwnerId = "u1", ContactId = "  ", ModifiedAt = DaysAgo(1) });

    [Fact]
    public void Stale_records_were_last_modified_before_the_line_and_the_line_itself_is_not_stale()
    {
        // line = asOf − 365 days. c1 400 days ago: stale. co1 exactly on the line: fresh; co2 1 ms before: stale;
        // co4 modified after asOf: fresh. d2 366 days ago: stale.
        var r = Org().Run(Family);

        Assert.Equal(1, r.Value("stale_records", ("object", "contact")));
        Assert.Equal(1, r.Value("stale_records", ("object", "company")));
        Assert.Equal(1, r.Value("stale_records", ("object", "deal")));
        Assert.Equal(["c1"], r.IssueIds("stale_records", "contact"));
        Assert.Equal(["co2"], r.IssueIds("stale_records", "company"));
        Assert.Equal(["d2"], r.IssueIds("stale_records", "deal"));
        // 2026-03-10 − 365 d = 2025-03-10, − 35 d more = 2025-02-03.
        Assert.Equal("last modified 2025-02-03, more than 365 days ago", r.Issue("stale_records", "c1").Detail);
    }

    [Fact]
    public void Stale_after_days_is_configurable()
    {
        // 9 days: every record modified 10 or more days ago is stale: c1, co1, co2, co3, d2.
        var options = new KpiOptions { DataQuality = new DataQualityOptions { StaleAfterDays = 9 } };
        var r = Org().Run(Family, options);

        Assert.Equal(["c1", "co1", "co2", "co3", "d2"], r.IssueIds("stale_records"));
    }

    [Fact]
    public void Orphans_are_contacts_without_company_deals_without_contact_and_company_and_children_of_missing_parents()
    {
        // contacts: c1 (null), c3 (white space); c4 names a company the mirror lacks but has one: not counted.
        // companies: co3 (parent co-gone); co2's parent co1 exists; co4's parent "" is no parent.
        // deals: d3 (neither), d4 (contact white space, no company).
        var r = Org().Run(Family);

        Assert.Equal(2, r.Value("orphan_records", ("object", "contact")));
        Assert.Equal(1, r.Value("orphan_records", ("object", "company")));
        Assert.Equal(2, r.Value("orphan_records", ("object", "deal")));
        Assert.Equal(["c1", "c3", "co3", "d3", "d4"], r.IssueIds("orphan_records"));
        Assert.Equal(new RecordIssue("orphan_records", "company", "co3", "u1", "Sales", "parent", "parent company 'co-gone' does not exist"),
            r.Issue("orphan_records", "co3"));
    }

    [Fact]
    public void Unowned_and_deactivated_owners_are_counted_per_object_and_integration_users_are_owners()
    {
        // unowned: c2; co2 (""), co4; d3. deactivated owner: c3 (old), co1 (oldbot, a deactivated integration user), d1 (old).
        // c4 (bot, active integration user) and c5 (ghost, unknown) are in neither.
        var r = Org().Run(Family);

        Assert.Equal([1, 2, 1], new[] { "contact", "company", "deal" }.Select(o => r.Value("unowned_records", ("object", o))));
        Assert.Equal([1, 1, 1], new[] { "contact", "company", "deal" }.Select(o => r.Value("records_owned_by_deactivated_users", ("object", o))));
        Assert.Equal(["c2", "co2", "co4", "d3"], r.IssueIds("unowned_records"));
        Assert.Equal(["c3", "co1", "d1"], r.IssueIds("records_owned_by_deactivated_users"));
        Assert.Equal(new RecordIssue("records_owned_by_deactivated_users", "contact", "c3", "old", "Sales", "owner",
            "owner old (Name of old) is deactivated"), r.Issue("records_owned_by_deactivated_users", "c3"));
        Assert.Equal((null, KpiOptions.NoTeam), (r.Issue("unowned_records", "co2").OwnerId, r.Issue("unowned_records", "co2").Team));
    }

    [Fact]
    public void Contacts_without_activity_look_at_occurred_at_in_the_trailing_window_start_excluded()
    {
        // Window (asOf − 180 d, asOf]. c1: only at exactly −180 d (excluded) → counted. c2: 1 ms later → touched.
        // c3: by the integration user yesterday → touched. c4: occurs after asOf → counted.
        // c5: created yesterday but occurred 200 days ago → counted (OccurredAt decides).
        var r = Org()
            .ContactActivity("u1", "c1", DaysAgo(180))
            .ContactActivity("u1", "c2", DaysAgo(180) + TimeSpan.FromMilliseconds(1))
            .ContactActivity("bot", "c3", DaysAgo(1))
            .ContactActivity("u1", "c4", HoursAgo(-1))
            .ContactActivity("u1", "c5", DaysAgo(200), createdAt: DaysAgo(1))
            .Run(Family);

        Assert.Equal(3, r.Value("contacts_without_activity", ("object", "contact")));
        Assert.Equal(["c1", "c4", "c5"], r.IssueIds("contacts_without_activity"));
        Assert.Equal("no activity in 180 days", r.Issue("contacts_without_activity", "c1").Detail);
    }

    [Fact]
    public void No_activity_days_is_configurable()
    {
        // 201 days: c5's activity 200 days ago counts; c1's 180 days ago too. Left: c4 (future only).
        var options = new KpiOptions { DataQuality = new DataQualityOptions { NoActivityDays = 201 } };
        var r = Org()
            .ContactActivity("u1", "c1", DaysAgo(180))
            .ContactActivity("u1", "c2", DaysAgo(1))
            .ContactActivity("u1", "c3", DaysAgo(1))
            .ContactActivity("u1", "c4", HoursAgo(-1))
            .ContactActivity("u1", "c5", DaysAgo(200))
            .Run(Family, options);

        Assert.Equal(["c4"], r.IssueIds("contacts_without_activity"));
    }

    [Fact]
    public void Every_count_equals_its_issues_and_no_records_gives_zeros()
    {
        var r = Org().Run(Family);
        foreach (var sample in r.Samples)
        {
            Assert.Equal(sample.Value, r.Issues.Count(i => i.Kpi == sample.Kpi && i.Object == sample.Dimensions["object"]));
        }

        var empty = new Fixture().Run(Family);
        Assert.Equal(3 * 4 + 1, empty.Samples.Count); // four counts per object + contacts_without_activity
        Assert.All(empty.Samples, s => Assert.Equal(0, s.Value));
    }
}
