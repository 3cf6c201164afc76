namespace CrmPulse.Storage;

/// <summary>One run of a scheduled job: which node ran it, from when to when, and how it ended.</summary>
/// <param name="Job">The kind of job: "sync", "kpi", "probe", "backfill", … (the part of its Quartz key before ':').</param>
/// <param name="Source">What it ran for: the source (sync, kpi, backfill) or the integration (probe).</param>
/// <param name="Node">The node that ran it (CrmPulse:Cluster:NodeName).</param>
/// <param name="FinishedAt">Null while it runs, and for ever when its node died during it.</param>
/// <param name="Outcome">"ok", "failed", "not computed" or "cancelled"; null like <paramref name="FinishedAt"/>.</param>
/// <param name="Recovering">A rerun Quartz started on another node because the node running it died.</param>
public sealed record JobRun(long Id, string Job, string Source, string Node, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string? Outcome, bool Recovering);

/// <summary>A scheduler of the cluster as Quartz records it (qrtz_scheduler_state): its node name and last check-in.</summary>
public sealed record ClusterMember(string Node, DateTimeOffset LastCheckinAt, TimeSpan CheckinInterval);

/// <summary>
/// The runs table: who ran what and when, written by every node as its jobs start and end (the cluster's answer to
/// "which node synced this source last", and the record the cluster tests check for overlaps). Runs older than
/// <see cref="KeepFor"/> are removed as new ones start.
/// </summary>
public interface IJobRuns
{
    /// <summary>How long runs are kept.</summary>
    static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    /// <summary>Records the start of a run; returns its id.</summary>
    Task<long> StartRunAsync(string job, string source, string node, bool recovering, DateTimeOffset startedAt, CancellationToken cancellationToken);

    /// <summary>Records the end of run <paramref name="id"/>.</summary>
    Task FinishRunAsync(long id, string outcome, DateTimeOffset finishedAt, CancellationToken cancellationToken);

    /// <summary>The latest run (by start) of every job and source.</summary>
    Task<IReadOnlyList<JobRun>> LastRunsAsync(CancellationToken cancellationToken);

    /// <summary>The schedulers of the Quartz cluster on this store (none on SQLite, which is never clustered).</summary>
    Task<IReadOnlyList<ClusterMember>> ClusterMembersAsync(CancellationToken cancellationToken);
}
