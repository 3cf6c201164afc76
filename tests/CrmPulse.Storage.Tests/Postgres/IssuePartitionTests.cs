using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Storage.Postgres;
using Npgsql;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Postgres;

/// <summary>
/// On PostgreSQL each source's issues are a partition of issues (schema 6): a pass loads its issues into a fresh table,
/// indexes it, and swaps it in for the old partition at the end of its transaction. Nothing stored is lost whatever
/// step the transaction dies at, and a database written before schema 6 keeps every issue.
/// </summary>
public sealed class IssuePartitionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A source name that needs quoting both as a literal and in an identifier.</summary>
    private const string Quoted = "O'Brien \\ \"Cö\"";

    private static RecordIssue Invalid(string id) => new("invalid_emails", "contact", id, "u1", "Sales", "email", "no domain");

    private static KpiResult Pass(string source, DateTimeOffset asOf, params string[] invalid) => new(
        [new KpiSample("invalid_emails", source, Dimensions.Of(("object", "contact")), invalid.Length, asOf)],
        [],
        invalid.Select(Invalid).ToList());

    private static async Task<List<string>> IssuesAsync(ICrmStore store) =>
        (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1000), None)).Items
        .Select(i => $"{i.Source}/{i.Issue.RecordId}").ToList();

    [Fact]
    public async Task A_pass_whose_connection_dies_after_its_issues_are_loaded_and_before_the_swap_loses_nothing()
    {
        var server = await PostgresServer.Shared;
        var (connectionString, _) = await server.CreateSchemaAsync();
        using var store = await PostgresStore.OpenAsync(connectionString, TimeProvider.System, None);
        await store.CommitPassAsync("a", T0, Pass("a", T0, "c1", "c2"), None);
        await store.CommitPassAsync(Quoted, T0, Pass(Quoted, T0, "q1"), None);

        // Another session reads the source's partition and keeps its transaction open: the pass loads its issues, writes
        // its samples and latest values, then waits at the swap (dropping the old partition), where it is killed.
        await using var reader = new NpgsqlConnection(connectionString);
        await reader.OpenAsync();
        await using (var hold = new NpgsqlCommand($"BEGIN; LOCK TABLE {PostgresStore.IssuePartition("a")} IN ACCESS SHARE MODE", reader))
        {
            await hold.ExecuteNonQueryAsync();
        }
        var pass = store.CommitPassAsync("a", T1, Pass("a", T1, "c3", "c4", "c5"), None);
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        var killed = false;
        for (var attempt = 0; attempt < 600 && !killed && !pass.IsCompleted; attempt++)
        {
            await using var kill = new NpgsqlCommand("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND query LIKE '%DROP TABLE IF EXISTS issues_%'
                """, admin);
            killed = await kill.ExecuteScalarAsync() is true;
            if (!killed) await Task.Delay(100);
        }
        Assert.True(killed, "the pass never waited at the swap");
        await Assert.ThrowsAnyAsync<Exception>(() => pass);
        await using (var release = new NpgsqlCommand("COMMIT", reader)) await release.ExecuteNonQueryAsync();

        Assert.Equal(["O'Brien \\ \"Cö\"/q1", "a/c1", "a/c2"], await IssuesAsync(store));
        Assert.Equal(2.0, (await store.LatestAsync("a", None)).Single().Value); // T0's pass: c1, c2
        await using (var count = new NpgsqlCommand(
            "SELECT (SELECT COUNT(*) FROM samples WHERE source = 'a') || ' ' || (SELECT COUNT(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'fresh_issues_%' AND relnamespace = current_schema()::regnamespace)", admin))
        {
            Assert.Equal("1 0", await count.ExecuteScalarAsync()); // the pass's sample and its fresh table went with it
        }
        // The next pass of the source goes through.
        await store.CommitPassAsync("a", T2, Pass("a", T2, "c6"), None);
        Assert.Equal(["O'Brien \\ \"Cö\"/q1", "a/c6"], await IssuesAsync(store));
    }

    [Fact]
    public async Task A_database_of_schema_5_keeps_every_issue_each_source_in_its_partition()
    {
        var server = await PostgresServer.Shared;
        var (connectionString, _) = await server.CreateSchemaAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await PostgresMigrations.ApplyAsync(connection, PostgresMigrations.All.Take(5).ToList(), "test", None);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO issues (source, kpi, object, record_id, field, owner_id, team, detail, computed_at_ms)
                VALUES ('a', 'invalid_emails', 'contact', 'c1', 'email', 'u1', 'Sales', 'no domain', 1),
                       ('a', 'invalid_emails', 'contact', 'c2', 'email', NULL, 'Sales', 'no domain', 1),
                       (@q, 'invalid_emails', 'contact', 'q1', 'email', 'u2', 'Support', 'no domain', 2)
                """, connection);
            insert.Parameters.AddWithValue("q", Quoted);
            await insert.ExecuteNonQueryAsync();
        }

        using var store = await PostgresStore.OpenAsync(connectionString, TimeProvider.System, None);

        Assert.Equal(["O'Brien \\ \"Cö\"/q1", "a/c1", "a/c2"], await IssuesAsync(store));
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        await using (var partitions = new NpgsqlCommand("""
            SELECT string_agg(c.relname || '=' || pg_get_expr(c.relpartbound, c.oid), ', ' ORDER BY c.relname)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'issues'::regclass
            """, admin))
        {
            var expected = string.Join(", ", new[] { ("a", "'a'"), (Quoted, "'O''Brien \\ \"Cö\"'") }
                .Select(p => (Name: PostgresStore.IssuePartition(p.Item1), Bound: p.Item2)).OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => $"{p.Name}=FOR VALUES IN ({p.Bound})"));
            Assert.Equal(expected, await partitions.ExecuteScalarAsync());
        }
        // A pass replaces its own source's issues only.
        await store.CommitPassAsync(Quoted, T1, Pass(Quoted, T1, "q2", "q3"), None);
        Assert.Equal(["O'Brien \\ \"Cö\"/q2", "O'Brien \\ \"Cö\"/q3", "a/c1", "a/c2"], await IssuesAsync(store));
    }

    private static readonly DateTimeOffset T1 = T0.AddDays(1);
    private static readonly DateTimeOffset T2 = T0.AddDays(2);
}
