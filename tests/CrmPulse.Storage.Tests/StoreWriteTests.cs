using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Large writes: the WAL is truncated after them, and a cancelled one rolls back whole.</summary>
public sealed class StoreWriteTests : IDisposable
{
    private static readonly Dimensions Contact = Dimensions.Of(("object", "contact"));

    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    /// <summary>A pass with <paramref name="count"/> issues, about 300 bytes each with the issue table's five indexes.</summary>
    private static KpiResult LargePass(DateTimeOffset asOf, int count) => new(
        [new KpiSample("invalid_emails", "a", Contact, count, asOf)], [],
        Enumerable.Range(0, count).Select(i => new RecordIssue("invalid_emails", "contact", $"contact-{i:0000000}", $"u{i % 50}",
            $"Team {i % 7}", "email", $"e-mail 'someone{i}@nowhere' has no dotted domain")).ToList());

    [Fact]
    public async Task The_wal_shrinks_back_after_a_large_write()
    {
        using var store = await _db.OpenAsync();

        await store.CommitPassAsync("a", T0, LargePass(T0, 150_000), CancellationToken.None);

        // The transaction wrote several times the limit (all of it went through the WAL), yet the WAL is back under it.
        var databaseBytes = (long)_db.Scalar("PRAGMA page_count")! * (long)_db.Scalar("PRAGMA page_size")!;
        Assert.True(databaseBytes > 2 * SqliteStore.WalLimitBytes, $"the write was only {databaseBytes} bytes");
        Assert.True(store.WalBytes <= SqliteStore.WalLimitBytes, $"WAL {store.WalBytes} bytes after the write");
        Assert.Equal(150_000, (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task A_pass_cancelled_while_it_is_being_written_stores_nothing_and_the_store_goes_on()
    {
        using var store = await _db.OpenAsync();
        await store.CommitPassAsync("a", T0, LargePass(T0, 3), CancellationToken.None);
        var walBefore = store.WalBytes;
        using var cancel = new CancellationTokenSource();

        // Cancelled once the write has spilled its first megabyte into the WAL: it is half-way through the issues.
        // On its own thread, as a KPI job's: the write runs synchronously once it has the connection.
        var pass = LargePass(T0.AddHours(1), 400_000);
        var write = Task.Run(() => store.CommitPassAsync("a", T0.AddHours(1), pass, cancel.Token));
        while (!write.IsCompleted && store.WalBytes < walBefore + 1024 * 1024) await Task.Delay(1);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        var latest = Assert.Single((await store.LatestValuesAsync(CancellationToken.None)).Values);
        Assert.Equal((3.0, T0), (latest.Sample.Value, latest.Sample.Time));
        Assert.Equal(3, (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1), CancellationToken.None)).Total);
        Assert.Null(store.WriteFailure);
        // The gate and the connection are released: the next pass is stored.
        await store.CommitPassAsync("a", T0.AddHours(2), LargePass(T0.AddHours(2), 4), CancellationToken.None);
        Assert.Equal(4, (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1), CancellationToken.None)).Total);
    }
}
