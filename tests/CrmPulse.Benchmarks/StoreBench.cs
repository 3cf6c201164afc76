using System.Diagnostics;
using System.Globalization;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Core.Store;
using CrmPulse.Storage;
using CrmPulse.Storage.Postgres;
using CrmPulse.Storage.Tests.Postgres;
using Npgsql;

namespace CrmPulse.Benchmarks;

/// <summary>
/// --store: the KPI pass as the daemon runs it on each store, SQLite against PostgreSQL, in one process: the store read
/// (LoadSnapshotAsync), the pass (KpiEngine.Compute) and the pass's write (CommitPassAsync: samples, per-user rows,
/// issues, latest values, one transaction), over the benchmark's org written into both mirrors by one sync each. The
/// PostgreSQL is a real server started as the tests start it (initdb in a temp folder, 127.0.0.1, a free port; fsync
/// off, as in the tests), stopped by its process id at the end. Rounds alternate the stores.
/// </summary>
internal static class StoreBench
{
    private const string Source = "bench";

    public static async Task<int> RunAsync(int seed, double scale, int rounds)
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-storebench-").FullName;
        var server = await PostgresServer.StartAsync();
        try
        {
            // No command timeout: a pass's write at full scale outlasts the tests' 120 s on a loaded machine.
            var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { CommandTimeout = 0 }.ToString();
            using var sqlite = await SqliteStore.OpenAsync(Path.Combine(dir, "bench.db"), CancellationToken.None);
            using var postgres = await PostgresStore.OpenAsync(connectionString, TimeProvider.System, CancellationToken.None);
            Console.WriteLine($"Stores: SQLite {sqlite.Location}; {postgres.Location} (PostgreSQL started as the tests start it, fsync off), load average {LoadAverage()}");
            var stores = new (string Name, ICrmStore Store)[] { ("SQLite", sqlite), ("PostgreSQL", postgres) };

            await SyncAsync(seed, scale, stores, server.Pid!.Value);

            var measured = stores.ToDictionary(s => s.Name, _ => new List<PassTimes>());
            for (var round = 1; round <= rounds; round++)
            {
                // Alternate which store goes first, so neither always runs on a machine the other has just warmed.
                foreach (var (name, store) in round % 2 == 1 ? stores : stores.Reverse())
                {
                    var t = await MeasurePassAsync(store, server.Pid!.Value);
                    measured[name].Add(t);
                    Console.WriteLine($"  round {round}, {name,-10}: read {t.Read,6:F2} s, pass {t.Compute,6:F2} s, write {t.Write,6:F2} s, " +
                                      $"total {t.Total,6:F2} s wall; CPU {t.Cpu,6:F2} s here + {t.ServerCpu,5:F2} s PostgreSQL server; " +
                                      $"{t.Samples:N0} samples, {t.Issues:N0} issues, {t.Users:N0} user rows");
                }
            }

            var steady = rounds > 1 ? 1 : 0; // the first round also compiles the code
            double Median(string store, Func<PassTimes, double> f)
            {
                var a = measured[store].Skip(steady).Select(f).Order().ToArray();
                return a.Length % 2 == 1 ? a[a.Length / 2] : (a[a.Length / 2 - 1] + a[a.Length / 2]) / 2;
            }
            Console.WriteLine();
            Console.WriteLine($"KPI pass on each store ({rounds - steady} round(s){(steady > 0 ? " after the first" : "")}, medians; ratio PostgreSQL / SQLite):");
            Console.WriteLine("  | measure | SQLite | PostgreSQL | ratio |");
            foreach (var (label, f) in new (string, Func<PassTimes, double>)[]
                     {
                         ("store read (snapshot)", t => t.Read), ("pass (KpiEngine.Compute)", t => t.Compute),
                         ("the pass's write (one transaction)", t => t.Write), ("read + pass + write, wall", t => t.Total),
                         ("CPU, this process", t => t.Cpu), ("CPU, this process + PostgreSQL server", t => t.Cpu + t.ServerCpu),
                     })
            {
                var (a, b) = (Median("SQLite", f), Median("PostgreSQL", f));
                Console.WriteLine($"  | {label} | {a:F2} s | {b:F2} s | {b / a:F2}× |");
            }
            Console.WriteLine($"  (load average {LoadAverage()}; process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB)");
            return 0;
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The generated org into both mirrors, one first sync each (phones judged as a sync judges them). Its own
    /// method: the generated org is garbage before the passes read their snapshots.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task SyncAsync(int seed, double scale, (string Name, ICrmStore Store)[] stores, int serverPid)
    {
        var org = new OrgGenerator(seed, scale).Generate();
        DataQualityChecks.JudgePhones((List<Contact>)org.Contacts, new DataQualityOptions());
        var changes = new ChangeSet();
        changes.Users.AddRange(org.Users);
        changes.Logins.AddRange(org.Logins);
        changes.Contacts.AddRange(org.Contacts);
        changes.Companies.AddRange(org.Companies);
        changes.Deals.AddRange(org.Deals);
        changes.Activities.AddRange(org.Activities);
        Console.WriteLine($"Org: {org.Users.Count:N0} users, {org.Logins.Count:N0} logins, {org.Contacts.Count:N0} contacts, {org.Companies.Count:N0} companies, " +
                          $"{org.Deals.Count:N0} deals, {org.Activities.Count:N0} activities");
        foreach (var (name, store) in stores)
        {
            var (wall, cpu, server) = (Stopwatch.StartNew(), Cpu(), ServerCpu(serverPid));
            var result = await store.ApplyAsync(Source, changes, OrgGenerator.AsOf, CancellationToken.None);
            Console.WriteLine($"  first sync into {name,-10}: {wall.Elapsed.TotalSeconds,6:F1} s wall, CPU {Cpu() - cpu:F1} s here + " +
                              $"{ServerCpu(serverPid) - server:F1} s PostgreSQL server ({result.Error ?? "ok"})");
        }
    }

    private sealed record PassTimes(double Read, double Compute, double Write, double Cpu, double ServerCpu, int Samples, int Issues, int Users)
    {
        public double Total => Read + Compute + Write;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<PassTimes> MeasurePassAsync(ICrmStore store, int serverPid)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var (cpu, server) = (Cpu(), ServerCpu(serverPid));
        var watch = Stopwatch.StartNew();
        var snapshot = await store.LoadSnapshotAsync(Source, CancellationToken.None);
        var read = watch.Elapsed.TotalSeconds;
        var result = KpiEngine.Compute(snapshot, OrgGenerator.AsOf, new KpiOptions());
        var compute = watch.Elapsed.TotalSeconds - read;
        await store.CommitPassAsync(Source, OrgGenerator.AsOf, result, CancellationToken.None);
        var write = watch.Elapsed.TotalSeconds - read - compute;
        return new PassTimes(read, compute, write, Cpu() - cpu, ServerCpu(serverPid) - server,
            result.Samples.Count, result.Issues.Count, result.Users.Count);
    }

    private static double Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>CPU seconds of the PostgreSQL server, from /proc: the postmaster, its live children (backends, workers),
    /// and the children it has reaped (cutime, cstime: parallel and autovacuum workers come and go).</summary>
    internal static double ServerCpu(int postmaster)
    {
        double ticks = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(proc, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command: state, ppid, …; utime, stime, cutime, cstime are fields 14 to 17 of the line (11 to 14 here).
            if (pid != postmaster && int.Parse(fields[1], CultureInfo.InvariantCulture) != postmaster) continue;
            ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            if (pid == postmaster) ticks += double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture);
        }
        return ticks / 100.0; // USER_HZ
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
