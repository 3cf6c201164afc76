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
            if (!await DeleteAsync(scheduler, key, log, ct)) continue;
            removed.Add(key);
            log.LogWarning("{Kind} {Name} is no longer configured: its {Job} job and triggers are removed from the cluster's schedule (what is stored of it is kept)",
                Describe(job.Job), job.Source, key.Name);
        }
        return removed;
    }

    /// <summary>
    /// Deletes the job with its triggers; false when another node starting at the same moment deleted it first. A
    /// one-off trigger of the job (a sync's follow-up KPI pass) that another node fires and removes meanwhile makes
    /// Quartz fail the delete: tried again a few times, and if it still fails the job is left for the next start (a
    /// warning, never a failed start).
    /// </summary>
    private static async Task<bool> DeleteAsync(IScheduler scheduler, JobKey key, ILogger log, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await scheduler.DeleteJob(key, ct);
            }
            catch (SchedulerException e) when (attempt < 5)
            {
                log.LogDebug("Deleting the dropped job {Job} failed ({Error}); trying again", key.Name, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
            catch (SchedulerException e)
            {
                log.LogWarning("The dropped job {Job} could not be removed from the cluster's schedule ({Error}); the next start tries again",
                    key.Name, e.Message);
                return false;
            }
        }
    }

    private static string Describe(string kind) => kind switch
    {
        "probe" => "Integration",
        "reconciliation" => "Reconciliation pair",
        "report" => "Report schedule",
        _ => "Source",
    };
}
