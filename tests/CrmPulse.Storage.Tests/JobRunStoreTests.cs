using CrmPulse.Storage.Tests.Postgres;

namespace CrmPulse.Storage.Tests;

/// <summary>The runs table (who ran what and when; /api/cluster, the cluster tests' overlap check), on both stores.</summary>
public abstract class JobRunStoreTests(StoreKind kind) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Runs_are_started_finished_and_the_latest_of_each_job_and_source_is_listed()
    {
        using var store = await _db.OpenAsync();
        var runs = (IJobRuns)store;

        var first = await runs.StartRunAsync("sync", "a", "n0", false, T0, None);
        await runs.FinishRunAsync(first, "ok", T0.AddSeconds(2), None);
        var cut = await runs.StartRunAsync("sync", "a", "n1", false, T0.AddSeconds(10), None); // its node died: never finished
        var rerun = await runs.StartRunAsync("sync", "a", "n2", true, T0.AddSeconds(25), None);
        var pass = await runs.StartRunAsync("kpi", "a", "n0", false, T0.AddSeconds(3), None);
        await runs.FinishRunAsync(pass, "not computed", T0.AddSeconds(3.5), None);
        var probe = await runs.StartRunAsync("probe", "billing", "n1", false, T0.AddSeconds(1), None);

        Assert.True(first < cut && cut < rerun);
        Assert.Equal(
        [
            new JobRun(pass, "kpi", "a", "n0", T0.AddSeconds(3), T0.AddSeconds(3.5), "not computed", false),
            new JobRun(rerun, "sync", "a", "n2", T0.AddSeconds(25), null, null, true),
            new JobRun(probe, "probe", "billing", "n1", T0.AddSeconds(1), null, null, false),
        ], await runs.LastRunsAsync(None));
        Assert.Equal(4L, _db.Scalar("SELECT COUNT(*) FROM job_runs WHERE source = 'a'"));
    }

    [Fact]
    public async Task Runs_older_than_seven_days_are_removed_as_new_ones_start()
    {
        using var store = await _db.OpenAsync();
        var runs = (IJobRuns)store;
        await runs.StartRunAsync("sync", "a", "n0", false, T0, None);
        await runs.StartRunAsync("sync", "a", "n0", false, T0.AddDays(6), None);

        await runs.StartRunAsync("kpi", "b", "n1", false, T0.AddDays(7).AddMilliseconds(1), None);

        Assert.Equal(2L, _db.Scalar("SELECT COUNT(*) FROM job_runs"));
        Assert.Equal(T0.AddDays(6), (await runs.LastRunsAsync(None)).Single(r => r.Job == "sync").StartedAt);
    }

    [Fact]
    public async Task A_store_that_is_not_clustered_has_no_members()
    {
        using var store = await _db.OpenAsync();
        Assert.Empty(await ((IJobRuns)store).ClusterMembersAsync(None));
    }
}

public sealed class JobRunStoreTestsOnSqlite() : JobRunStoreTests(StoreKind.Sqlite);

public sealed class JobRunStoreTestsOnPostgreSql() : JobRunStoreTests(StoreKind.PostgreSql);
