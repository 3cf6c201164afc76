using CrmPulse.Hosting;
using Quartz;

namespace CrmPulse.Jobs;

public static class SchedulingExtensions
{
    /// <summary>A sync job and a KPI job per source, each with its own trigger from the source's options; <paramref name="more"/> adds other areas' jobs.</summary>
    public static IServiceCollection AddCrmPulseScheduling(this IServiceCollection services, IReadOnlyList<ConfiguredSource> sources,
        IReadOnlyList<Integrations.IntegrationOptions>? integrations = null, Action<IQuartzBuilder>? more = null)
    {
        // Registered explicitly so that ValidateOnBuild checks the jobs' constructors (Quartz's AddJob does not).
        services.AddTransient<SyncJob>();
        services.AddTransient<KpiJob>();
        services.AddTransient<Integrations.ProbeJob>();
        services.AddTransient<BackfillJob>();
        services.AddQuartz(q =>
        {
            foreach (var source in sources)
            {
                AddJob<SyncJob>(q, SyncJob.KeyFor(source.Name), source.Name, source.Options.SyncCron, source.SyncEvery, TimeSpan.Zero);
                // The KPI job also runs right after the first successful sync (SyncJob triggers it).
                AddJob<KpiJob>(q, KpiJob.KeyFor(source.Name), source.Name, source.Options.KpiCron, source.KpiEvery, source.KpiEvery);
                // No trigger of its own: SyncJob starts it after the first successful sync.
                if (source.Options.BackfillDays > 0)
                    q.AddJob<BackfillJob>(j => j.WithIdentity(BackfillJob.KeyFor(source.Name)).StoreDurably().UsingJobData(SyncJob.SourceKey, source.Name));
            }
            Integrations.ProbeScheduling.AddProbeJobs(q, integrations ?? [], sources.Count);
            more?.Invoke(q); // the jobs of other areas (reconciliation pairs)
        });
        // On stop, running jobs are told (their cancellation token) and then waited for: a KPI pass or sync rolls back at
        // once instead of holding the stop past the host's shutdown timeout and being cut off half-way.
        services.Configure<QuartzSchedulerOptions>(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void AddJob<TJob>(IQuartzBuilder q, JobKey key, string source, string? cron, TimeSpan every, TimeSpan firstDelay)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably().UsingJobData(SyncJob.SourceKey, source));
        q.AddTrigger<TJob>(t =>
        {
            t.ForJob(key).WithIdentity($"{key.Name}:trigger", key.Group);
            if (cron is not null)
            {
                // A missed cron slot (daemon stopped) is skipped, not caught up in a burst.
                t.WithSchedule(CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing));
            }
            else
            {
                t.StartAt(DateTimeOffset.UtcNow + firstDelay).WithSchedule(SimpleScheduleBuilder.Create()
                    .WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
            }
        });
    }
}
