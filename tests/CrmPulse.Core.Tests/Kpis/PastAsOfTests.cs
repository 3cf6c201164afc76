using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>Backfill: KPIs computed for a past as-of see only what existed then.</summary>
public sealed class PastAsOfTests
{
    private static readonly DateTimeOffset Past = DaysAgo(5);

    // u1 created 10 days ago, u2 2 days ago (after Past), u3 without a creation time.
    // u1 logged in 6 days ago (in Past's week), u2 and u3 yesterday (after Past).
    private static Fixture Org() => new Fixture()
        .User("u1", "Sales", createdAt: DaysAgo(10)).User("u2", "Sales", createdAt: DaysAgo(2)).User("u3", "Support")
        .Login("u1", DaysAgo(6)).Login("u2", DaysAgo(1)).Login("u3", DaysAgo(1))
        .Activities(3, "u1", DaysAgo(6)).Activities(4, "u1", DaysAgo(1))
        .Contact(new Contact { Id = "c1", OwnerId = "u1", CreatedAt = DaysAgo(7), ModifiedAt = DaysAgo(7) })
        .Contact(new Contact { Id = "c2", OwnerId = "u1", CreatedAt = DaysAgo(1), ModifiedAt = DaysAgo(1) })
        .Deal(new Deal { Id = "d1", OwnerId = "u1", CreatedAt = DaysAgo(8), ModifiedAt = DaysAgo(1), IsClosed = true, IsWon = true, ClosedAt = DaysAgo(1) })
        .Deal(new Deal { Id = "d2", OwnerId = "u1", CreatedAt = DaysAgo(3), ModifiedAt = DaysAgo(3) });

    [Fact]
    public void Users_created_after_a_past_as_of_are_not_licensed_then()
    {
        var context = new KpiContext(Org().Snapshot(), Past, new KpiOptions());

        Assert.Equal(["u1", "u3"], context.Licensed.Select(u => u.Id));
        Assert.Equal(["u1", "u2", "u3"], new KpiContext(Org().Snapshot(), AsOf, new KpiOptions()).Licensed.Select(u => u.Id));
    }

    [Fact]
    public void Past_adoption_ratios_use_the_licensed_users_of_that_day()
    {
        var r = KpiEngine.Compute(Org().Snapshot(), Past, new KpiOptions(), rebuildableOnly: true);

        // At Past: licensed u1, u3; only u1 logged in within 7 days (6 days ago = 1 day before Past) → 1 / 2.
        Assert.Equal(0.5, r.Value("weekly_active_ratio"));
        Assert.Equal(1, r.Value("users_never_logged_in")); // u3: the login yesterday is after Past
    }

    [Fact]
    public void Every_rebuildable_kpi_at_a_past_as_of_equals_its_value_on_the_records_that_existed_then()
    {
        var full = Org().Snapshot();
        // The same org as it was at Past: nothing created, logged or closed later.
        var then = full with
        {
            Users = full.Users.Where(u => u.CreatedAt is null || u.CreatedAt <= Past).ToList(),
            Logins = full.Logins.Where(l => l.At <= Past).ToList(),
            Activities = full.Activities.Where(a => a.CreatedAt <= Past).ToList(),
            Contacts = full.Contacts.Where(c => c.CreatedAt <= Past).ToList(),
            Deals = full.Deals.Where(d => d.CreatedAt <= Past).Select(d => d.ClosedAt > Past ? d with { IsClosed = false, IsWon = false, ClosedAt = null } : d).ToList(),
        };

        var rebuilt = KpiEngine.Compute(full, Past, new KpiOptions(), rebuildableOnly: true).Samples;
        var truth = KpiEngine.Compute(then, Past, new KpiOptions(), rebuildableOnly: true).Samples;

        Assert.NotEmpty(rebuilt);
        Assert.All(rebuilt, s => Assert.True(KpiCatalog.Get(s.Kpi).Rebuildable, s.Kpi));
        Assert.Equal(truth.Select(s => $"{s.Kpi} {s.Dimensions.Key} {s.Value} {s.Basis}").Order(),
            rebuilt.Select(s => $"{s.Kpi} {s.Dimensions.Key} {s.Value} {s.Basis}").Order());
    }
}
