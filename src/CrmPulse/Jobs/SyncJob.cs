using CrmPulse.Pipeline;
using Quartz;

namespace CrmPulse.Jobs;

/// <summary>Syncs one source into the mirror. One JobDetail per source; never two syncs of a source at once.</summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(SourceRunner runner, SyncActivity activity, Hosting.SourceRegistry sources, ILogger<SyncJob> log) : IJob
{
    public const string SourceKey = "source";

    public static JobKey KeyFor(string source) => new($"sync:{source}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SourceKey)!;
        if (!IsConfigured(sources, source, context, log)) return;
        bool ok;
        using (activity.Start(source)) ok = await runner.SyncAsync(source, cancellationToken);
        context.Result = ok ? "ok" : "failed";
        // The first sync of this process brings KPIs up at once instead of waiting for the KPI schedule: also one that
        // failed for a kind, so the kinds it read show (the pass skips a source that has read nothing). The backfill
        // waits for a sync that succeeded in full.
        if (runner.LastKpiPass(source) is null)
        {
            await context.Scheduler.TriggerJob(KpiJob.KeyFor(source), cancellationToken);
            if (ok && await context.Scheduler.Exists(BackfillJob.KeyFor(source), cancellationToken))
                await context.Scheduler.TriggerJob(BackfillJob.KeyFor(source), cancellationToken);
        }
    }

    /// <summary>
    /// False (and the run's outcome says so) when this node has no source of that name: in a cluster, a node whose
    /// configuration lacks a source other nodes scheduled (a rolling change, a source removed) may be handed its job.
    /// </summary>
    internal static bool IsConfigured(Hosting.SourceRegistry sources, string source, IJobExecutionContext context, ILogger log)
    {
        if (sources.Names.Contains(source, StringComparer.Ordinal)) return true;
        log.LogWarning("Job {Job} skipped: source {Source} is not configured on this node (give every node the same sources)",
            context.JobDetail.Key.Name, source);
        context.Result = "not configured";
        return false;
    }
}
