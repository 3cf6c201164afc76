using CrmPulse.Core.Kpis;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class UserActivityIndexTests
{
    [Fact]
    public void The_index_is_built_once_per_context_and_shared_by_the_families()
    {
        var snapshot = new Fixture().User("a").Login("a", HoursAgo(1)).Snapshot();
        var context = new KpiContext(snapshot, AsOf, new KpiOptions());

        Assert.Same(UserActivityIndex.For(context), UserActivityIndex.For(context));
        Assert.NotSame(UserActivityIndex.For(context), UserActivityIndex.For(new KpiContext(snapshot, AsOf, new KpiOptions())));
    }

    [Fact]
    public void Events_of_ids_that_are_not_users_are_skipped()
    {
        // "ghost" is in no user list: its login and activity neither fail nor create stats.
        var snapshot = new Fixture().User("a").Login("ghost", HoursAgo(1)).Activity("ghost", HoursAgo(1)).Snapshot();
        var index = UserActivityIndex.For(new KpiContext(snapshot, AsOf, new KpiOptions()));

        Assert.Null(index.LastSeen("ghost"));
        Assert.False(index.IsActive("ghost", TimeSpan.FromDays(30)));
        Assert.Equal((0, 0), (index.StatsOf("ghost").Logins30d, index.StatsOf("ghost").Activities30d));
        Assert.Equal("login", index.Basis);
    }
}
