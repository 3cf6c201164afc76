using CrmPulse.Pipeline;
using Quartz;

namespace CrmPulse.Jobs;

/// <summary>Syncs one source into the mirror. One JobDetail per source; never two syncs of a source at once.</summary>
[DisallowConcurrentExecution]
public sealed class SyncJob(SourceRunner runner, SyncActivity activity) : IJob
{
    public const string SourceKey = "source";

    public static JobKey KeyFor(string source) => new($"sync:{source}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SourceKey)!;
        bool ok;
        using (activity.Start(source)) ok = await runner.SyncAsync(source, cancellationToken);
        // The first successful sync of this process brings KPIs up at once instead of waiting for the KPI schedule.
        if (ok && runner.LastKpiPass(source) is null)
        {
            await context.Scheduler.TriggerJob(KpiJob.KeyFor(source), cancellationToken);
            if (await context.Scheduler.Exists(BackfillJob.KeyFor(source), cancellationToken))
                await context.Scheduler.TriggerJob(BackfillJob.KeyFor(source), cancellationToken);
        }
    }
}
