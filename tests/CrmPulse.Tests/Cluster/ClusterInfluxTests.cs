using CrmPulse.Storage.Tests.Influx;
using CrmPulse.Tests.Support;
using Xunit.Abstractions;

namespace CrmPulse.Tests.Cluster;

/// <summary>
/// Three clustered nodes publishing to a real InfluxDB 1.6: one node drains the outbox at a time (it holds the drainer's
/// advisory lock), and a SIGKILL of that node in the middle of a backlog neither loses nor doubles a sample. "Exactly
/// once" as in InfluxDaemonTests: per KPI, InfluxDB's count and sum equal the ledger's.
/// </summary>
[Collection("Cluster")] // one three-node cluster at a time
public sealed class ClusterInfluxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private InfluxServer _influx = null!;

    public async Task InitializeAsync() => _influx = await InfluxServer.StartAsync();

    public async Task DisposeAsync() => await _influx.DisposeAsync();

    [Fact]
    public async Task The_outbox_is_drained_by_one_node_at_a_time_and_a_drainer_killed_mid_backlog_loses_and_doubles_nothing()
    {
        var settings = new Dictionary<string, string>
        {
            ["CRMPULSE__SOURCES__0__NAME"] = "demo",
            ["CRMPULSE__SOURCES__0__KIND"] = "Demo",
            ["CRMPULSE__SOURCES__0__USERS"] = "20",
            ["CRMPULSE__SOURCES__0__CONTACTS"] = "300",
            ["CRMPULSE__SOURCES__0__COMPANIES"] = "60",
            ["CRMPULSE__SOURCES__0__DEALS"] = "30",
            ["CRMPULSE__SOURCES__0__ACTIVITIES"] = "600",
            ["CRMPULSE__SOURCES__0__SYNCCRON"] = "*/5 * * * * ?",
            ["CRMPULSE__SOURCES__0__KPICRON"] = "*/3 * * * * ?",
            ["CRMPULSE__INFLUXDB__ENABLED"] = "true",
            ["CRMPULSE__INFLUXDB__URL"] = _influx.Url,
            ["CRMPULSE__INFLUXDB__MODE"] = "v1",
            ["CRMPULSE__INFLUXDB__DATABASE"] = _influx.Database,
            // Batches of 5 points: a pass takes many requests to send, so the drainer can be killed half-way.
            ["CRMPULSE__INFLUXDB__BATCHSIZE"] = "5",
            ["CRMPULSE__INFLUXDB__FLUSHEVERY"] = "00:00:01",
            ["CRMPULSE__INFLUXDB__MAXRETRYDELAY"] = "00:00:02",
        };
        await using var cluster = await ClusterNodes.StartAsync(settings);
        try
        {
            // The drainer: the node whose lock connection holds the outbox lock, while samples are still pending.
            string? drainer = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (drainer is null && DateTime.UtcNow < deadline)
            {
                var pending = await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM samples WHERE seq > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'samples')");
                if (pending > 50) drainer = await DrainerAsync(cluster);
                if (drainer is null) await Task.Delay(20);
            }
            Assert.NotNull(drainer);
            await cluster.KillAsync(drainer);
            output.WriteLine($"killed the drainer {drainer}");

            // Another node takes the lock and sends the rest.
            var next = await WaitForDrainerAsync(cluster, TimeSpan.FromSeconds(60));
            Assert.NotEqual(drainer, next);
            var survivor = cluster.Nodes.Values.First();
            await survivor.WaitForAsync("/api/publishers/influxdb", j => j.GetProperty("backlogSamples").GetInt64() == 0, TimeSpan.FromSeconds(120));

            // A clean stop of the others: each ends with a last drain, so nothing the last passes stored is left behind.
            foreach (var node in cluster.Nodes.Values) Assert.Equal(0, await node.StopAsync());
            Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM samples WHERE seq > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'samples')"));
            await AssertInfluxHoldsTheLedgerExactlyAsync(cluster);
        }
        catch
        {
            output.WriteLine(cluster.Outputs());
            throw;
        }
    }

    private static Task<string?> DrainerAsync(ClusterNodes cluster) => cluster.ScalarAsync<string?>("""
        SELECT substr(a.application_name, length('crmpulse ') + 1) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.objid = (hashtext('crmpulse:cluster:outbox')::bigint & 4294967295)::oid
        """);

    private static async Task<string> WaitForDrainerAsync(ClusterNodes cluster, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await DrainerAsync(cluster) is { } node) return node;
            await Task.Delay(20);
        }
        throw new TimeoutException("No node took the outbox over.");
    }

    private async Task AssertInfluxHoldsTheLedgerExactlyAsync(ClusterNodes cluster)
    {
        var ledger = new List<(string Kpi, long Count, double Sum)>();
        await using (var connection = new Npgsql.NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT kpi, COUNT(*), SUM(value) FROM samples GROUP BY kpi ORDER BY kpi", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ledger.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
        }
        var userRows = await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM user_rows");
        await InfluxLedger.AssertHoldsExactlyAsync(_influx, ledger, userRows);
    }
}
