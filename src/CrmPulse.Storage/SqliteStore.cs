using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

/// <summary>
/// The embedded store: the mirror (records, watermarks, sync state per source) and the ledger (samples, per-user rows)
/// in one SQLite file, in WAL mode. Safe to call from several jobs at once: every operation opens its own pooled
/// connection, and write transactions of this process go one at a time through a gate (so they queue instead of
/// polling on SQLite's busy lock); readers never wait for writers.
/// </summary>
/// <remarks>The mirror half is in SqliteStore.Mirror.cs, the ledger half in SqliteStore.Ledger.cs, KPI passes and
/// latest values in SqliteStore.Passes.cs, write failures and the WAL's size in SqliteStore.Health.cs.</remarks>
public sealed partial class SqliteStore : ICrmStore
{
    /// <summary>How long a statement waits for a lock held by another process (e.g. sqlite3 on the same file).</summary>
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;

    /// <summary>The pooled connections' string (tests open connections from the same pool with it).</summary>
    internal string ConnectionString => _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly TimeProvider _time;
    private bool _disposed;

    private SqliteStore(string path, string connectionString, TimeProvider time)
    {
        Path = path;
        _connectionString = connectionString;
        _time = time;
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Location => Path;

    /// <summary>
    /// Opens (creating the folder and file when missing) the store at <paramref name="path"/> and brings its schema
    /// up to date. Fails with a clear message when the file belongs to a newer CrmPulse or is not a database.
    /// </summary>
    public static Task<SqliteStore> OpenAsync(string path, CancellationToken ct) => OpenAsync(path, Migrations.All, ct);

    /// <summary>Opens as <see cref="OpenAsync(string, CancellationToken)"/>; <paramref name="time"/> stamps write failures.</summary>
    public static Task<SqliteStore> OpenAsync(string path, TimeProvider time, CancellationToken ct) =>
        OpenAsync(path, Migrations.All, ct, time);

    /// <summary>Opens with a given list of migrations (tests use it to play older and newer code).</summary>
    internal static async Task<SqliteStore> OpenAsync(string path, IReadOnlyList<Migration> migrations, CancellationToken ct,
        TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ct.ThrowIfCancellationRequested();
        var fullPath = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        var store = new SqliteStore(fullPath, connectionString, time ?? TimeProvider.System);
        try
        {
            await using var connection = await store.OpenConnectionAsync(ct);
            using (var wal = connection.CreateCommand())
            {
                // Persistent in the file: readers never block the writer and the writer never blocks readers.
                wal.CommandText = "PRAGMA journal_mode=WAL";
                var mode = (string?)wal.ExecuteScalar();
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"Could not switch '{fullPath}' to WAL mode (it stays in '{mode}').");
                }
            }
            Migrations.Apply(connection, migrations, fullPath);
            return store;
        }
        catch (SqliteException e)
        {
            store.Dispose();
            throw new InvalidOperationException($"Cannot open the store '{fullPath}': {e.Message}", e);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens a pooled connection with the per-connection settings.</summary>
    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            using var pragmas = connection.CreateCommand();
            // Per connection, not stored in the file. NORMAL in WAL mode: a power cut may lose the last commits
            // but never corrupts the file, and commits do not wait for fsync.
            // journal_size_limit: once a checkpoint has emptied the WAL, the next writer truncates it to this size
            // instead of reusing a file as large as the largest transaction ever written (see SqliteStore.Health.cs).
            pragmas.CommandText =
                $"PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; " +
                $"PRAGMA journal_size_limit={WalLimitBytes};";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A pooled connection with an IMMEDIATE transaction begun on it. SQLite opens a file it may not write (immutable,
    /// read-only mount, no permission) read-only without an error, and a connection keeps its handles for its life: the
    /// database file's from its opening, the -wal's from its first statement. A connection that met either read-only (a
    /// read while the store could not be written, or between `chattr -i` of the file and of its -wal) fails every write
    /// with "attempt to write a readonly database" after the file is writable again, and came back from the pool to every
    /// pass. sqlite3_db_readonly tells for the database file only; for the -wal, BEGIN IMMEDIATE fails before anything is
    /// written. Either way the whole pool (the connections opened during the fault) is dropped and the transaction begun
    /// once more on a fresh connection, whose failure is then the file's real state.
    /// </summary>
    private async Task<(SqliteConnection, SqliteTransaction)> BeginWriteAsync(CancellationToken ct)
    {
        var connection = await OpenConnectionAsync(ct);
        try
        {
            // Asked first: on a read-only database file BEGIN IMMEDIATE begins a read transaction without an error.
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") != 1)
            {
                return (connection, connection.BeginTransaction(deferred: false));
            }
        }
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) is 8 or 10) // READONLY, IOERR: a fresh connection
        {
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        SqliteConnection.ClearPool(connection);
        await connection.DisposeAsync();
        connection = await OpenConnectionAsync(ct);
        try
        {
            return (connection, connection.BeginTransaction(deferred: false));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one IMMEDIATE transaction on its own connection, committed when it returns,
    /// rolled back when it throws or <paramref name="ct"/> is cancelled first. A failure of the database itself (full
    /// disk, read-only file, I/O error, lock) becomes a <see cref="StoreWriteException"/> and marks the store as failing
    /// until the next write succeeds. After a large transaction the WAL is checkpointed and truncated.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var (connection, transaction) = await BeginWriteAsync(ct);
            await using (connection)
            using (transaction)
            {
                T result;
                bool changed;
                try
                {
                    var changesBefore = TotalChanges(connection);
                    result = work(connection, transaction);
                    ct.ThrowIfCancellationRequested();
                    changed = TotalChanges(connection) != changesBefore;
                    transaction.Commit();
                }
                catch (SqliteException e) when (IsStoreFailure(e))
                {
                    throw WriteFailed(e);
                }
                // Only a write that stored rows shows the store writes again: a transaction with nothing to write
                // commits on a full disk too.
                if (changed) WriteSucceeded();
                BoundWal(connection);
                return result;
            }
        }
        catch (SqliteException e) when (IsStoreFailure(e))
        {
            throw WriteFailed(e); // opening the connection or beginning the transaction failed
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read transaction, so that its queries see one consistent state.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        using var transaction = connection.BeginTransaction(deferred: true);
        return work(connection, transaction);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static object DbValue(object? value) => value ?? DBNull.Value;

    /// <summary>Releases the pooled connections, so the file (and its -wal, -shm) is closed.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CloseVersionConnection();
        // The gate is not disposed: a SemaphoreSlim without a wait handle holds nothing, and a job still finishing
        // must be able to release it.
        using (var connection = new SqliteConnection(_connectionString)) SqliteConnection.ClearPool(connection);
    }
}
