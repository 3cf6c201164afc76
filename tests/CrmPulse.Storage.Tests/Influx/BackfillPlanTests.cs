using CrmPulse.Storage.Tests.Postgres;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Influx;

public abstract class BackfillPlanTests(StoreKind kind)
{
    [Fact]
    public async Task The_first_plan_of_a_source_is_kept_so_a_later_resume_finishes_the_same_window()
    {
        using var db = new StoreUnderTest(kind);
        using var store = await db.OpenAsync();

        var first = await store.GetOrCreateBackfillPlanAsync("demo", T0, 90, default);
        var later = await store.GetOrCreateBackfillPlanAsync("demo", T0.AddDays(3), 30, default);
        var other = await store.GetOrCreateBackfillPlanAsync("files", T0.AddDays(3), 30, default);

        Assert.Equal((T0, 90), first);
        Assert.Equal((T0, 90), later);
        Assert.Equal((T0.AddDays(3), 30), other);
    }
}

public sealed class BackfillPlanTestsOnSqlite() : BackfillPlanTests(StoreKind.Sqlite);

public sealed class BackfillPlanTestsOnPostgreSql() : BackfillPlanTests(StoreKind.PostgreSql);
