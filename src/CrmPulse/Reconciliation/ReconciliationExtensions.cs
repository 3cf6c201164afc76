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

    /// <summary>A job per pair on its interval: the first pass a minute after start (the sources' first syncs are under
    /// way by then; a pass before both have synced is skipped), or after the interval when it is shorter.</summary>
    public static void AddJobs(IQuartzBuilder q, CrmPulseOptions options)
    {
        foreach (var pair in options.Reconciliation)
        {
            var key = ReconciliationJob.KeyFor(pair.Name!);
            var every = pair.Every ?? ReconciliationOptions.DefaultEvery;
            q.AddJob<ReconciliationJob>(j => j.WithIdentity(key).StoreDurably().UsingJobData(ReconciliationJob.PairKey, pair.Name!));
            q.AddTrigger<ReconciliationJob>(t => t.ForJob(key).WithIdentity($"{key.Name}:trigger", key.Group)
                .StartAt(DateTimeOffset.UtcNow + (every < TimeSpan.FromMinutes(1) ? every : TimeSpan.FromMinutes(1)))
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(every).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        }
    }
}
