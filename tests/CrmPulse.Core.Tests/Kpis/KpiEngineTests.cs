using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>The engine runs the families on several cores and finds the duplicate clusters beside them: its result
/// must be exactly what the families give one after another in catalog order.</summary>
public sealed class KpiEngineTests
{
    private static CrmSnapshot Org() => new Fixture()
        .User("u1", "Sales").User("u2", "Support").User("old", active: false)
        .Login("u1", HoursAgo(3))
        .Contact(new Contact { Id = "c1", FirstName = "Ann", LastName = "Lee", Email = "ann.lee@acme.com", Phone = "+1 415 555 0001",
            CompanyId = "co1", OwnerId = "u1", LifecycleStage = "Lead", IsLead = true, CreatedAt = DaysAgo(2), ModifiedAt = DaysAgo(1) })
        .Contact(new Contact { Id = "c2", FirstName = "Ann", LastName = "Lee", Email = "ANN.LEE@acme.com ", Phone = "415-555-0001",
            CompanyId = "co1", OwnerId = "u2", LifecycleStage = "lead", CreatedAt = DaysAgo(1), ModifiedAt = DaysAgo(1) })
        .Contact(new Contact { Id = "c3", Email = "x@y", Phone = "12", OwnerId = "old", ModifiedAt = DaysAgo(500) })
        .Company(new Company { Id = "co1", Name = "Acme Inc", Industry = "IT", OwnerId = "u1", ModifiedAt = DaysAgo(1) })
        .Company(new Company { Id = "co2", Name = "ACME", Industry = "it", ParentId = "nope", ModifiedAt = DaysAgo(800) })
        .Deal(new Deal { Id = "d1", Stage = "qualified", OwnerId = "u1", ContactId = "c1", CreatedAt = DaysAgo(90),
            CloseDate = DateOnly.FromDateTime(DaysAgo(5).UtcDateTime), ModifiedAt = DaysAgo(1) })
        .Deal(new Deal { Id = "d2", Stage = "closedlost", IsClosed = true, OwnerId = "u2", CreatedAt = DaysAgo(40), ClosedAt = DaysAgo(3),
            ModifiedAt = DaysAgo(3) })
        .ContactActivity("u1", "c1", HoursAgo(20))
        .Activity(new Activity("t1", ActivityType.Task, "u2", DaysAgo(4), DaysAgo(4), DaysAgo(4), DueAt: DaysAgo(1)))
        .Snapshot();

    [Fact]
    public void A_pass_equals_the_families_run_one_after_another_in_catalog_order()
    {
        var snapshot = Org();
        var context = new KpiContext(snapshot, AsOf, new KpiOptions());
        var expected = new KpiOutput(snapshot.Source, AsOf);
        foreach (var family in KpiCatalog.Families) family.Compute(context, expected);
        Assert.Contains(expected.Issues, i => i.Kpi == "removable_duplicates"); // the clusters are part of the pass

        // Several times: the order must not depend on which core finishes first.
        for (var run = 0; run < 10; run++)
        {
            var result = KpiEngine.Compute(snapshot, AsOf, new KpiOptions());
            Assert.Equal(expected.Samples.Select(Row), result.Samples.Select(Row));
            Assert.Equal(expected.Issues, result.Issues);
            Assert.Equal(expected.Users, result.Users);
        }
    }

    [Fact]
    public void A_shared_finding_is_built_once_when_families_ask_for_it_at_the_same_time()
    {
        var context = new KpiContext(Org(), AsOf, new KpiOptions());
        var builds = 0;
        var seen = new object[16];
        Parallel.For(0, seen.Length, i => seen[i] = context.Shared("finding", () =>
        {
            Interlocked.Increment(ref builds);
            return new object();
        }));

        Assert.Equal(1, builds);
        Assert.All(seen, s => Assert.Same(seen[0], s));
    }

    private static string Row(KpiSample s) => $"{s.Kpi} {s.Dimensions.Key} {s.Value} {s.Basis}";

    [Fact]
    public void A_cancelled_pass_stops_with_the_cancellation_and_returns_no_result()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => KpiEngine.Compute(Org(), AsOf, new KpiOptions(), cancellationToken: cancelled.Token));
        Assert.NotEmpty(KpiEngine.Compute(Org(), AsOf, new KpiOptions(), cancellationToken: CancellationToken.None).Samples);
    }
}
