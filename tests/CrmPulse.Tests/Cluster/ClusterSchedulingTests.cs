using CrmPulse.Jobs;
using CrmPulse.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace CrmPulse.Tests.Cluster;

/// <summary>The clustered scheduler's settings that the cluster benchmark measures (no database is opened here).</summary>
public sealed class ClusterSchedulingTests
{
    private static QuartzSchedulerOptions SchedulerOptions(ClusterOptions? cluster)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmPulseScheduling([], cluster: cluster, connectionString: cluster is null ? null : "Host=127.0.0.1;Port=1;Database=none");
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<QuartzSchedulerOptions>>().Value;
    }

    [Fact]
    public void A_clustered_node_acquires_one_trigger_a_round_so_firings_due_at_once_go_to_the_nodes_in_turn()
    {
        Assert.Equal(1, SchedulerOptions(new ClusterOptions { Enabled = true, NodeName = "n1" }).MaxBatchSize);
    }

    [Fact]
    public void A_single_node_keeps_Quartz_s_automatic_batch()
    {
        Assert.Equal(0, SchedulerOptions(null).MaxBatchSize);
    }
}
