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
        var done = await backfiller.RunFirstRunAsync(source, cancellationToken);
        // Set before the alerts: the runs table records the backfill's own outcome, also when the node's stop signals
        // the token once the window is complete ("cancelled" is only for a backfill cut before its end). Not computed:
        // the source has not synced in full yet (the next successful first sync of a start triggers it again).
        context.Result = done ? "ok" : "not computed";
        // The rebuilt history gives drop rules their baseline: evaluate at once instead of at the next KPI pass.
        if (done) await alerts.EvaluateAsync(cancellationToken);
    }
}
