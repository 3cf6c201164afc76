using System.Text.Json;
using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Tests.Support;
using Npgsql;

namespace CrmPulse.Tests.Cluster;

/// <summary>
/// Three CrmPulse daemons (separate processes, nodes n0, n1, n2) clustered on one database of the shared real
/// PostgreSQL (<see cref="PostgresServer"/>), with a check-in every 2 s; the runs table read straight from the database.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    public const int Count = 3;

    private readonly Dictionary<string, DateTimeOffset> _killedAt = new(StringComparer.Ordinal);

    private readonly IDictionary<string, string> _settings;

    private ClusterNodes(string connectionString, Dictionary<string, DaemonProcess> nodes, IDictionary<string, string> settings)
    {
        ConnectionString = connectionString;
        Nodes = nodes;
        _settings = settings;
    }

    public string ConnectionString { get; }

    /// <summary>The live nodes by name.</summary>
    public Dictionary<string, DaemonProcess> Nodes { get; }

    /// <summary>When each killed node was killed (its unfinished runs end there at the latest).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> KilledAt => _killedAt;

    /// <summary>A database of its own on the shared server, no node started yet.</summary>
    public static async Task<ClusterNodes> CreateAsync(IDictionary<string, string> settings)
    {
        var server = await PostgresServer.Shared;
        var connectionString = await server.CreateDatabaseAsync();
        return new ClusterNodes(connectionString, new Dictionary<string, DaemonProcess>(StringComparer.Ordinal), settings);
    }

    public static async Task<ClusterNodes> StartAsync(IDictionary<string, string> settings)
    {
        var cluster = await CreateAsync(settings);
        var nodes = cluster.Nodes;
        for (var i = 0; i < Count; i++) cluster.Start($"n{i}");
        // Every node up and checked in with the cluster.
        foreach (var node in nodes.Values)
            await node.WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == Count, TimeSpan.FromSeconds(120));
        return cluster;
    }

    /// <summary>Starts node <paramref name="name"/> (a new process) on the cluster's database.</summary>
    public DaemonProcess Start(string name, IDictionary<string, string>? settings = null)
    {
        var env = new Dictionary<string, string>(settings ?? _settings)
        {
            ["CRMPULSE__STORE__PROVIDER"] = "PostgreSql",
            ["CRMPULSE__STORE__CONNECTIONSTRING"] = ConnectionString,
            ["CRMPULSE__CLUSTER__ENABLED"] = "true",
            ["CRMPULSE__CLUSTER__NODENAME"] = name,
            ["CRMPULSE__CLUSTER__CHECKININTERVAL"] = "00:00:02",
        };
        return Nodes[name] = DaemonProcess.Start(env);
    }

    /// <summary>Starts a process on the cluster's database as node <paramref name="name"/>, not counted among the
    /// nodes (one expected to be refused); the caller disposes of it.</summary>
    public DaemonProcess StartOutside(string name)
    {
        var saved = Nodes.GetValueOrDefault(name);
        var process = Start(name);
        if (saved is null) Nodes.Remove(name);
        else Nodes[name] = saved;
        return process;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer: no shutdown code runs.</summary>
    public async Task KillAsync(string node)
    {
        var process = Nodes[node];
        Nodes.Remove(node);
        await process.KillAsync();
        _killedAt[node] = DateTimeOffset.UtcNow;
        await process.DisposeAsync();
    }

    public sealed record Run(long Id, string Job, string Source, string Node, DateTimeOffset Started, DateTimeOffset? Finished, string? Outcome, bool Recovering);

    /// <summary>SIGTERM, as a service manager's stop: the node's exit code.</summary>
    public async Task<int> StopAsync(string node)
    {
        var process = Nodes[node];
        Nodes.Remove(node);
        var exitCode = await process.StopAsync();
        await process.DisposeAsync();
        return exitCode;
    }

    public async Task<List<Run>> RunsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, job, source, node, started_ms, finished_ms, outcome, recovering FROM job_runs ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<Run>();
        while (await reader.ReadAsync())
        {
            runs.Add(new Run(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(7)));
        }
        return runs;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls the runs table until <paramref name="found"/> returns a run, or fails naming what it waited for.</summary>
    public async Task<Run> WaitForRunAsync(string what, Func<List<Run>, Run?> found, TimeSpan timeout, int pollMs = 100)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (found(await RunsAsync()) is { } run) return run;
            await Task.Delay(pollMs);
        }
        throw new TimeoutException($"No run {what} within {timeout}. Runs:\n{string.Join("\n", await RunsAsync())}\n{Outputs()}");
    }

    /// <summary>
    /// No two runs of one job for one source overlap: each starts after the one before it finished, or, for a run its
    /// node never finished (killed), after that node's death.
    /// </summary>
    public async Task AssertNoOverlapAsync()
    {
        var runs = await RunsAsync();
        foreach (var series in runs.GroupBy(r => (r.Job, r.Source)))
        {
            var ordered = series.OrderBy(r => r.Started).ThenBy(r => r.Id).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var before = ordered[i - 1];
                var end = before.Finished ?? (_killedAt.TryGetValue(before.Node, out var killed) ? killed
                    : throw new Xunit.Sdk.XunitException($"{before} has not finished, yet {ordered[i]} started"));
                Assert.True(ordered[i].Started >= end, $"{series.Key}: {ordered[i]} started before {before} ended ({end:O})");
            }
        }
    }

    /// <summary>GET <paramref name="path"/> from every live node, until all answer the same JSON (a pass may land between two
    /// reads: read again); returns it.</summary>
    public async Task<string> SameOnEveryNodeAsync(string path, Func<JsonElement, JsonElement>? select = null)
    {
        var answers = new List<string>();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            answers.Clear();
            foreach (var node in Nodes.Values)
            {
                var json = JsonDocument.Parse(await node.Client.GetStringAsync(path)).RootElement;
                answers.Add(JsonSerializer.Serialize(select is null ? json : select(json)));
            }
            if (answers.Distinct().Count() == 1) return answers[0];
            await Task.Delay(300);
        }
        throw new Xunit.Sdk.XunitException($"GET {path} answers differently on the nodes:\n{string.Join("\n", answers)}");
    }

    /// <summary>GET <paramref name="path"/> as text from every live node until <paramref name="select"/> of it is the same
    /// on all; returns it.</summary>
    public async Task<string> SameTextOnEveryNodeAsync(string path, Func<string, string> select)
    {
        var answers = new List<string>();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            answers.Clear();
            foreach (var node in Nodes.Values) answers.Add(select(await node.Client.GetStringAsync(path)));
            if (answers.Distinct().Count() == 1) return answers[0];
            await Task.Delay(300);
        }
        throw new Xunit.Sdk.XunitException($"GET {path} answers differently on the nodes:\n{string.Join("\n---\n", answers)}");
    }

    public string Outputs() => string.Join("\n", Nodes.Select(n => $"--- {n.Key}:\n{n.Value.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values) await node.DisposeAsync();
        Nodes.Clear();
    }
}
