using CrmPulse.Hosting;
using CrmPulse.Jobs;
using Quartz;

namespace CrmPulse.Cluster;

/// <summary>
/// Clustered, at start: the jobs (with their triggers) stored in the cluster's job store that this node's configuration
/// no longer names are deleted — a dropped source's sync, KPI and backfill jobs, a dropped probe's, reconciliation
/// pair's or report schedule's job — so what is dropped from the configuration stops being scheduled once a node with
/// that configuration starts. What is stored of it (mirror, ledger, issues, runs, deliveries) is kept. A firing that
/// reaches a node before then is skipped there ("not configured").
/// </summary>
/// <remarks>
/// What the configuration names is what it plans a trigger for (<see cref="PlannedTrigger"/>: each source's sync and
/// KPI, each probe, pair and report schedule), and a backfill job for each source (it has no trigger of its own).
/// </remarks>
public sealed class DroppedJobs(ISchedulerFactory schedulers, SourceRegistry sources, IEnumerable<PlannedTrigger> planned,
    ILogger<DroppedJobs> log) : IHostedService
{
    /// <summary>The kinds of job this removes (the part of the key before ':'); any other job of the group is left alone.</summary>
    private static readonly string[] Kinds = ["sync", "kpi", "backfill", "probe", "reconciliation", "report"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var configured = planned.Select(p => p.Job).Concat(sources.Names.Select(BackfillJob.KeyFor)).ToHashSet();
        await RemoveAsync(scheduler, configured, log, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes every stored job of <see cref="Kinds"/> not in <paramref name="configured"/>, with its triggers;
    /// returns the keys deleted.</summary>
    internal static async Task<IReadOnlyList<JobKey>> RemoveAsync(IScheduler scheduler, IReadOnlySet<JobKey> configured, ILogger log,
        CancellationToken ct)
    {
        var removed = new List<JobKey>();
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("crmpulse"), ct))
        {
            if (RunRecorder.Parse(key) is not { } job || !Kinds.Contains(job.Job) || configured.Contains(key)) continue;
            // False when another node starting at the same moment deleted it first.
            if (!await scheduler.DeleteJob(key, ct)) continue;
            removed.Add(key);
            log.LogWarning("{Kind} {Name} is no longer configured: its {Job} job and triggers are removed from the cluster's schedule (what is stored of it is kept)",
                Describe(job.Job), job.Source, key.Name);
        }
        return removed;
    }

    private static string Describe(string kind) => kind switch
    {
        "probe" => "Integration",
        "reconciliation" => "Reconciliation pair",
        "report" => "Report schedule",
        _ => "Source",
    };
}
