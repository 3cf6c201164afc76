using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>The drill-down promise: a data-quality KPI with issues is a count, and each of its samples equals the
/// number of its issues with the sample's object (and field, when the KPI has that dimension).</summary>
public sealed class DataQualityIssueCountsTests
{
    [Fact]
    public void Every_issue_kind_is_a_count_kpi_whose_samples_equal_their_issues()
    {
        var snapshot = new Fixture()
            .User("u1", "Sales").User("old", active: false)
            .Contact(new Contact { Id = "c1", Email = "x@y", Phone = "12", LifecycleStage = "Lead", OwnerId = "old", ModifiedAt = DaysAgo(500) })
            .Contact(new Contact { Id = "c2", Email = "a@x.com", LifecycleStage = "lead", CompanyId = "co1", OwnerId = "u1", ModifiedAt = DaysAgo(1) })
            .Contact(new Contact { Id = "c3", Email = "a@x.com", LifecycleStage = "lead", ModifiedAt = DaysAgo(1) })
            .Company(new Company { Id = "co1", Industry = "IT", ParentId = "nope", ModifiedAt = DaysAgo(800) })
            .Company(new Company { Id = "co2", Industry = "it", OwnerId = "u1", Domain = "x.com", ModifiedAt = DaysAgo(1) })
            .Deal(new Deal { Id = "d1", Stage = "won", ModifiedAt = DaysAgo(1) })
            .ContactActivity("u1", "c2", DaysAgo(3))
            .Snapshot();
        var result = KpiEngine.Compute(snapshot, AsOf, new KpiOptions());

        Assert.NotEmpty(result.Issues);
        // Pipeline and outcome issues (by team, with a roll-up) have their own count tests.
        foreach (var kind in result.Issues.Select(i => i.Kpi).Distinct().Where(k => KpiCatalog.Get(k).Family == KpiFamily.DataQuality))
        {
            var definition = KpiCatalog.Get(kind);
            Assert.Equal("count", definition.Unit);
            var samples = result.Samples.Where(s => s.Kpi == kind).ToList();
            Assert.NotEmpty(samples);
            foreach (var sample in samples)
            {
                var count = result.Issues.Count(i => i.Kpi == kind && i.Object == sample.Dimensions["object"]
                    && (!definition.Dimensions.Contains("field") || i.Field == sample.Dimensions["field"]));
                Assert.True(count == sample.Value, $"{kind} {sample.Dimensions.Key}: sample {sample.Value}, issues {count}");
            }
            Assert.Equal(samples.Sum(s => s.Value), result.Issues.Count(i => i.Kpi == kind));
        }
        Assert.All(result.Issues, i => Assert.Equal(i.OwnerId is null ? KpiOptions.NoTeam : i.OwnerId == "u1" ? "Sales" : KpiOptions.NoTeam, i.Team));
    }
}
