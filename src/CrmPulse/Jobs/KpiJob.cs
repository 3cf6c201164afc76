using CrmPulse.Pipeline;
using Quartz;

namespace CrmPulse.Jobs;

/// <summary>Computes one source's KPIs from the mirror and appends them to the ledger. Never two at once per source.</summary>
[DisallowConcurrentExecution]
public sealed class KpiJob(SourceRunner runner) : IJob
{
    public static JobKey KeyFor(string source) => new($"kpi:{source}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SyncJob.SourceKey)!;
        await runner.ComputeKpisAsync(source, cancellationToken);
    }
}
