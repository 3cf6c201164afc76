using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmPulse.Core.Kpis;
using Xunit.Abstractions;

namespace CrmPulse.Tests.Cluster;

/// <summary>
/// Running a cluster (separate processes on a real PostgreSQL): every node answers /api/sources, /api/cluster and the
/// store-wide series of /metrics alike while its own series carry its node label; a second node of a live member's
/// name is refused and a dead member's name is taken; a source dropped from the configuration leaves the schedule but
/// keeps its history; a SIGTERM in the middle of a sync hands it over, and it completes exactly once; missed firings
/// after every node was down run once, not once per missed interval.
/// </summary>
[Collection("Cluster")] // one cluster at a time
public sealed class ClusterOpsTests(ITestOutputHelper output)
{
    private static void Source(Dictionary<string, string> settings, int i, string name, string? syncCron = null, string? kpiCron = null,
        string? syncEvery = null, string? kpiEvery = null, string? pullDelay = null)
    {
        var p = $"CRMPULSE__SOURCES__{i}__";
        settings[p + "NAME"] = name;
        settings[p + "KIND"] = "Demo";
        settings[p + "SEED"] = $"{i + 1}";
        settings[p + "USERS"] = "20";
        settings[p + "CONTACTS"] = "300";
        settings[p + "COMPANIES"] = "60";
        settings[p + "DEALS"] = "30";
        settings[p + "ACTIVITIES"] = "600";
        if (syncCron is not null) settings[p + "SYNCCRON"] = syncCron;
        if (kpiCron is not null) settings[p + "KPICRON"] = kpiCron;
        if (syncEvery is not null) settings[p + "SYNCEVERY"] = syncEvery;
        if (kpiEvery is not null) settings[p + "KPIEVERY"] = kpiEvery;
        if (pullDelay is not null) settings[p + "PULLDELAY"] = pullDelay;
    }

    private static Task<ClusterNodes.Run> OkAsync(ClusterNodes cluster, string job, string source, long after = 0) =>
        cluster.WaitForRunAsync($"{job}:{source} ok", runs => runs.FirstOrDefault(r => r.Job == job && r.Source == source && r.Id > after && r.Outcome == "ok"),
            TimeSpan.FromSeconds(120));

    [Fact]
    public async Task Every_node_answers_the_store_alike_labels_its_own_series_and_a_live_members_name_is_refused_a_dead_ones_taken()
    {
        var settings = new Dictionary<string, string>();
        Source(settings, 0, "a", syncCron: "*/20 * * * * ?", kpiCron: "5/20 * * * * ?");
        Source(settings, 1, "b", syncCron: "10/20 * * * * ?", kpiCron: "15/20 * * * * ?");
        await using var cluster = await ClusterNodes.StartAsync(settings);
        try
        {
            foreach (var source in new[] { "a", "b" })
            {
                await OkAsync(cluster, "sync", source);
                await OkAsync(cluster, "kpi", source);
            }

            // /api/sources: the same on every node, apart from the passes this process ran (lastKpiPassAt, kpisLeftOut,
            // lastKpiError, lastKpiErrorAt); lastSyncRun and lastKpiRun name the node of the last run in the runs table.
            // Read again when a run started between the runs table and the answers (a sync or pass every 20 s).
            JsonArray sources;
            List<ClusterNodes.Run> runs;
            for (var attempt = 1; ; attempt++)
            {
                var before = await cluster.RunsAsync();
                sources = JsonNode.Parse(await cluster.SameOnEveryNodeAsync("/api/sources", StoreWide))!.AsArray();
                runs = await cluster.RunsAsync();
                if (runs.Select(r => r.Id).Order().SequenceEqual(before.Select(r => r.Id).Order()) || attempt == 5) break;
            }
            foreach (var s in sources)
            {
                var name = s!["name"]!.GetValue<string>();
                foreach (var (field, job) in new[] { ("lastSyncRun", "sync"), ("lastKpiRun", "kpi") })
                {
                    var run = s[field]!;
                    var last = runs.Where(r => r.Job == job && r.Source == name).MaxBy(r => (r.Started, r.Id))!;
                    Assert.Equal(last.Node, run["node"]!.GetValue<string>());
                    Assert.Equal(last.Started, run["startedAt"]!.GetValue<DateTimeOffset>());
                }
                // The demo CRM's 300 contacts, and a few more as its time passes.
                Assert.True(s["recordCounts"]!["contact"]!.GetValue<int>() >= 300, s.ToJsonString());
            }

            // /api/cluster: the same on every node, apart from which node answers (node, and self on its member).
            var status = JsonNode.Parse(await cluster.SameOnEveryNodeAsync("/api/cluster", j =>
            {
                var node = JsonNode.Parse(j.GetRawText())!.AsObject();
                node.Remove("node");
                foreach (var m in node["members"]!.AsArray()) m!.AsObject().Remove("self");
                return JsonSerializer.SerializeToElement(node);
            }))!;
            Assert.Equal(["n0", "n1", "n2"], status["members"]!.AsArray().Select(m => m!["node"]!.GetValue<string>()));

            // /metrics: the store-wide series (KPIs, mirror counts, last successes, members) alike on every node; each node
            // names itself in crmpulse_cluster_node_info and labels the job runs and durations it made with its own name.
            var storeWide = await cluster.SameTextOnEveryNodeAsync("/metrics", StoreWideSeries);
            var mirrored = System.Text.RegularExpressions.Regex.Match(storeWide, "^crmpulse_source_mirror_records\\{source=\"a\",object=\"contact\"\\} (\\d+)$",
                System.Text.RegularExpressions.RegexOptions.Multiline);
            Assert.True(mirrored.Success && int.Parse(mirrored.Groups[1].Value) >= 300, storeWide);
            Assert.Contains("crmpulse_job_last_success_timestamp_seconds{source=\"b\",job_type=\"kpi\"}", storeWide);
            Assert.Contains(KpiCatalog.All.First().MetricName + "{", storeWide);
            runs = await cluster.RunsAsync();
            foreach (var (name, node) in cluster.Nodes)
            {
                var metrics = await node.Client.GetStringAsync("/metrics");
                Assert.Contains($"crmpulse_cluster_node_info{{node=\"{name}\",clustered=\"true\"}} 1\n", metrics);
                var nodeLabels = metrics.Split('\n').Where(l => l.StartsWith("crmpulse_cluster_job_", StringComparison.Ordinal))
                    .Select(l => l[(l.IndexOf("node=\"", StringComparison.Ordinal) + 6)..].Split('"')[0]).Distinct().ToList();
                // A node that ran no job yet has no job series: every node here ran some (three nodes, two sources, runs every 10 s).
                if (runs.Any(r => r.Node == name && r.Finished is not null)) Assert.Equal([name], nodeLabels);
            }

            // A fourth process named n1 while n1 lives: refused, exit code 2, naming the name and n1's last check-in.
            await using var twin = cluster.StartOutside("n1");
            var exit = await twin.WaitForExitAsync(TimeSpan.FromSeconds(120));
            output.WriteLine(twin.Output);
            Assert.Equal(2, exit);
            Assert.Contains("CrmPulse:Cluster:NodeName 'n1' is taken by a live member of the cluster: it last checked in at ", twin.Output);
            // n1 itself runs on, still a member.
            await cluster.Nodes["n1"].WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == 3, TimeSpan.FromSeconds(10));

            // n2 killed, and a new n2 started at once (its check-in still fresh, but no longer moving): accepted.
            await cluster.KillAsync("n2");
            var reborn = cluster.Start("n2");
            var joined = await reborn.WaitForAsync("/api/cluster", j => j.GetProperty("members").EnumerateArray()
                .Any(m => m.GetProperty("node").GetString() == "n2" && m.GetProperty("self").GetBoolean()), TimeSpan.FromSeconds(120));
            Assert.Equal("n2", joined.GetProperty("node").GetString());
            await cluster.AssertNoOverlapAsync();
        }
        catch
        {
            output.WriteLine(cluster.Outputs());
            throw;
        }
    }

    /// <summary>/api/sources without the fields of the passes this process ran.</summary>
    private static JsonElement StoreWide(JsonElement sources)
    {
        var array = JsonNode.Parse(sources.GetRawText())!.AsArray();
        foreach (var s in array)
        {
            foreach (var perNode in new[] { "lastKpiPassAt", "kpisLeftOut", "lastKpiError", "lastKpiErrorAt" })
                s!.AsObject().Remove(perNode);
        }
        return JsonSerializer.SerializeToElement(array);
    }

    /// <summary>The store-wide series of a /metrics text, sorted: the KPI gauges, the mirror's counts, the last successes
    /// of syncs and passes, the members.</summary>
    private static string StoreWideSeries(string metrics)
    {
        var prefixes = KpiCatalog.All.Select(k => k.MetricName + "{")
            .Concat(["crmpulse_source_mirror_records{", "crmpulse_job_last_success_timestamp_seconds{", "crmpulse_cluster_members "]).ToArray();
        return string.Join("\n", metrics.Split('\n').Where(l => prefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal))).Order(StringComparer.Ordinal)) + "\n";
    }

    [Fact]
    public async Task A_dropped_source_leaves_the_schedule_keeping_its_history_and_a_sigterm_mid_sync_hands_it_over_to_complete_once()
    {
        var settings = new Dictionary<string, string>();
        Source(settings, 0, "slow", syncEvery: "01:00:00", kpiEvery: "01:00:00", pullDelay: "00:00:04");
        Source(settings, 1, "gone", syncCron: "*/2 * * * * ?", kpiCron: "*/4 * * * * ?");
        // A probe, a reconciliation pair and a report schedule to drop (index 1, or the only pair), and a probe and a report
        // schedule to keep (index 0). The probes' target: a closed port on 127.0.0.1 (a probe of a target down is a result).
        foreach (var (i, name) in new[] { (0, "crm"), (1, "billing") })
        {
            settings[$"CRMPULSE__INTEGRATIONS__{i}__NAME"] = name;
            settings[$"CRMPULSE__INTEGRATIONS__{i}__PROBEURL"] = "http://127.0.0.1:9/health";
            settings[$"CRMPULSE__INTEGRATIONS__{i}__EVERY"] = "01:00:00";
        }
        settings["CRMPULSE__RECONCILIATION__0__NAME"] = "migration";
        settings["CRMPULSE__RECONCILIATION__0__OLD"] = "slow";
        settings["CRMPULSE__RECONCILIATION__0__NEW"] = "gone";
        settings["CRMPULSE__RECONCILIATION__0__EVERY"] = "01:00:00";
        settings["CRMPULSE__REPORTS__SMTP__HOST"] = "127.0.0.1";
        settings["CRMPULSE__REPORTS__SMTP__FROM"] = "crmpulse@example.test";
        foreach (var (i, name) in new[] { (0, "weekly"), (1, "monthly") })
        {
            settings[$"CRMPULSE__REPORTS__SCHEDULES__{i}__NAME"] = name;
            settings[$"CRMPULSE__REPORTS__SCHEDULES__{i}__CRON"] = "0 0 8 1 1 ? 2099";
            settings[$"CRMPULSE__REPORTS__SCHEDULES__{i}__EMAILTO__0"] = "lead@example.test";
        }
        const string kept = "('sync:slow', 'kpi:slow', 'probe:crm', 'report:weekly')";
        const string dropped = "('probe:billing', 'reconciliation:migration', 'report:monthly')";
        await using var cluster = await ClusterNodes.StartAsync(settings);
        try
        {
            await OkAsync(cluster, "sync", "gone");
            await OkAsync(cluster, "kpi", "gone");
            Assert.Equal(3L, await cluster.ScalarAsync<long>($"SELECT count(*) FROM qrtz_job_details WHERE job_name IN {dropped}"));
            Assert.Equal(3L, await cluster.ScalarAsync<long>($"SELECT count(*) FROM qrtz_triggers WHERE job_name IN {dropped} AND trigger_name = job_name || ':trigger'"));
            // The stored triggers (StoredTriggers.KeyFor), not the one-off firings (a sync starting a KPI pass).
            const string keptTriggers = $"SELECT string_agg(job_name || '@' || start_time, ' ' ORDER BY job_name) FROM qrtz_triggers WHERE job_name IN {kept} AND trigger_name = job_name || ':trigger'";
            var keptBefore = await cluster.ScalarAsync<string>(keptTriggers);
            Assert.Equal(4, keptBefore.Split(' ').Length);

            // A node whose configuration no longer names "gone", "billing", "migration" (no pair at all) and "monthly": at
            // its start their jobs and triggers leave the cluster's schedule; nothing of "gone" runs afterwards, and what is
            // stored of it stays. The kept jobs' triggers are untouched.
            string[] droppedKeys = ["CRMPULSE__SOURCES__1__", "CRMPULSE__INTEGRATIONS__1__", "CRMPULSE__RECONCILIATION__0__", "CRMPULSE__REPORTS__SCHEDULES__1__"];
            var without = settings.Where(p => !droppedKeys.Any(d => p.Key.StartsWith(d, StringComparison.Ordinal))).ToDictionary();
            var n3 = cluster.Start("n3", without);
            await n3.WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == 4, TimeSpan.FromSeconds(120));
            await WaitForAsync(async () => await cluster.ScalarAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_name LIKE '%:gone'") == 0,
                "the jobs of 'gone' removed", cluster);
            Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE job_name LIKE '%:gone'"));
            await WaitForAsync(async () => await cluster.ScalarAsync<long>($"SELECT count(*) FROM qrtz_job_details WHERE job_name IN {dropped}") == 0,
                "the dropped probe's, pair's and report schedule's jobs removed", cluster);
            Assert.Equal(0L, await cluster.ScalarAsync<long>($"SELECT count(*) FROM qrtz_triggers WHERE job_name IN {dropped}"));
            Assert.Equal(4L, await cluster.ScalarAsync<long>($"SELECT count(*) FROM qrtz_job_details WHERE job_name IN {kept}"));
            Assert.Equal(keptBefore, await cluster.ScalarAsync<string>(keptTriggers));
            // Runs of "gone" started before the removal may still end; then nothing more starts.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var lastGone = (await cluster.RunsAsync()).Where(r => r.Source == "gone").Max(r => r.Id);
            async Task<int> GoneContacts() => (await cluster.Nodes["n0"].Client.GetFromJsonAsync<JsonElement>("/api/sources")).EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "gone").GetProperty("recordCounts").GetProperty("contact").GetInt32();
            var goneContacts = await GoneContacts();
            await Task.Delay(TimeSpan.FromSeconds(8));
            Assert.DoesNotContain(await cluster.RunsAsync(), r => r.Source == "gone" && r.Id > lastGone);
            // The demo CRM grows as time passes: at least its 300 contacts, and no longer synced, so no more since.
            Assert.True(goneContacts >= 300, $"{goneContacts}");
            Assert.Equal(goneContacts, await GoneContacts());
            Assert.True(await cluster.ScalarAsync<long>("SELECT count(*) FROM samples WHERE source = 'gone'") > 0);
            Assert.DoesNotContain(await n3.Client.GetFromJsonAsync<JsonElement>("/api/sources") is var n3Sources ? n3Sources.EnumerateArray() : default,
                s => s.GetProperty("name").GetString() == "gone");

            // SIGTERM to the node in the middle of a sync of "slow" (its pull waits 4 s). Its own trigger fired once as the
            // nodes started and fires again an hour later: only the manual sync below runs now.
            await OkAsync(cluster, "sync", "slow");
            var before = (await cluster.RunsAsync()).Select(r => r.Id).DefaultIfEmpty(0).Max();
            var manual = await cluster.Nodes["n0"].Client.PostAsync("/api/sources/slow/sync", null);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, manual.StatusCode);
            var cut = await cluster.WaitForRunAsync("sync:slow running", all => all.FirstOrDefault(r => r.Job == "sync" && r.Source == "slow" && r.Id > before && r.Finished is null),
                TimeSpan.FromSeconds(90), pollMs: 20);
            var stopped = DateTimeOffset.UtcNow;
            Assert.Equal(0, await cluster.StopAsync(cut.Node));
            output.WriteLine($"SIGTERM to {cut.Node}: exited after {(DateTimeOffset.UtcNow - stopped).TotalSeconds:0.0} s");
            var done = await OkAsync(cluster, "sync", "slow", after: before);
            // Quiet a while: no second completion, nothing left running.
            await Task.Delay(TimeSpan.FromSeconds(10));
            var after = (await cluster.RunsAsync()).Where(r => r.Job == "sync" && r.Source == "slow" && r.Id > before).ToList();
            output.WriteLine(string.Join("\n", after));
            Assert.Single(after, r => r.Outcome == "ok");
            Assert.All(after, r => Assert.NotNull(r.Finished));
            // Handed over: the cut run ended cancelled on the stopped node and the sync completed on another; or the
            // stopped node finished it itself before exiting.
            if (done.Id != cut.Id)
            {
                Assert.Equal("cancelled", after.Single(r => r.Id == cut.Id).Outcome);
                Assert.NotEqual(cut.Node, done.Node);
                Assert.Equal(2, after.Count);
            }
            else Assert.Single(after);
            var slow = (await cluster.Nodes.Values.First().Client.GetFromJsonAsync<JsonElement>("/api/sources")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "slow");
            Assert.Equal("ok", slow.GetProperty("status").GetString());
            Assert.True(slow.GetProperty("recordCounts").GetProperty("contact").GetInt32() >= 300, slow.ToString());
            Assert.Equal(done.Node, slow.GetProperty("lastSyncRun").GetProperty("node").GetString());
            await cluster.AssertNoOverlapAsync();
        }
        catch
        {
            output.WriteLine(cluster.Outputs());
            throw;
        }
    }

    [Fact]
    public async Task After_every_node_was_down_for_several_intervals_the_missed_sync_runs_once_not_once_per_missed_interval()
    {
        var settings = new Dictionary<string, string>();
        Source(settings, 0, "m", syncEvery: "00:00:20", kpiEvery: "01:00:00");
        await using var cluster = await ClusterNodes.CreateAsync(settings);
        try
        {
            var first = cluster.Start("n0");
            await first.WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == 1, TimeSpan.FromSeconds(120));
            var synced = await OkAsync(cluster, "sync", "m");
            // Stopped right after its first sync, well before the next (20 s later).
            Assert.Equal(0, await cluster.StopAsync("n0"));
            var lastBefore = (await cluster.RunsAsync()).Where(r => r.Job == "sync").MaxBy(r => r.Started)!;
            // Down for 45 s after the last sync: two 20 s firings missed, 25 s and 5 s late at the restart, more by the time
            // the new node has started: misfires for the 5 s threshold, while Quartz's default 60 s would run both in a row.
            var wait = lastBefore.Started + TimeSpan.FromSeconds(45) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);

            var restart = DateTimeOffset.UtcNow;
            cluster.Start("n1");
            // A run n0's stop cancelled would be rerun first (recovering, see the SIGTERM test): not a misfire, not counted.
            var missed = await cluster.WaitForRunAsync("sync:m after the restart", all => all.FirstOrDefault(r => r.Job == "sync" && r.Id > lastBefore.Id && !r.Recovering),
                TimeSpan.FromSeconds(120));
            output.WriteLine($"first sync {(missed.Started - restart).TotalSeconds:0.0} s after the restart ({(missed.Started - lastBefore.Started).TotalSeconds:0.0} s after the last one)");
            // The next regular firing is 20 s after the missed one; a catch-up would start the other missed ones at once.
            await Task.Delay(missed.Started + TimeSpan.FromSeconds(14) - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero);
            var afterRestart = (await cluster.RunsAsync()).Where(r => r.Job == "sync" && r.Id > lastBefore.Id).ToList();
            output.WriteLine(string.Join("\n", afterRestart));
            Assert.Single(afterRestart, r => !r.Recovering && r.Started < missed.Started + TimeSpan.FromSeconds(14));
            // A recovery run only for a run the stop cancelled.
            var cancelled = (await cluster.RunsAsync()).Count(r => r.Job == "sync" && r.Node == "n0" && r.Outcome == "cancelled");
            Assert.Equal(cancelled, afterRestart.Count(r => r.Recovering));
            Assert.Equal("n1", missed.Node);
            Assert.True(synced.Id <= lastBefore.Id);
        }
        catch
        {
            output.WriteLine(cluster.Outputs());
            throw;
        }
    }

    [Fact]
    public async Task An_hourly_source_and_probe_run_once_as_the_nodes_start_one_after_the_other_and_a_node_starting_later_moves_no_firing()
    {
        // Three nodes started one after the other: each stores the source's triggers and the probe's. The first sync (and
        // the pass it starts) and the first probe are due at once; a node starting before they fired used to put them a
        // whole interval (1 h) later (Quartz's replace-relative upsert, which the probe's trigger still went through).
        var settings = new Dictionary<string, string>();
        Source(settings, 0, "h", syncEvery: "01:00:00", kpiEvery: "01:00:00");
        // Nothing listens there: a failed probe is still a probe made and recorded.
        settings["CRMPULSE__INTEGRATIONS__0__NAME"] = "billing";
        settings["CRMPULSE__INTEGRATIONS__0__PROBEURL"] = "http://127.0.0.1:9/health";
        settings["CRMPULSE__INTEGRATIONS__0__EVERY"] = "01:00:00";
        await using var cluster = await ClusterNodes.StartAsync(settings);
        try
        {
            var synced = await OkAsync(cluster, "sync", "h");
            await OkAsync(cluster, "kpi", "h");
            var probed = await OkAsync(cluster, "probe", "billing");
            async Task<(long Previous, long Next)> FiringsAsync(string job) => (
                await cluster.ScalarAsync<long>($"SELECT coalesce(prev_fire_time, -1) FROM qrtz_triggers WHERE trigger_name = '{job}:trigger'"),
                await cluster.ScalarAsync<long>($"SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = '{job}:trigger'"));
            var sync = await FiringsAsync("sync:h");
            var kpi = await FiringsAsync("kpi:h");
            var probe = await FiringsAsync("probe:billing");
            // Quartz.NET stores ticks: the next sync and probe an hour after the ones that ran (the KPI trigger has not
            // fired: the first pass ran on the first sync's request).
            Assert.Equal(TimeSpan.FromHours(1).Ticks, sync.Next - sync.Previous);
            Assert.Equal(TimeSpan.FromHours(1).Ticks, probe.Next - probe.Previous);

            // A node starting later: the stored firings stay where they were, and nothing runs again.
            var n3 = cluster.Start("n3");
            await n3.WaitForAsync("/api/cluster", j => j.GetProperty("members").GetArrayLength() == 4, TimeSpan.FromSeconds(120));
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(sync, await FiringsAsync("sync:h"));
            Assert.Equal(kpi, await FiringsAsync("kpi:h"));
            Assert.Equal(probe, await FiringsAsync("probe:billing"));
            var runs = await cluster.RunsAsync();
            output.WriteLine(string.Join("\n", runs));
            Assert.Equal(synced.Id, Assert.Single(runs, r => r.Job == "sync").Id);
            Assert.Single(runs, r => r.Job == "kpi");
            Assert.Equal(probed.Id, Assert.Single(runs, r => r.Job == "probe").Id);
            await cluster.AssertNoOverlapAsync();
        }
        catch
        {
            output.WriteLine(cluster.Outputs());
            throw;
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, string what, ClusterNodes cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await done()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"Not within 60 s: {what}\n{cluster.Outputs()}");
    }
}
