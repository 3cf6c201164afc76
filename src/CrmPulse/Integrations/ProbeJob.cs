using CrmPulse.Core.Kpis;
using CrmPulse.Metrics;
using CrmPulse.Options;
using Quartz;

namespace CrmPulse.Integrations;

/// <summary>Probes one integration. One JobDetail per integration with a ProbeUrl; never two probes of one integration at once.</summary>
[DisallowConcurrentExecution]
public sealed class ProbeJob(IntegrationProber prober, CrmPulseOptions options, PulseMetrics metrics, Alerts.AlertRunner alerts, ILogger<ProbeJob> log) : IJob
{
    public const string IntegrationKey = "integration";

    public static JobKey KeyFor(string integration) => new($"probe:{integration}", "crmpulse");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var name = context.MergedJobDataMap.GetString(IntegrationKey)!;
        if (options.Integrations.SingleOrDefault(i => i.Name == name && i.ProbeUrl is not null) is not { } integration)
        {
            // In a cluster, a node whose configuration lacks an integration that other nodes scheduled.
            log.LogWarning("Job {Job} skipped: integration {Integration} is not probed on this node (give every node the same integrations)",
                context.JobDetail.Key.Name, name);
            context.Result = "not configured";
            return;
        }
        try
        {
            await prober.ProbeAsync(integration, cancellationToken);
            // The outcome of the runs table: the probe was made and recorded (a target that is down is a probe's result).
            context.Result = "ok";
            // Rules on probe KPIs (integration down) see each probe at once, so their `for` counts from the first failed
            // probe; the other rules wait for the next KPI pass instead of re-reading their history every probe.
            await alerts.EvaluateAsync(cancellationToken, IntegrationKpis.ProducedByHost);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // A failed probe is a result, not an exception: this is the ledger or a bug.
            context.Result = "failed";
            metrics.JobFailures.WithLabels(IntegrationKpis.ProbeSource, "probe").Inc();
            log.LogError(e is Core.Store.StoreWriteException ? null : e, "Probe of integration {Integration} could not be recorded: {Error}", name, e.Message);
        }
    }
}
