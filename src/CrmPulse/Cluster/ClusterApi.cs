using CrmPulse.Hosting;
using CrmPulse.Options;
using CrmPulse.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Cluster;

/// <summary>/api/cluster: the members of the cluster and, per source, which node ran its last sync and KPI pass.</summary>
public static class ClusterApi
{
    /// <param name="LastCheckinAt">The member's last check-in (Quartz's qrtz_scheduler_state); null when not clustered.</param>
    /// <param name="Self">The node that answers.</param>
    public sealed record Member(string Node, DateTimeOffset? LastCheckinAt, TimeSpan? CheckinInterval, bool Self);

    /// <param name="FinishedAt">Null while it runs, and for a run whose node died during it (then a later run, often
    /// <paramref name="Recovering"/>, shows where it completed).</param>
    /// <param name="Outcome">"ok", "failed", "not computed", "cancelled"; null like FinishedAt.</param>
    /// <param name="Recovering">Quartz's rerun, on another node, of a run whose node died.</param>
    public sealed record Run(string Node, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Outcome, bool Recovering);

    public sealed record SourceRuns(string Source, Run? LastSync, Run? LastPass);

    /// <param name="Node">The node that answers (CrmPulse:Cluster:NodeName).</param>
    /// <param name="Clustered">CrmPulse:Cluster:Enabled.</param>
    public sealed record ClusterStatus(string Node, bool Clustered, TimeSpan CheckinInterval, IReadOnlyList<Member> Members,
        IReadOnlyList<SourceRuns> Sources);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster", Status).WithTags("Cluster").WithName("Cluster")
            .WithSummary("The nodes of the cluster and their last check-in; per source, the node, time and outcome of its last sync and KPI pass.");
        return app;
    }

    public static async Task<Ok<ClusterStatus>> Status(IJobRuns runs, CrmPulseOptions options, SourceRegistry sources, CancellationToken ct)
    {
        var cluster = options.Cluster;
        var members = cluster.Enabled
            ? (await runs.ClusterMembersAsync(ct)).Select(m => new Member(m.Node, m.LastCheckinAt, m.CheckinInterval, m.Node == cluster.NodeName)).ToList()
            : [new Member(cluster.NodeName, null, null, true)];
        var last = await runs.LastRunsAsync(ct);
        var names = sources.Names.Concat(last.Where(r => r.Job is "sync" or "kpi").Select(r => r.Source).Distinct(StringComparer.Ordinal)
            .Where(n => !sources.Names.Contains(n, StringComparer.Ordinal)).Order(StringComparer.Ordinal));
        return TypedResults.Ok(new ClusterStatus(cluster.NodeName, cluster.Enabled, cluster.CheckinInterval, members,
            names.Select(n => new SourceRuns(n, LastRun(last, "sync", n), LastRun(last, "kpi", n))).ToList()));
    }

    /// <summary>The last run of <paramref name="job"/> for <paramref name="source"/> among <see cref="IJobRuns.LastRunsAsync"/>.</summary>
    public static Run? LastRun(IReadOnlyList<JobRun> last, string job, string source) =>
        last.FirstOrDefault(r => r.Job == job && r.Source == source) is { } r ? new Run(r.Node, r.StartedAt, r.FinishedAt, r.Outcome, r.Recovering) : null;
}
