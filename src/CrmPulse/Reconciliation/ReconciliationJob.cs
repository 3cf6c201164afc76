using Quartz;

namespace CrmPulse.Reconciliation;

/// <summary>One pair's reconciliation pass, on the pair's own interval. Never two at once per pair.</summary>
[DisallowConcurrentExecution]
public sealed class ReconciliationJob(ReconciliationRunner runner, ILogger<ReconciliationJob> log) : IJob
{
    public const string PairKey = "pair";

    public static JobKey KeyFor(string pair) => new($"reconciliation:{pair}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(PairKey)!;
        if (runner.Pair(name) is null)
        {
            // In a cluster, a node whose configuration lacks a pair that other nodes stored.
            log.LogWarning("Job {Job} skipped: reconciliation pair {Pair} is not configured on this node (give every node the same pairs)",
                context.JobDetail.Key.Name, name);
            context.Result = "not configured";
            return;
        }
        // The outcome of the runs table (a pass skipped before both sources synced, or that failed, is not computed).
        context.Result = await runner.RunAsync(name, cancellationToken) ? "ok" : "not computed";
    }
}
