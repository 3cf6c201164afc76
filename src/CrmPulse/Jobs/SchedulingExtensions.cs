using CrmPulse.Hosting;
using Quartz;

namespace CrmPulse.Jobs;

public static class SchedulingExtensions
{
    /// <summary>A sync job and a KPI job per source, each with its own trigger from the source's options; <paramref name="more"/> adds other areas' jobs.</summary>
    /// <remarks>
    /// With <paramref name="cluster"/> enabled the jobs live in Quartz's clustered ADO.NET job store on the PostgreSQL
    /// store's database (<paramref name="connectionString"/>): every node upserts the jobs and triggers of its
    /// configuration at start (replace-existing, so no duplicates), each trigger fires on one node, a job that disallows
    /// concurrent execution never runs on two nodes at once, and the sync, KPI and backfill jobs request recovery, so the
    /// run of a node that dies is rerun on another once that node's check-in is late.
    /// </remarks>
    public static IServiceCollection AddCrmPulseScheduling(this IServiceCollection services, IReadOnlyList<ConfiguredSource> sources,
        IReadOnlyList<Integrations.IntegrationOptions>? integrations = null, Action<IQuartzBuilder>? more = null,
        Options.ClusterOptions? cluster = null, string? connectionString = null)
    {
        var recover = cluster?.Enabled == true;
        // Registered explicitly so that ValidateOnBuild checks the jobs' constructors (Quartz's AddJob does not).
        services.AddTransient<SyncJob>();
        services.AddTransient<KpiJob>();
        services.AddTransient<Integrations.ProbeJob>();
        services.AddTransient<BackfillJob>();
        services.AddQuartz(q =>
        {
            if (recover) UseCluster(q, cluster!, connectionString!);
            q.AddJobListener<Cluster.RunRecorder>([GroupMatcher<JobKey>.GroupEquals("crmpulse")]);
            foreach (var source in sources)
            {
                AddJob<SyncJob>(q, SyncJob.KeyFor(source.Name), source.Name, source.Options.SyncCron, source.SyncEvery, TimeSpan.Zero, recover);
                // The KPI job also runs right after the first successful sync (SyncJob triggers it).
                AddJob<KpiJob>(q, KpiJob.KeyFor(source.Name), source.Name, source.Options.KpiCron, source.KpiEvery, source.KpiEvery, recover);
                // No trigger of its own: SyncJob starts it after the first successful sync.
                if (source.Options.BackfillDays > 0)
                    q.AddJob<BackfillJob>(j => j.WithIdentity(BackfillJob.KeyFor(source.Name)).StoreDurably().RequestRecovery(recover).UsingJobData(SyncJob.SourceKey, source.Name));
            }
            Integrations.ProbeScheduling.AddProbeJobs(q, integrations ?? [], sources.Count);
            more?.Invoke(q); // the jobs of other areas (reconciliation pairs)
        });
        // On stop, running jobs are told (their cancellation token) and then waited for: a KPI pass or sync rolls back at
        // once instead of holding the stop past the host's shutdown timeout and being cut off half-way.
        services.Configure<QuartzSchedulerOptions>(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
        // Every node declares the jobs and triggers of its configuration at start: a key already stored is replaced
        // (no duplicates), keeping the firing history of the trigger it replaces (a start does not re-fire a schedule
        // that already ran on another node).
        services.Configure<QuartzOptions>(o =>
        {
            o.Scheduling.OverwriteExistingData = true;
            o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true;
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>
    /// Quartz's clustered job store on the store's PostgreSQL database (the qrtz_ tables of PostgreSQL migration 4).
    /// Misfires (a trigger not fired within Quartz's 60 s threshold: every node down, or all busy) follow each
    /// trigger's instruction: a cron slot missed is skipped, an interval job fires once now and keeps its interval.
    /// </summary>
    private static void UseCluster(IQuartzBuilder q, Options.ClusterOptions cluster, string connectionString)
    {
        q.ConfigureScheduler(o =>
        {
            o.InstanceName = Storage.Postgres.PostgresStore.SchedulerName;
            o.InstanceId = cluster.NodeName;
        });
        q.UsePersistentStore(s =>
        {
            s.UsePostgres(connectionString);
            s.ConfigureStore(o =>
            {
                o.TablePrefix = "qrtz_";
                o.StoreJobDataAsStrings = true; // the job data maps hold source names only
                o.SchemaProvisioning = SchemaProvisioning.Validate; // the tables come from the store's migration 4
                // A sync or pass cut by a node's clean stop reruns on another node at once (as after a crash).
                o.RecoverFiringsCancelledByShutdown = true;
            });
            s.UseClustering(c => c.CheckinInterval = cluster.CheckinInterval);
        });
    }

    private static void AddJob<TJob>(IQuartzBuilder q, JobKey key, string source, string? cron, TimeSpan every, TimeSpan firstDelay, bool recover)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably().RequestRecovery(recover).UsingJobData(SyncJob.SourceKey, source));
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
