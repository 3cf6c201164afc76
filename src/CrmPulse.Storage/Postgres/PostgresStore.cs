using System.Data;
using CrmPulse.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

/// <summary>
/// The store on PostgreSQL, for several CrmPulse nodes sharing one database: the same tables, semantics and
/// transactions as <see cref="SqliteStore"/>. Every operation takes a pooled connection of its own; writes run in one
/// READ COMMITTED transaction each, reads in one REPEATABLE READ, READ ONLY transaction (one consistent snapshot, as a
/// SQLite read transaction). What SQLite's single writer gave for free is explicit here: appends to the ledger queue on
/// the ledger_version row (so they commit in sequence order and the outbox skips nothing), and the applies of one
/// source's mirror queue on an advisory lock of that source.
/// </summary>
/// <remarks>The mirror is in PostgresStore.Mirror.cs, the ledger and KPI passes in PostgresStore.Ledger.cs, issues,
/// alerts, deliveries, the outbox and backfill in PostgresStore.Other.cs. Bulk rows (mirror upserts, samples, user rows,
/// issues) go in by binary COPY.</remarks>
public sealed partial class PostgresStore : ICrmStore
{
    private readonly NpgsqlDataSource _data;
    private readonly TimeProvider _time;
    private volatile StoreWriteFailure? _writeFailure;
    private bool _disposed;

    private PostgresStore(NpgsqlDataSource data, string location, TimeProvider time)
    {
        _data = data;
        Location = location;
        _time = time;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public StoreWriteFailure? WriteFailure => _writeFailure;

    /// <summary>
    /// Test seam: called inside the apply transaction after each step ("upserts", "deletions", "complete-kinds",
    /// "watermarks", "sync-state"); throwing from it must leave the mirror as it was.
    /// </summary>
    internal Action<string>? ApplyStepHook { get; set; }

    /// <summary>Null when <paramref name="connectionString"/> can be used, else what is wrong with it (never its value:
    /// it holds a password).</summary>
    public static string? CheckConnectionString(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host) ? "it names no Host." : null;
        }
        catch (ArgumentException e)
        {
            return $"it is not a valid Npgsql connection string ({e.Message.Split('\n')[0]}).";
        }
    }

    /// <summary>Host, port and database of a connection string, for messages (never the user's password).</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
    }

    /// <summary>Connects, and brings the schema up to date (nodes starting together migrate one at a time).</summary>
    public static Task<PostgresStore> OpenAsync(string connectionString, TimeProvider time, CancellationToken ct) =>
        OpenAsync(connectionString, PostgresMigrations.All, time, ct);

    internal static async Task<PostgresStore> OpenAsync(string connectionString, IReadOnlyList<Migration> migrations, TimeProvider time,
        CancellationToken ct)
    {
        if (CheckConnectionString(connectionString) is { } problem) throw new InvalidOperationException($"The connection string: {problem}");
        var location = Describe(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "crmpulse";
        var store = new PostgresStore(builder.Build(), location, time);
        try
        {
            await using var connection = await store._data.OpenConnectionAsync(ct);
            await PostgresMigrations.ApplyAsync(connection, migrations, location, ct);
            return store;
        }
        catch (NpgsqlException e)
        {
            store.Dispose();
            throw new InvalidOperationException($"Cannot open the store on {location}: {e.Message}", e);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns, rolled back when it throws or
    /// <paramref name="ct"/> is cancelled first. A failure of the database itself (unreachable, disk full, read-only,
    /// shutting down) becomes a <see cref="StoreWriteException"/> and marks the store as failing until a write succeeds.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            await using var connection = await _data.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            var result = await work(connection, transaction);
            ct.ThrowIfCancellationRequested();
            await transaction.CommitAsync(ct);
            _writeFailure = null;
            return result;
        }
        catch (NpgsqlException e) when (IsStoreFailure(e))
        {
            var error = $"the store ({Location}) cannot be written: {e.Message}";
            var now = _time.GetUtcNow();
            _writeFailure = new StoreWriteFailure(error, _writeFailure?.Since ?? now, now);
            throw new StoreWriteException(error, e);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one read-only snapshot, so that its queries see one consistent state.</summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await _data.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction)) await readOnly.ExecuteNonQueryAsync(ct);
        return await work(connection, transaction);
    }

    /// <summary>
    /// Failures of the server or the way to it, as opposed to a refused statement (a constraint, a bug): no connection,
    /// insufficient resources (disk full), operator intervention (shutdown), system errors, a read-only server.
    /// </summary>
    private static bool IsStoreFailure(NpgsqlException e) => e is not PostgresException pg
        || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
        || pg.SqlState.StartsWith("57", StringComparison.Ordinal) || pg.SqlState.StartsWith("58", StringComparison.Ordinal)
        || pg.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction;

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        new(sql, connection, transaction);

    /// <summary>Adds a typed parameter (typed so that a null compares as its column's type).</summary>
    private static NpgsqlParameter Param(NpgsqlCommand command, string name, NpgsqlDbType type, object? value = null)
    {
        var parameter = new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value };
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? OptionalTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : FromUnixMs(reader.GetInt64(ordinal));

    private static string? OptionalString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Large writes check for cancellation every this many rows, so a stopping daemon rolls back at once.</summary>
    private const int CancelCheckRows = 1024;

    /// <summary>Closes the pool's connections.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _data.Dispose();
    }
}
