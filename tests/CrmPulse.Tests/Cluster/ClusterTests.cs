using System.Text.Json;
using Xunit.Abstractions;

namespace CrmPulse.Tests.Cluster;

/// <summary>
/// Three CrmPulse nodes as separate processes, clustered on a real PostgreSQL (Quartz's clustered job store): a job of
/// a source never runs on two nodes at once (checked from the runs table), a node killed with SIGKILL in the middle of a
/// sync and of a KPI pass loses nothing and the job is rerun and completed on another node, and every node answers
/// the API alike from the shared store.
/// </summary>
[Collection("Cluster")] // one three-node cluster at a time
public sealed class ClusterTests(ITestOutputHelper output)
{
    /// <summary>Demo sources, small: "slow" pulls for 4 s (a sync to kill), "big" has a pass of a fraction of a second (more
    /// under load: a pass to kill), "a" and "b" keep every node busy.</summary>
    private static Dictionary<string, string> Settings()
    {
        var settings = new Dictionary<string, string>();
        void Source(int i, string name, int contacts, string syncCron, string kpiCron, string? pullDelay = null)
        {
            var p = $"CRMPULSE__SOURCES__{i}__";
            settings[p + "NAME"] = name;
            settings[p + "KIND"] = "Demo";
            settings[p + "SEED"] = $"{i + 1}";
            settings[p + "USERS"] = "20";
            settings[p + "CONTACTS"] = $"{contacts}";
            settings[p + "COMPANIES"] = $"{Math.Max(20, contacts / 5)}";
            settings[p + "DEALS"] = $"{Math.Max(20, contacts / 10)}";
            settings[p + "ACTIVITIES"] = $"{contacts * 2}";
            settings[p + "SYNCCRON"] = syncCron;
            settings[p + "KPICRON"] = kpiCron;
            if (pullDelay is not null) settings[p + "PULLDELAY"] = pullDelay;
        }
        // Quartz crons (sec min hour dom mon dow): intervals under the 10 s SyncEvery/KpiEvery allow.
        Source(0, "a", 300, "*/2 * * * * ?", "*/4 * * * * ?");
        Source(1, "b", 300, "*/3 * * * * ?", "*/5 * * * * ?");
        Source(2, "slow", 300, "*/5 * * * * ?", "*/10 * * * * ?", pullDelay: "00:00:04");
        Source(3, "big", 5000, "*/15 * * * * ?", "*/2 * * * * ?");
        return settings;
    }

    [Fact]
    public async Task Three_nodes_share_the_sources_one_run_at_a_time_survive_sigkill_mid_sync_and_mid_pass_and_answer_alike()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await ClusterNodes.StartAsync(Settings());
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: three nodes up");
        try
        {
            // Every source synced and passed at least once.
            foreach (var source in new[] { "a", "b", "slow", "big" })
            {
                await cluster.WaitForRunAsync($"sync:{source} ok", runs => runs.FirstOrDefault(r => r.Job == "sync" && r.Source == source && r.Outcome == "ok"), TimeSpan.FromSeconds(120));
                await cluster.WaitForRunAsync($"kpi:{source} ok", runs => runs.FirstOrDefault(r => r.Job == "kpi" && r.Source == source && r.Outcome == "ok"), TimeSpan.FromSeconds(120));
            }

            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: every source synced and passed");
            // The same answers from every node: the KPIs, the sources' stored state, the cluster.
            var latest = await cluster.SameOnEveryNodeAsync("/api/kpis/latest");
            Assert.True(JsonDocument.Parse(latest).RootElement.GetArrayLength() > 0);
            await cluster.SameOnEveryNodeAsync("/api/sources", StoredState);
            var members = await cluster.SameOnEveryNodeAsync("/api/cluster", j => j.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("node")).ToArray() is var n ? JsonSerializer.SerializeToElement(n) : default);
            Assert.Equal("""["n0","n1","n2"]""", members);
            var cluster0 = JsonDocument.Parse(await cluster.Nodes["n0"].Client.GetStringAsync("/api/cluster")).RootElement;
            Assert.True(cluster0.GetProperty("clustered").GetBoolean());
            var runs = await cluster.RunsAsync();
            foreach (var source in cluster0.GetProperty("sources").EnumerateArray())
            {
                // The node and start of each source's last sync as the runs table has them (a newer one may have started since).
                var lastSync = source.GetProperty("lastSync");
                var name = source.GetProperty("source").GetString()!;
                Assert.Contains(runs, r => r.Job == "sync" && r.Source == name && r.Node == lastSync.GetProperty("node").GetString()
                    && r.Started == lastSync.GetProperty("startedAt").GetDateTimeOffset());
            }
            var metrics = await cluster.Nodes["n1"].Client.GetStringAsync("/metrics");
            Assert.Contains("crmpulse_cluster_node_info{node=\"n1\",clustered=\"true\"} 1\n", metrics);
            Assert.Contains("crmpulse_cluster_members 3\n", metrics);

            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: answers alike");
            // SIGKILL of the node in the middle of a sync of "slow" (its pull waits 4 s).
            var cutSync = await KillDuringAsync(cluster, "sync", "slow");
            var recoveredSync = await cluster.WaitForRunAsync("sync:slow completed after the kill",
                all => all.FirstOrDefault(r => r.Job == "sync" && r.Source == "slow" && r.Id > cutSync.Id && r.Outcome == "ok"), TimeSpan.FromSeconds(90));
            Assert.NotEqual(cutSync.Node, recoveredSync.Node);
            var rerun = await cluster.WaitForRunAsync("sync:slow recovering", all => all.FirstOrDefault(r => r.Job == "sync" && r.Source == "slow" && r.Id > cutSync.Id && r.Recovering),
                TimeSpan.FromSeconds(60));
            output.WriteLine($"sync cut on {cutSync.Node}: recovery started {(rerun.Started - cluster.KilledAt[cutSync.Node]).TotalSeconds:0.0} s after the kill on {rerun.Node}");

            // SIGKILL of the node in the middle of a KPI pass of "big".
            var cutPass = await KillDuringAsync(cluster, "kpi", "big");
            var recoveredPass = await cluster.WaitForRunAsync("kpi:big completed after the kill",
                all => all.FirstOrDefault(r => r.Job == "kpi" && r.Source == "big" && r.Id > cutPass.Id && r.Outcome == "ok"), TimeSpan.FromSeconds(90));
            Assert.NotEqual(cutPass.Node, recoveredPass.Node);
            // The next pass after the death is Quartz's recovery run, or the regular trigger when it fires first (the job
            // disallows concurrent runs, so the recovery then waits its turn): either way a whole pass on another node.
            Assert.True(recoveredPass.Started >= cluster.KilledAt[cutPass.Node]);
            output.WriteLine($"pass cut on {cutPass.Node}: completed on {recoveredPass.Node}, started {(recoveredPass.Started - cluster.KilledAt[cutPass.Node]).TotalSeconds:0.0} s after the kill"
                + (recoveredPass.Recovering ? " (the recovery run)" : ""));

            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: both recovered");
            // Nothing lost: the nodes left hold every source's records and serve a whole pass of each.
            var survivor = cluster.Nodes.Values.First();
            var sources = await survivor.WaitForAsync("/api/sources", j => j.EnumerateArray().All(s => s.GetProperty("status").GetString() == "ok"), TimeSpan.FromSeconds(30));
            foreach (var s in sources.EnumerateArray())
                Assert.True(s.GetProperty("recordCounts").GetProperty("contact").GetInt32() >= (s.GetProperty("name").GetString() == "big" ? 5000 : 300), s.ToString());
            // The dead nodes leave the cluster once their jobs are recovered.
            await survivor.WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == cluster.Nodes.Count, TimeSpan.FromSeconds(60));
            await cluster.AssertNoOverlapAsync();
        }
        catch
        {
            output.WriteLine(cluster.Outputs());
            throw;
        }
    }

    /// <summary>The part of /api/sources read from the store (lastKpiPassAt and the left-out KPIs are per process).</summary>
    private static JsonElement StoredState(JsonElement sources) => JsonSerializer.SerializeToElement(sources.EnumerateArray().Select(s => new
    {
        name = s.GetProperty("name").GetString(),
        status = s.GetProperty("status").GetString(),
        lastSuccessAt = s.GetProperty("lastSuccessAt").GetString(),
        recordCounts = s.GetProperty("recordCounts"),
    }).ToArray());

    /// <summary>Kills the node running a <paramref name="job"/> of <paramref name="source"/> while it runs: found unfinished
    /// in the runs table, killed, and checked to have stayed unfinished (else another attempt on the next run).</summary>
    private static async Task<ClusterNodes.Run> KillDuringAsync(ClusterNodes cluster, string job, string source)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var running = await cluster.WaitForRunAsync($"{job}:{source} running on a live node",
                all => all.LastOrDefault(r => r.Job == job && r.Source == source && r.Finished is null && cluster.Nodes.ContainsKey(r.Node)),
                TimeSpan.FromSeconds(90), pollMs: 20);
            await cluster.KillAsync(running.Node);
            var after = (await cluster.RunsAsync()).Single(r => r.Id == running.Id);
            if (after.Finished is null) return after;
            // It ended just before the kill: a node of another name takes the dead one's place, and the next run is tried.
            var replacement = cluster.Start($"{running.Node}r{attempt}");
            await replacement.WaitForAsync("/api/cluster", _ => true, TimeSpan.FromSeconds(120));
        }
        throw new InvalidOperationException($"Could not kill a node in the middle of {job}:{source}.");
    }
}
