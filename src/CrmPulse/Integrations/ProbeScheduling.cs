using Quartz;

namespace CrmPulse.Integrations;

/// <summary>Adds the probe jobs to the Quartz configuration of the host.</summary>
public static class ProbeScheduling
{
    /// <summary>
    /// One <see cref="ProbeJob"/> per integration with a ProbeUrl (its trigger: <see cref="Triggers"/>). The thread
    /// pool gets one slot per job (a sync and a KPI job per source, one probe job per integration): a probe waiting
    /// on a slow target (bounded by its Timeout) then never delays another job.
    /// </summary>
    public static void AddProbeJobs(IQuartzBuilder q, IReadOnlyList<IntegrationOptions> integrations, int sourceCount)
    {
        var probed = integrations.Where(i => i.ProbeUrl is not null).ToList();
        q.UseDefaultThreadPool(Math.Max(10, 2 * sourceCount + probed.Count));
        foreach (var integration in probed)
        {
            var key = ProbeJob.KeyFor(integration.Name!);
            // The trigger: Jobs.StoredTriggers, once the scheduler runs (see Triggers).
            q.AddJob<ProbeJob>(j => j.WithIdentity(key).StoreDurably().UsingJobData(ProbeJob.IntegrationKey, integration.Name!));
        }
    }

    /// <summary>Each probe's trigger: the first probe at start, then every Every; missed probes (every node down or busy)
    /// run once, now: an hourly probe whose first firing came late would otherwise wait an hour.</summary>
    public static IEnumerable<Jobs.PlannedTrigger> Triggers(IReadOnlyList<IntegrationOptions> integrations) =>
        integrations.Where(i => i.ProbeUrl is not null)
            .Select(i => new Jobs.PlannedTrigger(ProbeJob.KeyFor(i.Name!), null, i.Every, TimeSpan.Zero, CatchUp: true));
}
