using CrmPulse.Options;
using Quartz;

namespace CrmPulse.Reconciliation;

public static class ReconciliationExtensions
{
    /// <summary>The pairs' runner (also used by --once and the API).</summary>
    public static IServiceCollection AddCrmPulseReconciliation(this IServiceCollection services, CrmPulseOptions options)
    {
        var pairs = options.Reconciliation.Select(p => p.ToPair()).ToList();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ReconciliationRunner>(sp, (IReadOnlyList<Core.Reconciliation.ReconciliationPair>)pairs));
        // Registered explicitly so that ValidateOnBuild checks the job's constructor (Quartz's AddJob does not).
        services.AddTransient<ReconciliationJob>();
        return services;
    }

    /// <summary>A job per pair, in the daemon's scheduler, with its trigger (<see cref="Triggers"/>).</summary>
    public static IServiceCollection AddReconciliationScheduling(this IServiceCollection services, CrmPulseOptions options)
    {
        if (options.Reconciliation.Count == 0) return services;
        services.AddQuartz(q =>
        {
            foreach (var pair in options.Reconciliation)
            {
                // The trigger: Jobs.StoredTriggers, once the scheduler runs.
                q.AddJob<ReconciliationJob>(j => j.WithIdentity(ReconciliationJob.KeyFor(pair.Name!)).StoreDurably()
                    .UsingJobData(ReconciliationJob.PairKey, pair.Name!));
            }
        });
        foreach (var trigger in Triggers(options)) services.AddSingleton(trigger);
        return services;
    }

    /// <summary>Each pair on its interval: the first pass a minute after start (the sources' first syncs are under way by
    /// then; a pass before both have synced is skipped), or after the interval when it is shorter; missed passes run
    /// once, now.</summary>
    public static IEnumerable<Jobs.PlannedTrigger> Triggers(CrmPulseOptions options) => options.Reconciliation.Select(pair =>
    {
        var every = pair.Every ?? ReconciliationOptions.DefaultEvery;
        return new Jobs.PlannedTrigger(ReconciliationJob.KeyFor(pair.Name!), null, every,
            every < TimeSpan.FromMinutes(1) ? every : TimeSpan.FromMinutes(1), CatchUp: true);
    });
}
