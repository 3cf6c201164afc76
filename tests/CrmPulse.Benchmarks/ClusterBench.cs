using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CrmPulse.Storage.Tests.Postgres;
using Npgsql;

namespace CrmPulse.Benchmarks;

/// <summary>
/// --cluster: several CrmPulse nodes (separate processes of the real crmpulse.dll, as the cluster tests start them) on
/// one real PostgreSQL (started as the tests start it: initdb in a temp folder, 127.0.0.1, a free port, fsync off;
/// stopped by its process id). For 1, 2 and 3 nodes, each on a fresh database: every Demo source's sync is scheduled
/// (SyncCron) for one moment after all nodes have joined the cluster, each sync then triggers the source's KPI pass
/// (SyncJob), and the wall time from that moment to the last pass's end is read from the runs table (job_runs), with
/// the CPU time of each node process (/proc/PID/stat) and of the PostgreSQL server over the same span. On 2 and 3 nodes,
/// the node running a sync of a slow source (Demo PullDelay) is then killed with SIGKILL, and the time from the kill to
/// the sync's completion on another node is read from the runs table too.
/// </summary>
internal static class ClusterBench
{
    private const string Slow = "slow";

    /// <summary>A cron that never fires during a run: no regular sync or pass, only the ones the benchmark starts.</summary>
    private const string Never = "0 0 0 1 1 ? 2099";

    private static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(15); // the product's default

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var sources = IntArg(args, "--sources") ?? (quick ? 12 : 60);
        var contacts = IntArg(args, "--contacts") ?? (quick ? 500 : 2000);
        var nodeCounts = Array.IndexOf(args, "--nodes") is var n and >= 0 && n + 1 < args.Length
            ? args[n + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [1, 2, 3];
        var dll = Path.Combine(AppContext.BaseDirectory, "crmpulse.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build tests/CrmPulse.Benchmarks (it references src/CrmPulse).");
        Console.WriteLine($"Cluster benchmark: {sources} Demo sources of {contacts:N0} contacts each, on {string.Join(", ", nodeCounts)} node(s); " +
                          $"Cluster:CheckinInterval {CheckinInterval}; {Environment.ProcessorCount} cores; load average {LoadAverage()}");

        await using var server = await PostgresServer.StartAsync();
        Console.WriteLine($"PostgreSQL {server.Port} (pid {server.Pid}) in {server.Folder}");
        var results = new List<Measure>();
        double startPerNode = 10 + sources; // seconds a node takes to start and join, until measured (its jobs and triggers take most)
        foreach (var count in nodeCounts)
        {
            // The nodes must all have joined before the firing (a node up alone would take every firing): on a loaded
            // machine their start may outlast the allowance, and the configuration is run again with a longer one.
            for (var attempt = 1; ; attempt++)
            {
                var allowance = TimeSpan.FromSeconds((20 + count * startPerNode) * attempt);
                var measure = await MeasureAsync(count, sources, contacts, dll, await server.CreateDatabaseAsync(), server.Pid!.Value, allowance);
                if (measure is not null)
                {
                    results.Add(measure);
                    // The nodes share the cores: a start of N nodes takes about N times one node's.
                    startPerNode = Math.Max(20, 1.3 * measure.StartSeconds / count);
                    break;
                }
                if (attempt == 3) throw new InvalidOperationException($"{count} node(s) did not all join within {allowance}: the machine is too loaded.");
            }
        }

        var one = results.FirstOrDefault(r => r.Nodes == 1);
        Console.WriteLine();
        Console.WriteLine($"Every source synced once and passed once ({sources} sources × {contacts:N0} contacts; CPU over the same span; " +
                          $"failover: SIGKILL of the node running a sync, Cluster:CheckinInterval {CheckinInterval:c}):");
        Console.WriteLine("  | nodes | wall time | 1 node / this | CPU per node (syncs + passes run) | CPU, all nodes | CPU, PostgreSQL | failover: kill → rerun starts → sync done |");
        Console.WriteLine("  |---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var perNode = string.Join(", ", r.PerNode.Select(p => $"{p.Cpu:F1} s ({p.Syncs} + {p.Passes})"));
            var failover = r.Failover is { } f ? $"{f.ToRerun:F1} s → {f.ToDone:F1} s (rerun {f.RerunSeconds:F1} s)" : "—";
            Console.WriteLine($"  | {r.Nodes} | {r.Wall:F1} s | {(one is null ? "—" : $"{one.Wall / r.Wall:F2}×")} | {perNode} | " +
                              $"{r.PerNode.Sum(p => p.Cpu):F1} s | {r.ServerCpu:F1} s | {failover} |");
        }
        Console.WriteLine($"  (load average {LoadAverage()})");
        var problems = results.SelectMany(r => r.Problems.Select(p => $"{r.Nodes} node(s): {p}")).ToList();
        foreach (var p in problems) Console.WriteLine($"PROBLEM: {p}");
        return problems.Count == 0 ? 0 : 1;
    }

    private sealed record NodeFigures(string Node, double Cpu, int Syncs, int Passes);

    private sealed record Failover(double ToRerun, double ToDone, double RerunSeconds);

    private sealed record Measure(int Nodes, double Wall, List<NodeFigures> PerNode, double ServerCpu, Failover? Failover, List<string> Problems, double StartSeconds);

    /// <summary>One configuration on a fresh database; null when the nodes joined too late for the firing.</summary>
    private static async Task<Measure?> MeasureAsync(int count, int sources, int contacts, string dll, string connectionString, int serverPid,
        TimeSpan startAllowance)
    {
        Console.WriteLine();
        Console.WriteLine($"{count} node(s), load average {LoadAverage()}:");
        // The moment every source's sync fires: after all nodes have joined (a node up alone would take every firing).
        // Quartz's crons follow the nodes' time zone: UTC (TZ below).
        var fireAt = DateTimeOffset.UtcNow + startAllowance;
        fireAt = new DateTimeOffset(fireAt.Year, fireAt.Month, fireAt.Day, fireAt.Hour, fireAt.Minute, fireAt.Second, TimeSpan.Zero).AddSeconds(1);
        var settings = Settings(sources, contacts, fireAt);
        var nodes = new List<Node>();
        try
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++) nodes.Add(Node.Start(dll, $"n{i + 1}", settings, connectionString));
            foreach (var node in nodes)
            {
                if (!await node.WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == count, fireAt - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1)))
                {
                    Console.WriteLine($"  not every node joined {startAllowance.TotalSeconds:F0} s after the start (load average {LoadAverage()}): again, with more time");
                    return null;
                }
            }
            var upAt = DateTimeOffset.UtcNow;
            var startSeconds = clock.Elapsed.TotalSeconds;
            if (fireAt - upAt < TimeSpan.FromSeconds(1))
            {
                Console.WriteLine($"  the nodes joined {startSeconds:F0} s after the start, too late for the firing (load average {LoadAverage()}): again, with more time");
                return null;
            }
            Console.WriteLine($"  {count} node(s) up and members of the cluster in {clock.Elapsed.TotalSeconds:F1} s; the syncs fire at {fireAt:HH:mm:ss} UTC, " +
                              $"{(fireAt - upAt).TotalSeconds:F1} s later");

            // CPU from the firing on (a node's start is not the work measured).
            if (fireAt - DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(200) is var wait && wait > TimeSpan.Zero) await Task.Delay(wait);
            var cpu0 = nodes.ToDictionary(x => x.Name, x => x.Cpu());
            var server0 = ServerCpu(serverPid);

            var names = Enumerable.Range(1, sources).Select(SourceName).ToList();
            var lastReport = DateTime.UtcNow;
            List<Run> runs;
            while (true)
            {
                runs = await RunsAsync(connectionString);
                var passed = names.Count(s => runs.Any(r => r.Job == "kpi" && r.Source == s && r.Outcome is not null));
                if (passed == names.Count) break;
                foreach (var node in nodes) node.ThrowIfExited();
                if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(15))
                {
                    lastReport = DateTime.UtcNow;
                    Console.WriteLine($"    {(DateTimeOffset.UtcNow - fireAt).TotalSeconds:F0} s: {names.Count(s => runs.Any(r => r.Job == "sync" && r.Source == s && r.Outcome is not null))} syncs and {passed} passes done; load average {LoadAverage()}");
                }
                if (DateTimeOffset.UtcNow - fireAt > TimeSpan.FromMinutes(20)) throw new TimeoutException($"Not every source passed within 20 minutes:\n{string.Join("\n", runs)}");
                await Task.Delay(250);
            }
            var cpu = nodes.ToDictionary(x => x.Name, x => x.Cpu() - cpu0[x.Name]);
            var serverCpu = ServerCpu(serverPid) - server0;

            var lastPass = runs.Where(r => r.Job == "kpi").Max(r => r.Finished!.Value);
            var lastSync = runs.Where(r => r.Job == "sync").Max(r => r.Finished!.Value);
            var firstStart = runs.Min(r => r.Started);
            var wall = (lastPass - fireAt).TotalSeconds;
            Console.WriteLine($"  first run started {(firstStart - fireAt).TotalSeconds:F1} s after the firing time; every sync done at {(lastSync - fireAt).TotalSeconds:F1} s, " +
                              $"every pass at {wall:F1} s");

            // What went wrong, if anything: a source synced or passed more than once, on two nodes at once, or not "ok".
            var problems = new List<string>();
            foreach (var group in runs.GroupBy(r => (r.Job, r.Source)))
            {
                if (group.Count() > 1) problems.Add($"{group.Key.Job}:{group.Key.Source} ran {group.Count()} times: {string.Join("; ", group)}");
                problems.AddRange(group.Where(r => r.Outcome != "ok").Select(r => $"{r} did not end ok"));
            }
            var perNode = nodes.Select(x => new NodeFigures(x.Name, cpu[x.Name], runs.Count(r => r.Node == x.Name && r.Job == "sync"),
                runs.Count(r => r.Node == x.Name && r.Job == "kpi"))).ToList();
            foreach (var p in perNode)
            {
                var mine = runs.Where(r => r.Node == p.Node).ToList();
                Console.WriteLine($"    node {p.Node}: {p.Syncs} syncs and {p.Passes} passes (busy {(mine.Count == 0 ? 0 : Busy(mine)):F1} s of the " +
                                  $"{wall:F1} s), CPU {p.Cpu:F1} s");
            }
            foreach (var job in new[] { "sync", "kpi" })
            {
                var times = runs.Where(r => r.Job == job).Select(r => (r.Finished!.Value - r.Started).TotalSeconds).Order().ToArray();
                Console.WriteLine($"    {job} run time: median {times[times.Length / 2]:F2} s, longest {times[^1]:F2} s; " +
                                  $"at most {Concurrent(runs.Where(r => r.Job == job).ToList())} at once");
            }
            Console.WriteLine($"    CPU: all nodes {cpu.Values.Sum():F1} s, PostgreSQL server {serverCpu:F1} s; load average {LoadAverage()}");

            // The API says the same as the runs table: every source's last sync and pass ok (read from the first node).
            var api = await nodes[0].GetAsync("/api/cluster");
            var apiDone = api.GetProperty("sources").EnumerateArray().Count(s => names.Contains(s.GetProperty("source").GetString()!)
                && s.GetProperty("lastSync").ValueKind == JsonValueKind.Object && s.GetProperty("lastSync").GetProperty("outcome").GetString() == "ok"
                && s.GetProperty("lastPass").ValueKind == JsonValueKind.Object && s.GetProperty("lastPass").GetProperty("outcome").GetString() == "ok");
            Console.WriteLine($"    /api/cluster on {nodes[0].Name}: {apiDone} of {names.Count} sources with a last sync and a last pass ok");
            if (apiDone != names.Count) problems.Add($"/api/cluster shows {apiDone} of {names.Count} sources synced and passed");

            var failover = count > 1 ? await FailoverAsync(nodes, connectionString, problems) : null;
            return new Measure(count, wall, perNode, serverCpu, failover, problems, startSeconds);
        }
        catch
        {
            foreach (var node in nodes) Console.WriteLine($"--- {node.Name} output:\n{node.Output}");
            throw;
        }
        finally
        {
            // CLUSTERBENCH_LOGS=folder: each node's output there (with Quartz's debug log: which node acquired what, when).
            if (Environment.GetEnvironmentVariable("CLUSTERBENCH_LOGS") is { Length: > 0 } logs)
                foreach (var node in nodes) await File.WriteAllTextAsync(Path.Combine(logs, $"{count}-nodes-{node.Name}.log"), node.Output);
            foreach (var node in nodes) await node.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>
    /// Starts a sync of the slow source (its pull waits), kills the node running it with SIGKILL while it runs, and
    /// measures from the kill to the start of the rerun on another node and to its successful end.
    /// </summary>
    private static async Task<Failover?> FailoverAsync(List<Node> nodes, string connectionString, List<string> problems)
    {
        var before = (await RunsAsync(connectionString)).Select(r => r.Id).DefaultIfEmpty(0).Max();
        using (var response = await nodes[0].Client.PostAsync($"/api/sources/{Slow}/sync", null))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"POST /api/sources/{Slow}/sync: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        Run? running = null;
        while (running is null && DateTime.UtcNow < deadline)
        {
            running = (await RunsAsync(connectionString)).FirstOrDefault(r => r.Id > before && r.Job == "sync" && r.Source == Slow && r.Finished is null);
            if (running is null) await Task.Delay(50);
        }
        if (running is null) throw new TimeoutException($"The sync of {Slow} did not start within 2 minutes.");
        var victim = nodes.Single(x => x.Name == running.Node);
        victim.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var cut = (await RunsAsync(connectionString)).Single(r => r.Id == running.Id);
        if (cut.Finished is not null)
        {
            problems.Add($"failover not measured: the sync of {Slow} on {victim.Name} ended before the kill ({cut})");
            return null;
        }
        Console.WriteLine($"    failover: sync:{Slow} started on {victim.Name} at {running.Started:HH:mm:ss.fff}; SIGKILL at {killedAt:HH:mm:ss.fff}");
        deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var runs = await RunsAsync(connectionString);
            if (runs.FirstOrDefault(r => r.Id > cut.Id && r.Job == "sync" && r.Source == Slow && r.Outcome == "ok") is { } done)
            {
                var f = new Failover((done.Started - killedAt).TotalSeconds, (done.Finished!.Value - killedAt).TotalSeconds,
                    (done.Finished.Value - done.Started).TotalSeconds);
                Console.WriteLine($"    failover: rerun on {done.Node}{(done.Recovering ? " (Quartz's recovery run)" : "")} started {f.ToRerun:F1} s after the kill, " +
                                  $"done {f.ToDone:F1} s after it (the rerun took {f.RerunSeconds:F1} s; the slow pull waits {SlowPull.TotalSeconds:F0} s); " +
                                  $"runs of sync:{Slow} since: {string.Join("; ", runs.Where(r => r.Id > cut.Id && r.Job == "sync" && r.Source == Slow))}");
                if (done.Node == victim.Name) problems.Add($"the sync of {Slow} completed on the killed node's name {victim.Name}");
                return f;
            }
            await Task.Delay(100);
        }
        problems.Add($"the sync of {Slow} cut on {victim.Name} did not complete elsewhere within 5 minutes");
        return null;
    }

    private static readonly TimeSpan SlowPull = TimeSpan.FromSeconds(5);

    private static string SourceName(int i) => $"s{i:D2}";

    /// <summary>The nodes' configuration: the Demo sources (each its own seed; the shape of the Demo default org, scaled
    /// to <paramref name="contacts"/>), their syncs at <paramref name="fireAt"/>, no scheduled pass (the first sync of a
    /// node triggers the source's pass), and the slow source of the failover, synced only on demand.</summary>
    private static Dictionary<string, string> Settings(int sources, int contacts, DateTimeOffset fireAt)
    {
        var settings = new Dictionary<string, string> { ["TZ"] = "UTC" };
        void Source(int i, string name, int size, string syncCron, TimeSpan? pullDelay = null)
        {
            var p = $"CRMPULSE__SOURCES__{i}__";
            settings[p + "NAME"] = name;
            settings[p + "KIND"] = "Demo";
            settings[p + "SEED"] = $"{i + 1}";
            settings[p + "USERS"] = $"{Math.Max(10, size / 100)}";
            settings[p + "CONTACTS"] = $"{size}";
            settings[p + "COMPANIES"] = $"{Math.Max(20, size / 5)}";
            settings[p + "DEALS"] = $"{Math.Max(20, size * 3 / 20)}";
            settings[p + "ACTIVITIES"] = $"{Math.Max(100, size * 5 / 2)}";
            settings[p + "SYNCCRON"] = syncCron;
            settings[p + "KPICRON"] = Never;
            if (pullDelay is { } d) settings[p + "PULLDELAY"] = d.ToString("c", CultureInfo.InvariantCulture);
        }
        var at = string.Create(CultureInfo.InvariantCulture, $"{fireAt.Second} {fireAt.Minute} {fireAt.Hour} * * ?");
        for (var i = 0; i < sources; i++) Source(i, SourceName(i + 1), contacts, at);
        Source(sources, Slow, 500, Never, SlowPull);
        return settings;
    }

    private sealed record Run(long Id, string Job, string Source, string Node, DateTimeOffset Started, DateTimeOffset? Finished, string? Outcome, bool Recovering)
    {
        public override string ToString() =>
            $"#{Id} {Job}:{Source} on {Node} {Started:HH:mm:ss.fff}–{(Finished is { } f ? f.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : "unfinished")} {Outcome}{(Recovering ? " (recovering)" : "")}";
    }

    private static async Task<List<Run>> RunsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, job, source, node, started_ms, finished_ms, outcome, recovering FROM job_runs WHERE job IN ('sync', 'kpi') ORDER BY id", connection);
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

    /// <summary>Seconds during which at least one of the runs was running (their union).</summary>
    private static double Busy(List<Run> runs)
    {
        double busy = 0;
        DateTimeOffset? start = null, end = null;
        foreach (var r in runs.OrderBy(r => r.Started))
        {
            if (end is { } e && r.Started <= e)
            {
                if (r.Finished > e) end = r.Finished;
                continue;
            }
            if (start is { } s) busy += (end!.Value - s).TotalSeconds;
            (start, end) = (r.Started, r.Finished);
        }
        return start is { } last ? busy + (end!.Value - last).TotalSeconds : busy;
    }

    /// <summary>The most runs running at the same moment.</summary>
    private static int Concurrent(List<Run> runs)
    {
        var events = runs.SelectMany(r => new[] { (At: r.Started, Step: 1), (At: r.Finished!.Value, Step: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Step);
        int now = 0, most = 0;
        foreach (var e in events) most = Math.Max(most, now += e.Step);
        return most;
    }

    private static int? IntArg(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;

    /// <summary>CPU seconds (user + system) of a process, from /proc/PID/stat.</summary>
    private static double ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state, ppid, …; utime and stime are fields 14 and 15 of the line (11 and 12 here).
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // USER_HZ
    }

    private static double ServerCpu(int postmaster) => StoreBench.ServerCpu(postmaster);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>One CrmPulse node: crmpulse.dll run by dotnet on a free loopback port, clustered on the database.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private Node(string name, Process process, int port)
        {
            Name = name;
            _process = process;
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }

        public HttpClient Client { get; }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public static Node Start(string dll, string name, Dictionary<string, string> settings, string connectionString)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Path.GetDirectoryName(dll)!,
            };
            info.ArgumentList.Add(dll);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
            foreach (var v in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" }) info.Environment.Remove(v);
            foreach (var (k, v) in settings) info.Environment[k] = v;
            if (Environment.GetEnvironmentVariable("CLUSTERBENCH_LOGS") is { Length: > 0 }) info.Environment["Logging__LogLevel__Quartz"] = "Debug";
            info.Environment["CRMPULSE__STORE__PROVIDER"] = "PostgreSql";
            info.Environment["CRMPULSE__STORE__CONNECTIONSTRING"] = connectionString;
            info.Environment["CRMPULSE__CLUSTER__ENABLED"] = "true";
            info.Environment["CRMPULSE__CLUSTER__NODENAME"] = name;
            info.Environment["CRMPULSE__CLUSTER__CHECKININTERVAL"] = CheckinInterval.ToString("c", CultureInfo.InvariantCulture);
            return new Node(name, Process.Start(info)!, port);
        }

        public double Cpu() => ProcessCpu(_process.Id);

        public void ThrowIfExited()
        {
            if (_process.HasExited) throw new InvalidOperationException($"Node {Name} exited with {_process.ExitCode}:\n{Output}");
        }

        public async Task<JsonElement> GetAsync(string path) => JsonDocument.Parse(await Client.GetStringAsync(path)).RootElement.Clone();

        /// <summary>Polls GET path until <paramref name="done"/> holds for its JSON (true), or the timeout passes (false).</summary>
        public async Task<bool> WaitForAsync(string path, Func<JsonElement, bool> done, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                ThrowIfExited();
                try
                {
                    using var response = await Client.GetAsync(path);
                    if (response.IsSuccessStatusCode && done(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement)) return true;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                await Task.Delay(200);
            }
            return false;
        }

        /// <summary>SIGKILL (.NET's Process.Kill on Linux), as a crash or the OOM killer: no shutdown code runs.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
