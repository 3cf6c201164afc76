using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DataQualityScoreKpisTests
{
    private static readonly DataQualityScoreKpis Family = new();

    [Fact]
    public void Score_is_the_weighted_mean_of_the_six_components()
    {
        // Contacts (required: email, phone, lifecycle_stage, owner, company):
        //   c1 complete: 5 | c2 an exact copy of c1, created later: 5
        //   c3 e-mail "x@y" (invalid), no phone, stage "Lead " (minority), owner deactivated, no company (orphan): 3
        //   c4 no e-mail, phone "12" (invalid), stage, no owner, company, modified 400 days ago (stale): 3
        // Companies (domain, industry, owner): co1 complete: 3 | co2 domain only, unowned, parent missing (orphan): 1
        // Deals (amount, close_date, stage, owner): d1 complete: 4 | d2 stage and owner, no contact or company (orphan): 2
        // completeness = (16 + 4 + 6) / (20 + 6 + 8) = 26/34
        // validity     = 1 − (1 + 1) / (3 e-mails + 3 phones) = 4/6
        // uniqueness   = 1 − 1 duplicate (c2) / (4 contacts + 2 companies) = 5/6
        // freshness    = 1 − 1 stale (c4) / 8 records = 7/8
        // ownership    = 1 − (2 unowned: c4, co2 + 1 deactivated: c3) / 8 = 5/8
        // consistency  = 1 − |{c3 orphan and minority, co2, d2}| / 8 = 5/8
        var recent = DaysAgo(1);
        Contact Ann(string id, DateTimeOffset created) => new()
        {
            Id = id, FirstName = "Ann", LastName = "Lee", Email = "ann@x.com", Phone = "+1 415 555 0100", LifecycleStage = "lead",
            OwnerId = "u1", CompanyId = "co1", CreatedAt = created, ModifiedAt = recent,
        };
        var r = new Fixture()
            .User("u1", "Sales").User("old", "Sales", active: false)
            .Contact(Ann("c1", DaysAgo(30))).Contact(Ann("c2", DaysAgo(20)))
            .Contact(new Contact { Id = "c3", FirstName = "Bo", LastName = "Ng", Email = "x@y", LifecycleStage = "Lead ", OwnerId = "old", ModifiedAt = recent })
            .Contact(new Contact { Id = "c4", FirstName = "Cy", LastName = "Ok", Phone = "12", LifecycleStage = "lead", CompanyId = "co1", ModifiedAt = DaysAgo(400) })
            .Company(new Company { Id = "co1", Name = "Acme", Domain = "acme.com", Industry = "Software", OwnerId = "u1", ModifiedAt = recent })
            .Company(new Company { Id = "co2", Name = "Beta", Domain = "beta.io", ParentId = "gone", ModifiedAt = recent })
            .Deal(new Deal { Id = "d1", Amount = 100m, CloseDate = new DateOnly(2026, 4, 1), Stage = "open", OwnerId = "u1", CompanyId = "co1", ModifiedAt = recent })
            .Deal(new Deal { Id = "d2", Stage = "open", OwnerId = "u1", ModifiedAt = recent })
            .Run(Family);

        var expected = (30 * 26.0 / 34 + 20 * 4.0 / 6 + 15 * 5.0 / 6 + 15 * 7.0 / 8 + 10 * 5.0 / 8 + 10 * 5.0 / 8) / 100 * 100; // ≈ 74.3995
        Assert.Equal(expected, r.Value("data_quality_score"), 9);
        // The six components beside it, the shares of the line above, so a page can show what moved the score.
        Assert.Equal(
        [
            ("component=completeness", 26.0 / 34), ("component=validity", 4.0 / 6), ("component=uniqueness", 5.0 / 6),
            ("component=freshness", 7.0 / 8), ("component=ownership", 5.0 / 8), ("component=consistency", 5.0 / 8),
        ], r.Samples.Where(s => s.Kpi == "data_quality_component").Select(s => (s.Dimensions.Key, s.Value)));
        Assert.Equal(7, r.Samples.Count);
        Assert.Empty(r.Issues); // the score has no drill-down of its own: its components' KPIs do
    }

    [Fact]
    public void Components_without_a_denominator_are_left_out_of_the_weights()
    {
        // Only d2: completeness 2/4, freshness 1, ownership 1, consistency 0 (orphan); no contacts or companies, so no
        // validity and no uniqueness. score = 100 × (30 × 0.5 + 15 × 1 + 10 × 1 + 10 × 0) / (30 + 15 + 10 + 10) = 4000/65.
        var r = new Fixture()
            .User("u1")
            .Deal(new Deal { Id = "d2", Stage = "open", OwnerId = "u1", ModifiedAt = DaysAgo(1) })
            .Run(Family);

        Assert.Equal(4000.0 / 65, r.Value("data_quality_score"), 9);
        Assert.Equal(["component=completeness", "component=freshness", "component=ownership", "component=consistency"],
            r.Samples.Where(s => s.Kpi == "data_quality_component").Select(s => s.Dimensions.Key));
    }

    [Fact]
    public void No_records_gives_no_score()
    {
        Assert.Empty(new Fixture().User("u1").Run(Family).Samples);
    }

    [Fact]
    public void Weights_sum_to_100()
    {
        Assert.Equal(100, DataQualityScoreKpis.Weights.Values.Sum());
    }

    [Fact]
    public void Score_in_a_full_pass_equals_the_score_alone_and_shared_findings_are_reported_once()
    {
        // The score reads the findings of the other data-quality families from the pass (KpiContext.Shared), so run
        // by the engine after them it must give what it gives alone, and their issues must not be added twice.
        // c1 recent and owned; c4 stale (400 days), unowned, no company (orphan).
        var fixture = new Fixture()
            .User("u1", "Sales")
            .Contact(new Contact { Id = "c1", FirstName = "Ann", LastName = "Lee", Email = "ann@x.com", OwnerId = "u1", CompanyId = "co1", ModifiedAt = DaysAgo(1) })
            .Contact(new Contact { Id = "c4", FirstName = "Cy", LastName = "Ok", Phone = "12", ModifiedAt = DaysAgo(400) })
            .Company(new Company { Id = "co1", Name = "Acme", OwnerId = "u1", ModifiedAt = DaysAgo(1) });

        var alone = fixture.Run(Family).Value("data_quality_score");
        var pass = KpiEngine.Compute(fixture.Snapshot(), AsOf, new KpiOptions());

        Assert.Equal(alone, pass.Samples.Single(s => s.Kpi == "data_quality_score").Value, 12);
        Assert.Equal("c4", Assert.Single(pass.Issues, i => i.Kpi == "stale_records").RecordId);
        Assert.Equal("c4", Assert.Single(pass.Issues, i => i.Kpi == "unowned_records").RecordId);
        Assert.Equal("c4", Assert.Single(pass.Issues, i => i.Kpi == "orphan_records").RecordId);
        Assert.Equal("c4", Assert.Single(pass.Issues, i => i.Kpi == "invalid_phones").RecordId);
    }
}
