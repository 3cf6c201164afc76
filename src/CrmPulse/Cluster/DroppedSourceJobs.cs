using CrmPulse.Hosting;
using Quartz;

namespace CrmPulse.Cluster;

/// <summary>
/// Clustered, at start: the sync, KPI and backfill jobs (with their triggers) stored in the cluster's job store for sources
/// this node's configuration no longer names are deleted, so a source dropped from the configuration stops being scheduled
/// once a node with that configuration starts. Its stored history (mirror, ledger, issues, runs) is kept. A firing that
/// reaches a node before then is skipped there ("not configured").
/// </summary>
public sealed class DroppedSourceJobs(ISchedulerFactory schedulers, SourceRegistry sources, ILogger<DroppedSourceJobs> log) : IHostedService
{
    /// <summary>The job types that belong to one source (the part of the key before ':').</summary>
    private static readonly string[] PerSource = ["sync", "kpi", "backfill"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("crmpulse"), cancellationToken))
        {
            if (RunRecorder.Parse(key) is not { } job || !PerSource.Contains(job.Job) || sources.Contains(job.Source)) continue;
            if (await scheduler.DeleteJob(key, cancellationToken))
                log.LogWarning("Source {Source} is no longer configured: its {Job} job and triggers are removed from the cluster's schedule (its stored data is kept)",
                    job.Source, job.Job);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
