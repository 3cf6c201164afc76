using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

/// <summary>A table the copy knows: its name and, when PostgreSQL numbers its rows, the identity column whose sequence
/// must continue after the copied numbers.</summary>
internal sealed record CopiedTable(string Name, string? Identity = null);

/// <summary>What one table held and how long it took.</summary>
public sealed record CopiedTableCount(string Table, long Rows, TimeSpan Elapsed);

/// <summary>The target already holds rows: the copy refuses (unless forced), naming what is there.</summary>
public sealed class StoreCopyRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// crmpulse store copy --to-postgres: moves a SQLite store into PostgreSQL whole. Every table of the store is copied
/// row for row, by binary COPY, in ONE PostgreSQL transaction (a failure or Ctrl+C leaves the target as it was): the
/// mirror, sync state, ledger samples and per-user passes with their sequence numbers (so the InfluxDB outbox cursors
/// stay valid, and PostgreSQL numbers new rows after them), latest values, issues, alert states, deliveries, stored
/// audits, outbox cursors and parked batches, and backfill progress. The source is read in one SQLite read transaction
/// (one consistent state, even if a daemon still writes to it).
/// </summary>
/// <remarks>
/// A table a later migration adds to both stores is one line in <see cref="Tables"/>: its columns are read from both
/// schemas and must match by name, and each value is written as its PostgreSQL column's type. The copy refuses a SQLite
/// table it does not list (nothing is left behind silently), and a column one side lacks.
/// </remarks>
public static class SqliteToPostgres
{
    /// <summary>Every data table, in copy order (a table before those that reference it).</summary>
    internal static readonly IReadOnlyList<CopiedTable> Tables =
    [
        new("mirror_records"),
        new("mirror_watermarks"),
        new("sync_state"),
        new("samples", Identity: "seq"),
        new("series_latest"),
        new("user_passes", Identity: "pass"),
        new("user_rows"),
        new("issues"),
        new("latest_values"),
        new("ledger_version"),
        new("outbox_cursor"),
        new("outbox_parked", Identity: "id"),
        new("backfill_plans"),
        new("backfill_steps"),
        new("alert_instances"),
        new("alert_deliveries", Identity: "id"),
        new("report_deliveries", Identity: "id"),
        new("audits", Identity: "id"),
        new("dedupe_states"),
        new("dedupe_records"),
        new("dedupe_links"),
        new("dedupe_clusters"),
        new("job_runs", Identity: "id"),
    ];

    /// <summary>SQLite tables that are not the store's data: each store records its own migrations.</summary>
    private static readonly string[] NotCopied = ["schema_version"];

    /// <summary>ledger_version always has its one row; it says nothing about whether the target is in use.</summary>
    private const string LedgerVersion = "ledger_version";

    /// <summary>How often a table's copy reports its progress and checks for cancellation.</summary>
    private const int ProgressRows = 250_000;

    /// <summary>
    /// Copies the SQLite store at <paramref name="sqlitePath"/> into the PostgreSQL database of
    /// <paramref name="connectionString"/>, migrating both to this build's schema first. A target holding any row is
    /// refused (<see cref="StoreCopyRefusedException"/>) unless <paramref name="force"/>: then its tables are emptied in the
    /// same transaction and replaced. Returns the rows per table.
    /// </summary>
    public static async Task<IReadOnlyList<CopiedTableCount>> CopyAsync(string sqlitePath, string connectionString, bool force,
        Action<string>? progress, CancellationToken ct)
    {
        var fullPath = Path.GetFullPath(sqlitePath);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"The SQLite store '{fullPath}' does not exist.", fullPath);
        // Both schemas brought to this build's version (a file of a newer CrmPulse is refused here, naming its version).
        using (await SqliteStore.OpenAsync(fullPath, ct)) { }
        string location;
        using (var target = await PostgresStore.OpenAsync(connectionString, TimeProvider.System, ct)) location = target.Location;

        var sqliteConnectionString = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var source = new SqliteConnection(sqliteConnectionString);
        await source.OpenAsync(ct);
        await using var read = (SqliteTransaction)await source.BeginTransactionAsync(ct);
        CheckTables(source, read, fullPath);

        await using var pg = new NpgsqlConnection(connectionString);
        try
        {
            await pg.OpenAsync(ct);
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"Cannot connect to {location}: {e.Message}", e);
        }
        await using var write = await pg.BeginTransactionAsync(ct);
        // Nodes still running on the target wait until the copy commits (they may read, never write meanwhile).
        foreach (var table in Tables) await Execute(pg, write, $"LOCK TABLE {table.Name} IN EXCLUSIVE MODE", ct);

        var occupied = new List<string>();
        foreach (var table in Tables.Where(t => t.Name != LedgerVersion))
        {
            var rows = await CountAsync(pg, write, table.Name, ct);
            if (rows > 0) occupied.Add($"{table.Name} {rows:N0} row(s)");
        }
        var previousVersion = await ScalarAsync(pg, write, $"SELECT COALESCE(MAX(version), 0) FROM {LedgerVersion}", ct);
        if (occupied.Count > 0 && !force)
        {
            throw new StoreCopyRefusedException(
                $"The target {location} is not empty: {string.Join(", ", occupied)}. Copying into it would mix two stores: " +
                "point CrmPulse:Store:ConnectionString at an empty database, or give --force to replace what is there.");
        }
        if (occupied.Count > 0) progress?.Invoke($"--force: emptying {string.Join(", ", occupied)}");
        // Row triggers (the ledger's append-only guard) do not fire on TRUNCATE; without CASCADE a table of another
        // feature referencing these stops the copy instead of being emptied with them.
        await Execute(pg, write, $"TRUNCATE {string.Join(", ", Tables.Select(t => t.Name))} RESTART IDENTITY", ct);

        var counts = new List<CopiedTableCount>();
        foreach (var table in Tables)
        {
            var watch = Stopwatch.StartNew();
            var rows = await CopyTableAsync(source, read, pg, write, table, progress, ct);
            counts.Add(new CopiedTableCount(table.Name, rows, watch.Elapsed));
            progress?.Invoke($"{table.Name}: {rows:N0} row(s) in {watch.Elapsed.TotalSeconds:F1} s");
        }
        // A node that read the old target keeps what it read until the version moves: make it move.
        if (force && previousVersion > 0)
            await Execute(pg, write, $"UPDATE {LedgerVersion} SET version = GREATEST(version, {previousVersion + 1})", ct);
        ct.ThrowIfCancellationRequested();
        await write.CommitAsync(ct);
        // Fresh statistics for the planner (autovacuum would come to it later).
        foreach (var table in Tables) await Execute(pg, null, $"ANALYZE {table.Name}", CancellationToken.None);
        return counts;
    }

    /// <summary>The SQLite file holds exactly the tables of <see cref="Tables"/> (and <see cref="NotCopied"/>).</summary>
    private static void CheckTables(SqliteConnection source, SqliteTransaction read, string path)
    {
        var present = new List<string>();
        using (var command = source.CreateCommand())
        {
            command.Transaction = read;
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read()) present.Add(reader.GetString(0));
        }
        var unknown = present.Except(Tables.Select(t => t.Name)).Except(NotCopied).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The SQLite store '{path}' has table(s) this copy does not know: {string.Join(", ", unknown)}. Nothing was copied " +
                "(add them to SqliteToPostgres.Tables).");
        }
        var missing = Tables.Select(t => t.Name).Except(present).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"The SQLite store '{path}' lacks the table(s) {string.Join(", ", missing)}. Nothing was copied.");
    }

    private static async Task<long> CopyTableAsync(SqliteConnection source, SqliteTransaction read, NpgsqlConnection pg,
        NpgsqlTransaction write, CopiedTable table, Action<string>? progress, CancellationToken ct)
    {
        var columns = await ColumnsAsync(pg, write, table.Name, ct);
        if (table.Name == "issues")
        {
            // Issues are partitioned by source on PostgreSQL (schema 6): each source's partition first.
            var sources = new List<string>();
            using (var distinct = source.CreateCommand())
            {
                distinct.Transaction = read;
                distinct.CommandText = "SELECT DISTINCT source FROM issues";
                using var names = distinct.ExecuteReader();
                while (names.Read()) sources.Add(names.GetString(0));
            }
            await PostgresStore.CreateIssuePartitions(pg, write, sources, ct);
        }
        var sqliteColumns = SqliteColumns(source, read, table.Name);
        var pgOnly = columns.Select(c => c.Name).Except(sqliteColumns).ToList();
        var sqliteOnly = sqliteColumns.Except(columns.Select(c => c.Name)).ToList();
        if (pgOnly.Count > 0 || sqliteOnly.Count > 0)
        {
            throw new InvalidOperationException(
                $"Table {table.Name}: the columns differ between the stores (only in SQLite: {Names(sqliteOnly)}; only in PostgreSQL: " +
                $"{Names(pgOnly)}). Nothing was copied.");
        }
        var writers = columns.Select(c => Writer(table.Name, c.Name, c.Type)).ToArray();
        var list = string.Join(", ", columns.Select(c => c.Name));

        using var select = source.CreateCommand();
        select.Transaction = read;
        // In the order of their numbers: PostgreSQL's heap then holds the ledger in append order, as SQLite's.
        select.CommandText = $"SELECT {list} FROM {table.Name}{(table.Identity is null ? "" : $" ORDER BY {table.Identity}")}";
        using var reader = select.ExecuteReader();
        long rows = 0;
        // Synchronous writes: one COPY streams millions of values, and an await per value would cost more than the copy.
        using (var import = pg.BeginBinaryImport($"COPY {table.Name} ({list}) FROM STDIN (FORMAT BINARY)"))
        {
            while (reader.Read())
            {
                import.StartRow();
                for (var i = 0; i < writers.Length; i++)
                {
                    if (reader.IsDBNull(i)) import.WriteNull();
                    else writers[i](import, reader, i);
                }
                if (++rows % ProgressRows == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    progress?.Invoke($"{table.Name}: {rows:N0} row(s)…");
                }
            }
            import.Complete();
        }

        if (table.Identity is { } identity)
        {
            // New rows are numbered after the copied ones, and after any SQLite had handed out (AUTOINCREMENT never reuses).
            long next;
            using (var sequence = source.CreateCommand())
            {
                sequence.Transaction = read;
                sequence.CommandText = $"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $t), 0), COALESCE((SELECT MAX({identity}) FROM {table.Name}), 0))";
                sequence.Parameters.AddWithValue("$t", table.Name);
                next = (long)sequence.ExecuteScalar()!;
            }
            if (next > 0)
            {
                await using var setval = new NpgsqlCommand("SELECT setval(pg_get_serial_sequence(@t, @c), @n)", pg, write);
                setval.Parameters.AddWithValue("t", table.Name);
                setval.Parameters.AddWithValue("c", identity);
                setval.Parameters.AddWithValue("n", next);
                await setval.ExecuteNonQueryAsync(ct);
            }
        }
        return rows;
    }

    private delegate void ColumnWriter(NpgsqlBinaryImporter import, SqliteDataReader reader, int ordinal);

    /// <summary>How a SQLite value goes into a PostgreSQL column of <paramref name="type"/> (information_schema's data_type).</summary>
    private static ColumnWriter Writer(string table, string column, string type) => type switch
    {
        "text" => (w, r, i) => w.Write(r.GetString(i), NpgsqlDbType.Text),
        "bigint" => (w, r, i) => w.Write(r.GetInt64(i), NpgsqlDbType.Bigint),
        "integer" => (w, r, i) => w.Write(checked((int)r.GetInt64(i)), NpgsqlDbType.Integer),
        "smallint" => (w, r, i) => w.Write(checked((short)r.GetInt64(i)), NpgsqlDbType.Smallint),
        "double precision" => (w, r, i) => w.Write(r.GetDouble(i), NpgsqlDbType.Double),
        "boolean" => (w, r, i) => w.Write(r.GetInt64(i) != 0, NpgsqlDbType.Boolean),
        "bytea" => (w, r, i) => w.Write(r.GetFieldValue<byte[]>(i), NpgsqlDbType.Bytea),
        _ => throw new InvalidOperationException(
            $"Table {table}, column {column}: the copy cannot write a PostgreSQL {type} yet (add it to SqliteToPostgres.Writer). Nothing was copied."),
    };

    private static async Task<List<(string Name, string Type)>> ColumnsAsync(NpgsqlConnection pg, NpgsqlTransaction write, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position
            """, pg, write);
        command.Parameters.AddWithValue("t", table);
        var columns = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) columns.Add((reader.GetString(0), reader.GetString(1)));
        if (columns.Count == 0) throw new InvalidOperationException($"The target has no table {table} in its schema. Nothing was copied.");
        return columns;
    }

    private static List<string> SqliteColumns(SqliteConnection source, SqliteTransaction read, string table)
    {
        using var command = source.CreateCommand();
        command.Transaction = read;
        command.CommandText = "SELECT name FROM pragma_table_info($t)";
        command.Parameters.AddWithValue("$t", table);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static string Names(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static async Task<long> CountAsync(NpgsqlConnection pg, NpgsqlTransaction write, string table, CancellationToken ct) =>
        await ScalarAsync(pg, write, $"SELECT COUNT(*) FROM {table}", ct);

    private static async Task<long> ScalarAsync(NpgsqlConnection pg, NpgsqlTransaction write, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, pg, write);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Execute(NpgsqlConnection pg, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, pg, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }
}
