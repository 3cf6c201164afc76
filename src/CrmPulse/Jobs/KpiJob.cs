using CrmPulse.Alerts;
using CrmPulse.Pipeline;
using Quartz;

namespace CrmPulse.Jobs;

/// <summary>Computes one source's KPIs from the mirror and appends them to the ledger. Never two at once per source.</summary>
[DisallowConcurrentExecution]
public sealed class KpiJob(SourceRunner runner, AlertRunner alerts, Hosting.SourceRegistry sources, ILogger<KpiJob> log) : IJob
{
    public static JobKey KeyFor(string source) => new($"kpi:{source}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var source = context.MergedJobDataMap.GetString(SyncJob.SourceKey)!;
        if (!SyncJob.IsConfigured(sources, source, context, log)) return;
        context.Result = await runner.ComputeKpisAsync(source, cancellationToken) ? "ok" : "not computed";
        // Alert rules read the ledger: evaluated after every pass, and also when the pass was skipped (a source that
        // cannot sync), so that a stale source still raises its alert.
        await alerts.EvaluateAsync(cancellationToken);
    }
}
