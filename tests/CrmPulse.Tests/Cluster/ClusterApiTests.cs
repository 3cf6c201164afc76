using Microsoft.Extensions.DependencyInjection;
using CrmPulse.Storage;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Cluster;

/// <summary>/api/cluster on one node (SQLite): this node as the only member, and per source the runs table's last sync
/// and pass, with their node, times, outcome and recovery flag.</summary>
public sealed class ClusterApiTests
{
    [Fact]
    public async Task One_node_lists_itself_and_the_last_sync_and_pass_of_each_source_from_the_runs_table()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>
        {
            ["CrmPulse:Cluster:NodeName"] = "solo",
            ["CrmPulse:Sources:0:Name"] = "demo",
            ["CrmPulse:Sources:0:Kind"] = "Demo",
            ["CrmPulse:Sources:0:Users"] = "10",
            ["CrmPulse:Sources:0:Contacts"] = "100",
            ["CrmPulse:Sources:0:Companies"] = "20",
            ["CrmPulse:Sources:0:Deals"] = "20",
            ["CrmPulse:Sources:0:Activities"] = "100",
        });
        var runs = host.Services.GetRequiredService<IJobRuns>();
        var t0 = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var sync = await runs.StartRunAsync("sync", "demo", "solo", false, t0, CancellationToken.None);
        await runs.FinishRunAsync(sync, "ok", t0.AddSeconds(1.5), CancellationToken.None);
        await runs.StartRunAsync("kpi", "demo", "solo", true, t0.AddSeconds(2), CancellationToken.None);

        var cluster = await host.GetJsonAsync("/api/cluster");

        Assert.Equal("""
            {"node":"solo","clustered":false,"checkinInterval":"00:00:15","members":[{"node":"solo","lastCheckinAt":null,"checkinInterval":null,"self":true}],"sources":[{"source":"demo","lastSync":{"node":"solo","startedAt":"2026-12-03T10:00:00+00:00","finishedAt":"2026-12-03T10:00:01.5+00:00","outcome":"ok","recovering":false},"lastPass":{"node":"solo","startedAt":"2026-12-03T10:00:02+00:00","finishedAt":null,"outcome":null,"recovering":true}}]}
            """, cluster.GetRawText());
        Assert.Contains("crmpulse_cluster_node_info{node=\"solo\",clustered=\"false\"} 1\n", await host.Client.GetStringAsync("/metrics"));
    }
}
