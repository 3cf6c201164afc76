using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Storage.Influx;
using CrmPulse.Storage.Postgres;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Postgres;

/// <summary>
/// Two stores on one PostgreSQL database, as two nodes would have: what SQLite's single writer gave for free still holds
/// (the outbox never skips a sample appended by either, a source's sync state adds up, a second start migrates nothing).
/// </summary>
public sealed class PostgresSharingTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_outbox_read_while_two_nodes_append_gets_every_sample_exactly_once_in_order()
    {
        using var a = await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None);
        using var b = await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None);
        const int Batches = 150, PerBatch = 4;

        async Task AppendAsync(PostgresStore store, string source)
        {
            for (var i = 0; i < Batches; i++)
            {
                var batch = i;
                await store.AppendAsync(Enumerable.Range(0, PerBatch)
                    .Select(n => new KpiSample("licensed_users", source, Dimensions.None, batch * PerBatch + n, T0.AddMinutes(batch))).ToList(), [], None);
            }
        }

        // A drainer on node a acknowledges batches while both nodes append: a sample committed after one with a higher
        // sequence number would be skipped for good.
        var seen = new List<string>();
        var appending = Task.WhenAll(Task.Run(() => AppendAsync(a, "a")), Task.Run(() => AppendAsync(b, "b")));
        await Task.Yield();
        while (true)
        {
            var done = appending.IsCompleted;
            while (await a.ReadOutboxAsync(7, None) is { } batch)
            {
                seen.AddRange(batch.Lines);
                await a.AcknowledgeOutboxAsync(batch, None);
            }
            if (done) break;
        }
        await appending;

        // 2 nodes × 150 batches × 4 = 1,200 samples, each line once, values 0..599 per source.
        Assert.Equal(2 * Batches * PerBatch, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        foreach (var source in new[] { "a", "b" })
        {
            var values = seen.Where(l => l.Contains($"source={source}")).Select(l => double.Parse(l.Split("licensed_users=")[1].Split(' ')[0].TrimEnd('i'),
                System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, Batches * PerBatch).Select(v => (double)v), values); // in append order
        }
        Assert.Equal(new OutboxStatus(0, 0, null, 0, 0, null, null), await b.GetOutboxStatusAsync(None));
    }

    [Fact]
    public async Task Two_nodes_applying_the_same_source_at_once_keep_its_sync_state_whole()
    {
        using var a = await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None);
        using var b = await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None);
        const int Rounds = 20;

        async Task SyncAsync(PostgresStore store, string node)
        {
            for (var i = 0; i < Rounds; i++)
            {
                var round = i;
                await store.ApplyAsync("s", Changes(c =>
                {
                    c.Contacts.Add(Contact($"{node}{round:D2}"));
                    c.Problems.Add(new SourceProblem("contacts.csv", round + 2, "email", "odd"));
                    c.Problems.Add(new SourceProblem("contacts.csv", round + 3, "phone", "odd"));
                    c.RejectedRows = 1;
                }), T0.AddMinutes(round), None);
            }
        }

        await Task.WhenAll(Task.Run(() => SyncAsync(a, "a")), Task.Run(() => SyncAsync(b, "b")));

        var state = Assert.Single(await a.GetSyncStatesAsync(None));
        Assert.Equal(2 * Rounds * 2, state.ProblemsTotal); // 2 nodes × 20 applies × 2 problems: no lost update
        Assert.Equal(2 * Rounds, state.RejectedTotal);
        Assert.Equal(2 * Rounds, state.RecordCounts[ObjectKind.Contact]);
        Assert.Equal(2 * Rounds, (await b.LoadSnapshotAsync("s", None)).Contacts.Count);
    }

    [Fact]
    public async Task A_database_at_schema_1_gets_the_audits_table_and_keeps_its_ledger()
    {
        using (var old = await PostgresStore.OpenAsync(_connectionString, [PostgresMigrations.All[0]], TimeProvider.System, None))
        {
            await old.AppendAsync([new KpiSample("licensed_users", "a", Dimensions.None, 7, T0)], [], None);
        }

        using var store = await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None);
        var id = await store.AddAuditAsync("a", new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), T0, "{}", None);

        Assert.Equal([7.0], (await store.LatestAsync("a", None)).Select(s => s.Value));
        Assert.Equal("a", (await store.AuditAsync(id, None))!.Source);
        using var again = await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None); // migrates nothing more
        Assert.Equal([id], (await again.AuditsAsync(10, None)).Select(a => a.Id));
    }

    [Fact]
    public async Task A_database_written_by_a_newer_crmpulse_is_refused_naming_its_version_and_never_the_password()
    {
        using (await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None)) { }
        await PostgresServer.ExecuteAsync(_connectionString, "INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync(_connectionString, TimeProvider.System, None));

        Assert.Contains($"has schema version 99, but this CrmPulse knows versions up to {PostgresMigrations.All[^1].Version}", e.Message);
        Assert.Contains("PostgreSQL 127.0.0.1:", e.Message);
        Assert.DoesNotContain((await PostgresServer.Shared).Password, e.Message);
    }

    [Fact]
    public async Task A_server_that_went_away_makes_the_store_failing_until_a_write_succeeds()
    {
        var server = await PostgresServer.Shared;
        // A store pointed at a port where nothing listens once it has opened: its own throw-away server.
        await using var own = await PostgresServer.StartAsync();
        var store = await PostgresStore.OpenAsync(await own.CreateDatabaseAsync(), TimeProvider.System, None);
        await own.StopAsync();

        await Assert.ThrowsAsync<Core.Store.StoreWriteException>(() => store.AppendAsync(
            [new KpiSample("licensed_users", "a", Dimensions.None, 1, T0)], [], None));

        Assert.NotNull(store.WriteFailure);
        Assert.Contains($"the store (PostgreSQL 127.0.0.1:{own.Port}/", store.WriteFailure!.Error);
        Assert.DoesNotContain(own.Password, store.WriteFailure.Error);
        Assert.DoesNotContain(server.Password, store.WriteFailure.Error);
        store.Dispose();
    }
}
