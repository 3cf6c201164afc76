using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Large writes: the WAL is truncated after them, and a cancelled one rolls back whole. A file that could not
/// be written for a while is written again as soon as it can be.</summary>
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

    /// <summary>
    /// SQLite opens an immutable file read-only without an error, and a pooled connection stays read-only for its life.
    /// Reads made while the file could not be written leave such connections in the pool; the first write after the file
    /// is writable again must not get one of them (it did: every pass then failed with "attempt to write a readonly
    /// database" until the pool happened to drop them).
    /// </summary>
    [Fact]
    public async Task Connections_opened_while_the_file_was_read_only_are_not_reused_for_writes_once_it_is_writable()
    {
        using var store = await _db.OpenAsync();
        await store.CommitPassAsync("a", T0, LargePass(T0, 3), CancellationToken.None);
        var files = new[] { _db.Path, _db.Path + "-wal" }.Where(File.Exists).ToArray();

        Chattr("+i", files);
        try
        {
            // The first write on a connection opened while the file was writable: an I/O error on the WAL.
            var first = await Assert.ThrowsAsync<StoreWriteException>(() =>
                store.CommitPassAsync("a", T0.AddMinutes(30), LargePass(T0.AddMinutes(30), 4), CancellationToken.None));
            Assert.Contains("cannot be written", first.Message);
            // Connections opened now are read-only (SQLite falls back to read-only without an error) and go back to the
            // store's pool when closed, as those of the API's reads and the alert evaluation do.
            var readOnly = Enumerable.Range(0, 4).Select(_ =>
            {
                var connection = new Microsoft.Data.Sqlite.SqliteConnection(store.ConnectionString);
                connection.Open();
                return connection;
            }).ToList();
            // The first may be the pooled one from before, opened read-write; the others are new.
            Assert.True(readOnly.Count(c => SQLitePCL.raw.sqlite3_db_readonly(c.Handle, "main") == 1) >= 3);
            readOnly.ForEach(c => c.Dispose());
            var failed = await Assert.ThrowsAsync<StoreWriteException>(() =>
                store.CommitPassAsync("a", T0.AddHours(1), LargePass(T0.AddHours(1), 4), CancellationToken.None));
            Assert.Contains("cannot be written", failed.Message);
        }
        finally
        {
            Chattr("-i", files);
        }

        // The very next write is stored.
        await store.CommitPassAsync("a", T0.AddHours(2), LargePass(T0.AddHours(2), 5), CancellationToken.None);
        Assert.Null(store.WriteFailure);
        Assert.Equal(5, (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1), CancellationToken.None)).Total);
    }

    /// <summary>
    /// The end-to-end test makes the file and then its -wal writable again, one chattr after the other. A connection that
    /// opened between the two has a read-write database file but a read-only -wal handle for its life, and
    /// sqlite3_db_readonly (which looks at the database file only) calls it writable: in CI such a connection came back
    /// from the pool to every pass, each failing with "attempt to write a readonly database" for the whole minute.
    /// </summary>
    [Fact]
    public async Task A_connection_that_opened_the_wal_while_it_was_read_only_is_not_used_for_writes_once_it_is_writable()
    {
        using var store = await _db.OpenAsync();
        await store.CommitPassAsync("a", T0, LargePass(T0, 3), CancellationToken.None);
        var wal = _db.Path + "-wal";

        Chattr("+i", [_db.Path, wal]);
        try
        {
            Chattr("-i", [_db.Path]);
            // A fresh connection now (the pool was dropped, as a write's failure or the pool's pruning does), whose
            // first statement opens the -wal read-only; it goes back to the pool, first in line for the next write.
            using (var pooled = new Microsoft.Data.Sqlite.SqliteConnection(store.ConnectionString))
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
                pooled.Open();
                using var read = pooled.CreateCommand();
                read.CommandText = "SELECT count(*) FROM samples";
                Assert.Equal(1L, read.ExecuteScalar());
                Assert.Equal(0, SQLitePCL.raw.sqlite3_db_readonly(pooled.Handle, "main"));
            }
        }
        finally
        {
            Chattr("-i", [_db.Path, wal]);
        }

        // Everything is writable again: the very next write is stored.
        await store.CommitPassAsync("a", T0.AddHours(1), LargePass(T0.AddHours(1), 4), CancellationToken.None);
        Assert.Null(store.WriteFailure);
        Assert.Equal(4, (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1), CancellationToken.None)).Total);
    }

    /// <summary>chattr +i / -i: immutable, so even root cannot write the file. Needs root on ext4, as the CI machine is.</summary>
    private static void Chattr(string flag, string[] files)
    {
        foreach (var file in files)
        {
            using var chattr = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/chattr", [flag, file])
            {
                RedirectStandardError = true,
            })!;
            var error = chattr.StandardError.ReadToEnd();
            chattr.WaitForExit();
            if (chattr.ExitCode != 0) throw new InvalidOperationException($"chattr {flag} {file} failed ({error.Trim()}): this test needs root on ext4.");
        }
    }
}
