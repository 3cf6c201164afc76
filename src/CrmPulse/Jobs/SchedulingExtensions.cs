using CrmPulse.Hosting;
using Quartz;

namespace CrmPulse.Jobs;

public static class SchedulingExtensions
{
    /// <summary>A sync job and a KPI job per source and a probe job per probed integration, each with its own trigger
    /// from the options (other areas add their jobs and <see cref="PlannedTrigger"/>s themselves: reconciliation, reports).</summary>
    /// <remarks>
    /// With <paramref name="cluster"/> enabled the jobs live in Quartz's clustered ADO.NET job store on the PostgreSQL
    /// store's database (<paramref name="connectionString"/>): every node upserts the jobs of its configuration at start
    /// (replace-existing, so no duplicates) and its triggers (kept as stored unless their schedule changed,
    /// <see cref="StoredTriggers"/>), each trigger fires on one node, a job that disallows
    /// concurrent execution never runs on two nodes at once, and the sync, KPI and backfill jobs request recovery, so the
    /// run of a node that dies is rerun on another once that node's check-in is late.
    /// </remarks>
    public static IServiceCollection AddCrmPulseScheduling(this IServiceCollection services, IReadOnlyList<ConfiguredSource> sources,
        IReadOnlyList<Integrations.IntegrationOptions>? integrations = null, Options.ClusterOptions? cluster = null, string? connectionString = null)
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
                AddJob<SyncJob>(q, SyncJob.KeyFor(source.Name), source.Name, recover);
                AddJob<KpiJob>(q, KpiJob.KeyFor(source.Name), source.Name, recover);
                // No trigger of its own: SyncJob starts it after the first successful sync.
                if (source.Options.BackfillDays > 0)
                    q.AddJob<BackfillJob>(j => j.WithIdentity(BackfillJob.KeyFor(source.Name)).StoreDurably().RequestRecovery(recover).UsingJobData(SyncJob.SourceKey, source.Name));
            }
            Integrations.ProbeScheduling.AddProbeJobs(q, integrations ?? [], sources.Count);
        });
        foreach (var source in sources)
        {
            services.AddSingleton(StoredTriggers.Sync(source));
            services.AddSingleton(StoredTriggers.Kpi(source));
        }
        foreach (var trigger in Integrations.ProbeScheduling.Triggers(integrations ?? [])) services.AddSingleton(trigger);
        // On stop, running jobs are told (their cancellation token) and then waited for: a KPI pass or sync rolls back at
        // once instead of holding the stop past the host's shutdown timeout and being cut off half-way.
        services.Configure<QuartzSchedulerOptions>(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
        // Every node declares the jobs of its configuration at start: a key already stored is replaced (no duplicates).
        // No trigger is declared to Quartz (its upsert would push a first firing back): see StoredTriggers.
        services.Configure<QuartzOptions>(o => o.Scheduling.OverwriteExistingData = true);
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // After the scheduler: every planned trigger (this method's, reconciliation's, reports'), kept as stored unless
        // its schedule changed.
        services.AddHostedService<StoredTriggers>();
        // After the scheduler: the stored jobs of sources, probes, pairs and report schedules this configuration no longer
        // names are removed.
        if (recover) services.AddHostedService<Cluster.DroppedJobs>();
        return services;
    }

    /// <summary>
    /// Quartz's clustered job store on the store's PostgreSQL database (the qrtz_ tables of PostgreSQL migration 4).
    /// Misfires (a trigger not fired within <see cref="MisfireThreshold"/>: every node down, or all busy) follow each
    /// trigger's instruction: the missed firings are run once, now; a cron then keeps its slots, an interval counts from now.
    /// </summary>
    private static void UseCluster(IQuartzBuilder q, Options.ClusterOptions cluster, string connectionString)
    {
        q.ConfigureScheduler(o =>
        {
            o.InstanceName = Storage.Postgres.PostgresStore.SchedulerName;
            o.InstanceId = cluster.NodeName;
            // One trigger per acquisition round, Quartz 4.2's behaviour. Quartz 4.7's automatic batch on a database is the
            // whole thread pool and takes every trigger due at the same instant, up to its idle wait (30 s) ahead: the
            // first node to poll took every source's sync firing at one cron second while the others stayed idle (the
            // cluster benchmark: 12 of 12 on one of two nodes). At one a round, the nodes take the due firings in turn.
            // The cost is a round (two short transactions) per firing; a firing that this makes later than the misfire
            // threshold still runs once, now (PlannedTrigger.CatchUp).
            o.MaxBatchSize = 1;
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
                // A firing later than this is a misfire and follows its trigger's instruction (PlannedTrigger.CatchUp): a
                // short threshold keeps a node that comes back, or frees up, from catching up missed slots in a burst.
                o.MisfireThreshold = MisfireThreshold;
            });
            s.UseClustering(c => c.CheckinInterval = cluster.CheckinInterval);
        });
    }

    /// <summary>Clustered: a firing later than this is a misfire (Quartz's default is 60 s).</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromSeconds(5);

    private static void AddJob<TJob>(IQuartzBuilder q, JobKey key, string source, bool recover) where TJob : IJob =>
        // The trigger: StoredTriggers, once the scheduler runs (Quartz's upsert would push a first firing back).
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably().RequestRecovery(recover).UsingJobData(SyncJob.SourceKey, source));
}
