using CrmPulse.Alerts;
using CrmPulse.Pipeline;
using Quartz;

namespace CrmPulse.Jobs;

/// <summary>
/// The automatic backfill of a source with BackfillDays set: triggered once after the first successful sync of each
/// start, it finishes the source's first-run window (nothing to do once complete).
/// </summary>
[DisallowConcurrentExecution]
public sealed class BackfillJob(Backfiller backfiller, AlertRunner alerts) : IJob
{
    public static JobKey KeyFor(string source) => new($"backfill:{source}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SyncJob.SourceKey)!;
        // The rebuilt history gives drop rules their baseline: evaluate at once instead of at the next KPI pass.
        if (await backfiller.RunFirstRunAsync(source, cancellationToken)) await alerts.EvaluateAsync(cancellationToken);
    }
}
