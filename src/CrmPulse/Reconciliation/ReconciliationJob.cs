using Quartz;

namespace CrmPulse.Reconciliation;

/// <summary>One pair's reconciliation pass, on the pair's own interval. Never two at once per pair.</summary>
[DisallowConcurrentExecution]
public sealed class ReconciliationJob(ReconciliationRunner runner) : IJob
{
    public const string PairKey = "pair";

    public static JobKey KeyFor(string pair) => new($"reconciliation:{pair}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        // The outcome of the runs table (a pass skipped before both sources synced, or that failed, is not computed).
        context.Result = await runner.RunAsync(context.MergedJobDataMap.GetString(PairKey)!, cancellationToken) ? "ok" : "not computed";
}
