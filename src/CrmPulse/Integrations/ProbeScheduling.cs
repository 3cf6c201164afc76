using Quartz;

namespace CrmPulse.Integrations;

/// <summary>Adds the probe jobs to the Quartz configuration of the host.</summary>
public static class ProbeScheduling
{
    /// <summary>
    /// One <see cref="ProbeJob"/> per integration with a ProbeUrl, first run at start, then every Every. The thread
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
            q.AddJob<ProbeJob>(j => j.WithIdentity(key).StoreDurably().UsingJobData(ProbeJob.IntegrationKey, integration.Name!));
            q.AddTrigger(t => t.ForJob(key).WithIdentity($"{key.Name}:trigger", key.Group).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(integration.Every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        }
    }
}
