using CrmPulse.Core.Model;
using CrmPulse.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Postgres;

/// <summary>
/// The plan of a complete kind's delete on PostgreSQL when the statistics of mirror_records predate the source (its first
/// full sync, as every source of a new cluster has): PostgreSQL then estimates one stored record. Without an index on
/// mirror_in it picked a nested loop that scanned the whole of mirror_in once per stored record (400 s for a source's
/// 20,000 activities on a loaded machine). Checked on PostgreSQL's own plan, with the store's statements in its order.
/// </summary>
public sealed class MirrorPlanTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_new_sources_complete_kind_never_scans_the_whole_sync_once_per_stored_record()
    {
        var (connectionString, _) = await (await PostgresServer.Shared).CreateSchemaAsync();
        using (var store = await PostgresStore.OpenAsync(connectionString, TimeProvider.System, None))
        {
            await store.ApplyAsync("known", Changes(c => c.Contacts.AddRange(Enumerable.Range(0, 2000).Select(i => Contact($"c{i}")))), T0, None);
        }
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await Execute(connection, null, "ANALYZE mirror_records"); // statistics that know only the source 'known'

        // The apply of the new source's first full sync, as PostgresStore.Apply runs it.
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, transaction, PostgresStore.MirrorInSql);
        await Execute(connection, transaction,
            "INSERT INTO mirror_in SELECT 'contact', 'c' || i, NULL, '{}' FROM generate_series(0, 1999) i");
        await Execute(connection, transaction, PostgresStore.MirrorInIndexSql);
        await Execute(connection, transaction, "ANALYZE mirror_in");
        await Execute(connection, transaction, PostgresStore.UpdateChangedSql, ("s", NpgsqlDbType.Text, "new"));
        await Execute(connection, transaction, PostgresStore.InsertNewSql, ("s", NpgsqlDbType.Text, "new"));
        var plan = await Explain(connection, transaction, PostgresStore.CompleteKindDeleteSql);

        Assert.Contains("Index Cond", plan); // mirror_records by its key, as every plan does
        Assert.False(plan.Contains("Nested Loop", StringComparison.Ordinal) && plan.Contains("Seq Scan on mirror_in", StringComparison.Ordinal), plan);
    }

    [Fact]
    public async Task A_record_that_comes_back_unchanged_is_not_written_again()
    {
        var (connectionString, _) = await (await PostgresServer.Shared).CreateSchemaAsync();
        using var store = await PostgresStore.OpenAsync(connectionString, TimeProvider.System, None);
        await store.ApplyAsync("s", Changes(c => c.Contacts.AddRange([Contact("c1"), Contact("c2")])), T0, None);
        var before = await RowVersions(connectionString);

        await store.ApplyAsync("s", Changes(c => c.Contacts.AddRange([Contact("c1"), Contact("c2", "changed@example.com")])), T0, None);

        var after = await RowVersions(connectionString);
        Assert.Equal(before["c1"], after["c1"]); // the same row version: not updated
        Assert.NotEqual(before["c2"], after["c2"]);
    }

    /// <summary>Each stored contact's row version (xmin: the transaction that wrote it).</summary>
    private static async Task<Dictionary<string, string>> RowVersions(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, xmin::text FROM mirror_records WHERE kind = 'contact'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new Dictionary<string, string>();
        while (await reader.ReadAsync()) versions[reader.GetString(0)] = reader.GetString(1);
        return versions;
    }

    private static async Task<string> Explain(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Text) { Value = "new" });
        command.Parameters.Add(new NpgsqlParameter("k", NpgsqlDbType.Text) { Value = "contact" });
        command.Parameters.Add(new NpgsqlParameter("retained", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Array.Empty<string>() });
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, NpgsqlDbType Type, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, type, value) in parameters) command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        await command.ExecuteNonQueryAsync();
    }
}
