using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>The MQL → SQL → opportunity → won funnel by lead source. As-of is 2026-03-10 12:00 UTC.</summary>
public sealed class FunnelKpisTests
{
    private static readonly FunnelKpis Family = new();

    private static Contact Contact(string id, string? source, params (string Stage, double DaysAgo)[] dates) => new()
    {
        Id = id, OwnerId = "a", CreatedAt = DaysAgo(200), LeadSource = source,
        StageDates = dates.Length == 0 ? null : dates.ToDictionary(d => d.Stage, d => DaysAgo(d.DaysAgo)),
    };

    /// <summary>Contacts with lifecycle history (hand-walked in the first test).</summary>
    private static Fixture History() => new Fixture()
        .User("a", "Sales")
        // k1 (Web): mql 100 days ago, sql 80 days ago.
        .Contact(Contact("k1", "Web", ("mql", 100), ("sql", 80)))
        // k2 (Web): came in as sql 50 days ago (passes through mql then); a deal naming it created 40 days ago, won 10 days ago.
        .Contact(Contact("k2", "Web", ("sql", 50)))
        .Deal(new Deal { Id = "dk2", ContactId = "k2", CreatedAt = DaysAgo(40), IsClosed = true, IsWon = true, ClosedAt = DaysAgo(10) })
        // k3 (no source: unknown): mql 20 days ago.
        .Contact(Contact("k3", null, ("mql", 20)))
        // k4: mql in 5 days: not in the funnel at as-of.
        .Contact(Contact("k4", "Web", ("mql", -5)))
        // k5 (" Event "): mql 30 days ago, opportunity 25 days ago (through sql).
        .Contact(Contact("k5", " Event ", ("mql", 30), ("opportunity", 25)))
        // k6: a customer without dates: on the history basis only dates count.
        .Contact(new Contact { Id = "k6", LifecycleStage = "customer", CreatedAt = DaysAgo(300) })
        // k7: mql 10 days ago, and an open deal naming it created tomorrow (not yet an opportunity).
        .Contact(Contact("k7", "Event", ("mql", 10)))
        .Deal(new Deal { Id = "dk7", ContactId = "k7", CreatedAt = DaysAgo(-1) })
        // A deal naming a contact the mirror does not hold counts nowhere.
        .Deal(new Deal { Id = "dx", ContactId = "nobody", CreatedAt = DaysAgo(5) });

    [Fact]
    public void Stages_from_history_count_contacts_that_reached_them_or_a_later_one()
    {
        var r = History().Run(Family);

        // mql: k1, k2, k3, k5, k7; sql: k1, k2, k5; opportunity: k2, k5; won: k2.
        Assert.Equal(["k1", "k2", "k3", "k5", "k7"], r.IssueIds("funnel_stage_records", "contact", "mql"));
        Assert.Equal(["k1", "k2", "k5"], r.IssueIds("funnel_stage_records", "contact", "sql"));
        Assert.Equal(["k2", "k5"], r.IssueIds("funnel_stage_records", "contact", "opportunity"));
        Assert.Equal(["k2"], r.IssueIds("funnel_stage_records", "contact", "won"));
        foreach (var (stage, n) in new[] { ("mql", 5), ("sql", 3), ("opportunity", 2), ("won", 1) })
            Assert.Equal(n, r.Value("funnel_stage_records", ("stage", stage)));
        foreach (var (stage, n) in new[] { ("mql", 2), ("sql", 2), ("opportunity", 1), ("won", 1) })
            Assert.Equal(n, r.Value("funnel_stage_records", ("stage", stage), ("lead_source", "Web")));
        foreach (var (stage, n) in new[] { ("mql", 2), ("sql", 1), ("opportunity", 1), ("won", 0) })
            Assert.Equal(n, r.Value("funnel_stage_records", ("stage", stage), ("lead_source", "Event")));
        Assert.Equal(1, r.Value("funnel_stage_records", ("stage", "mql"), ("lead_source", FunnelKpis.UnknownSource)));
        Assert.Equal(0, r.Value("funnel_stage_records", ("stage", "sql"), ("lead_source", FunnelKpis.UnknownSource)));
        Assert.All(r.Samples, s => Assert.Equal(FunnelKpis.HistoryBasis, s.Basis));
        Assert.Equal("mql since 2026-01-19, lead source Web", r.Issues.Single(i => i.RecordId == "k2" && i.Field == "mql").Detail);
        Assert.Equal("won since 2026-02-28, lead source Web", r.Issues.Single(i => i.RecordId == "k2" && i.Field == "won").Detail);
        Assert.Equal("Sales", r.Issues.Single(i => i.RecordId == "k1" && i.Field == "sql").Team);
    }

    [Fact]
    public void Conversion_is_the_next_stage_over_the_stage_and_is_left_out_when_nobody_reached_the_stage()
    {
        var r = History().Run(Family);

        Assert.Equal(3.0 / 5, r.Value("funnel_conversion_ratio", ("stage", "mql_to_sql")));
        Assert.Equal(2.0 / 3, r.Value("funnel_conversion_ratio", ("stage", "sql_to_opportunity")));
        Assert.Equal(1.0 / 2, r.Value("funnel_conversion_ratio", ("stage", "opportunity_to_won")));
        Assert.Equal(1.0 / 5, r.Value("funnel_conversion_ratio", ("stage", "mql_to_won")));
        Assert.Equal(1, r.Value("funnel_conversion_ratio", ("stage", "mql_to_sql"), ("lead_source", "Web")));
        Assert.Equal(0.5, r.Value("funnel_conversion_ratio", ("stage", "sql_to_opportunity"), ("lead_source", "Web")));
        Assert.Equal(0.5, r.Value("funnel_conversion_ratio", ("stage", "mql_to_won"), ("lead_source", "Web")));
        Assert.Equal(0.5, r.Value("funnel_conversion_ratio", ("stage", "mql_to_sql"), ("lead_source", "Event")));
        Assert.Equal(0, r.Value("funnel_conversion_ratio", ("stage", "opportunity_to_won"), ("lead_source", "Event")));
        // unknown: one mql, no sql: mql_to_sql and mql_to_won are 0, the later conversions have nobody to convert.
        Assert.Equal(["lead_source=unknown,stage=mql_to_sql", "lead_source=unknown,stage=mql_to_won"],
            r.KeysOf("funnel_conversion_ratio").Where(k => k.StartsWith("lead_source=unknown", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_any_stage_dates_the_current_lifecycle_stage_is_read_as_a_snapshot()
    {
        var r = new Fixture()
            .Contact(new Contact { Id = "s1", LifecycleStage = "Marketing Qualified Lead", LeadSource = "Ads", CreatedAt = DaysAgo(9) })
            .Contact(new Contact { Id = "s2", LifecycleStage = "salesqualifiedlead", LeadSource = "Ads", CreatedAt = DaysAgo(9) })
            .Contact(new Contact { Id = "s3", LifecycleStage = "customer", CreatedAt = DaysAgo(9) })
            .Contact(new Contact { Id = "s4", LifecycleStage = "lead", LeadSource = "Ads", CreatedAt = DaysAgo(9) })
            .Contact(new Contact { Id = "s5", LifecycleStage = "opportunity", LeadSource = "Ads", CreatedAt = DaysAgo(-1) })
            .Contact(new Contact { Id = "s6", CreatedAt = DaysAgo(9) })
            .Run(Family);

        // s1 mql; s2 mql, sql; s3 (unknown) all four; s4 before the funnel; s5 created after as-of; s6 no stage.
        foreach (var (stage, n) in new[] { ("mql", 3), ("sql", 2), ("opportunity", 1), ("won", 1) })
            Assert.Equal(n, r.Value("funnel_stage_records", ("stage", stage)));
        Assert.Equal(2, r.Value("funnel_stage_records", ("stage", "mql"), ("lead_source", "Ads")));
        Assert.Equal(0, r.Value("funnel_stage_records", ("stage", "opportunity"), ("lead_source", "Ads")));
        Assert.Equal(1, r.Value("funnel_stage_records", ("stage", "won"), ("lead_source", FunnelKpis.UnknownSource)));
        Assert.Equal(2.0 / 3, r.Value("funnel_conversion_ratio", ("stage", "mql_to_sql")));
        Assert.All(r.Samples, s => Assert.Equal(FunnelKpis.SnapshotBasis, s.Basis));
        Assert.Equal("current lifecycle stage salesqualifiedlead, lead source Ads", r.Issues.Single(i => i.RecordId == "s2" && i.Field == "sql").Detail);
    }

    [Fact]
    public void An_empty_org_has_four_zero_stages_and_no_ratio()
    {
        var r = new Fixture().Run(Family);

        Assert.Equal(["stage=mql", "stage=opportunity", "stage=sql", "stage=won"], r.KeysOf("funnel_stage_records"));
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
        Assert.DoesNotContain(r.Samples, s => s.Kpi == "funnel_conversion_ratio");
        Assert.Empty(r.Issues);
    }

    [Fact]
    public void A_contact_listed_twice_counts_once()
    {
        var r = new Fixture().Contact(Contact("k", "Web", ("mql", 3))).Contact(Contact("k", "Web", ("mql", 3))).Run(Family);

        Assert.Equal(1, r.Value("funnel_stage_records", ("stage", "mql")));
        Assert.Single(r.Issues);
    }

    [Theory]
    [InlineData("marketingqualifiedlead", 0)]
    [InlineData("MQL", 0)]
    [InlineData("sales-qualified_lead", 1)]
    [InlineData("Opportunity", 2)]
    [InlineData("evangelist", 3)]
    [InlineData("subscriber", null)]
    [InlineData(" ", null)]
    public void Lifecycle_stage_names_map_to_funnel_stages(string name, int? stage) => Assert.Equal(stage, FunnelKpis.StageOf(name));
}
