using CrmPulse.Options;
using CrmPulse.Storage;

namespace CrmPulse.Cluster;

/// <summary>
/// At start: refuses a node whose CrmPulse:Cluster:NodeName a live member of the cluster already has. Two schedulers of
/// one instance id would take each other's firings for their own and never recover each other's jobs. A member of that
/// name whose check-in is older than its window (its check-in interval plus Quartz's 7.5 s margin) is a dead node: accepted.
/// One still inside its window may be a node that just stopped or was killed: its check-in is watched for one more interval,
/// and only a check-in that moves is a live node.
/// </summary>
public static class NodeNameCheck
{
    /// <summary>Quartz's margin before another node declares a member dead (ClusterCheckinMisfireThreshold).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(7.5);

    /// <summary>Null when the name is free (or held by a dead node); else why this node must not start.</summary>
    public static async Task<string?> ProblemAsync(IJobRuns runs, ClusterOptions cluster, TimeProvider time, CancellationToken ct)
    {
        var name = cluster.NodeName;
        if (await FindAsync(runs, name, ct) is not { } seen) return null;
        var window = seen.CheckinInterval + Margin;
        if (time.GetUtcNow() - seen.LastCheckinAt > window) return null;
        // One check-in interval and a second: a live node checks in within it.
        await Task.Delay(seen.CheckinInterval + TimeSpan.FromSeconds(1), time, ct);
        if (await FindAsync(runs, name, ct) is not { } again || again.LastCheckinAt == seen.LastCheckinAt) return null;
        var ago = time.GetUtcNow() - again.LastCheckinAt;
        return $"CrmPulse:Cluster:NodeName '{name}' is taken by a live member of the cluster: it last checked in at "
            + $"{again.LastCheckinAt.ToUniversalTime():yyyy-MM-ddTHH:mm:ss.fffZ} ({Math.Max(0, ago.TotalSeconds):0.0} s ago, every "
            + $"{again.CheckinInterval.TotalSeconds:0.###} s). Give this node a name of its own (CRMPULSE__CLUSTER__NODENAME), "
            + "or stop the other node first.";
    }

    private static async Task<ClusterMember?> FindAsync(IJobRuns runs, string name, CancellationToken ct) =>
        (await runs.ClusterMembersAsync(ct)).FirstOrDefault(m => string.Equals(m.Node, name, StringComparison.Ordinal));
}
