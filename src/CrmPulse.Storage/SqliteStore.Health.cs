using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// Whether writes succeed (for /readyz and /api/sources), and the WAL kept to a bounded size.
public sealed partial class SqliteStore : IStoreHealth
{
    /// <summary>
    /// The WAL holds every page a transaction writes until a checkpoint copies them into the database; SQLite then
    /// reuses the file but never shrinks it, so one large sync left a WAL as large as itself (744 MB at 300,000
    /// contacts). A write transaction that leaves the WAL above this size is followed by a checkpoint that truncates it,
    /// and journal_size_limit truncates it to this size whenever the WAL restarts.
    /// </summary>
    internal const long WalLimitBytes = 16L * 1024 * 1024;

    /// <summary>How long the truncating checkpoint waits for readers of older pages (an API request, a snapshot being
    /// loaded) before giving up until the next large write; it holds the write gate meanwhile.</summary>
    private const int CheckpointWaitMilliseconds = 2_000;

    private volatile StoreWriteFailure? _writeFailure;

    /// <inheritdoc />
    public StoreWriteFailure? WriteFailure => _writeFailure;

    /// <summary>The size of the -wal file now (0 when there is none).</summary>
    public long WalBytes => new FileInfo(Path + "-wal") is { Exists: true } wal ? wal.Length : 0;

    /// <summary>
    /// Failures of the database file or its disk, as opposed to a refused statement (a constraint, a bug): no space,
    /// read-only file or folder, I/O error, cannot open, corrupt or not a database, locked beyond the busy timeout.
    /// </summary>
    private static bool IsStoreFailure(SqliteException e) => (e.SqliteErrorCode & 0xFF) switch
    {
        3 or 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26 => true, // PERM, BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB
        _ => false,
    };

    private StoreWriteException WriteFailed(SqliteException e)
    {
        var error = $"the store '{Path}' cannot be written: {e.Message}";
        var now = _time.GetUtcNow();
        _writeFailure = new StoreWriteFailure(error, _writeFailure?.Since ?? now, now);
        return new StoreWriteException(error, e);
    }

    private void WriteSucceeded() => _writeFailure = null;

    /// <summary>Rows inserted, updated or deleted on this connection since it was opened (triggers included).</summary>
    private static long TotalChanges(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT total_changes()";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Checkpoints and truncates the WAL when it has grown beyond <see cref="WalLimitBytes"/>. Best effort: when
    /// readers keep old pages, the WAL stays until a later checkpoint, and journal_size_limit bounds it then.</summary>
    private void BoundWal(SqliteConnection connection)
    {
        if (WalBytes <= WalLimitBytes) return;
        // A short busy timeout for this statement only: OpenConnectionAsync sets the usual one on every open.
        try
        {
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = $"PRAGMA busy_timeout={CheckpointWaitMilliseconds}; PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Busy or out of space: the data is committed; the WAL is bounded at the next restart of the log.
        }
    }
}
