using CrmPulse.Hosting;
using Quartz;
using Quartz.Impl.Triggers;
using Quartz.Extensibility;

namespace CrmPulse.Jobs;

/// <summary>
/// At start, after the scheduler: the sync and KPI triggers of every configured source. A trigger not stored yet is
/// scheduled (a new source: its sync now, its KPI pass one interval later); a stored trigger with the same schedule is
/// left exactly as it is, so a node (re)starting in a cluster neither pushes the next firing back nor fires it again;
/// a stored trigger whose schedule changed is replaced, keeping its next firing when that comes no later than the new
/// schedule's.
/// </summary>
/// <remarks>
/// Quartz's own upsert of registered triggers (replace-existing, relative to the replaced trigger) puts the next firing
/// of a trigger that never fired one whole interval after its start: with nodes starting one after the other a
/// source's first sync waited an interval, and every rolling restart pushed it back again.
/// </remarks>
public sealed class SourceTriggers(ISchedulerFactory schedulers, SourceRegistry sources, ILogger<SourceTriggers> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var source in sources.All)
        {
            // Quartz's clock: the triggers fire on real time.
            await UpsertAsync(scheduler, SyncJob.KeyFor(source.Name), source.Options.SyncCron, source.SyncEvery, TimeSpan.Zero, DateTimeOffset.UtcNow, log, cancellationToken);
            // The KPI job also runs right after the first successful sync (SyncJob triggers it).
            await UpsertAsync(scheduler, KpiJob.KeyFor(source.Name), source.Options.KpiCron, source.KpiEvery, source.KpiEvery, DateTimeOffset.UtcNow, log, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static TriggerKey KeyFor(JobKey job) => new($"{job.Name}:trigger", job.Group);

    /// <summary>Stores the trigger of <paramref name="job"/> (the job is stored already): see the class.</summary>
    internal static async Task UpsertAsync(IScheduler scheduler, JobKey job, string? cron, TimeSpan every, TimeSpan firstDelay,
        DateTimeOffset now, ILogger log, CancellationToken ct)
    {
        var stored = await scheduler.GetTrigger(KeyFor(job), ct);
        if (stored is null)
        {
            try
            {
                await scheduler.ScheduleJob(Build(job, cron, every, now + firstDelay), cancellationToken: ct);
                return;
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node starting at the same moment stored it first.
                stored = await scheduler.GetTrigger(KeyFor(job), ct);
                if (stored is null) throw;
            }
        }
        if (SameSchedule(stored, cron, every)) return;

        // Changed: the next firing stays when the new schedule would not come sooner (an interval counts from the last
        // firing); a cron follows its own slots.
        var start = now;
        if (cron is null)
        {
            var due = stored.PreviousFireTimeUtc is { } previous ? previous + every : now + firstDelay;
            start = stored.NextFireTimeUtc is { } next && next < due ? next : due;
        }
        var replacement = Build(job, cron, every, start);
        // The last firing carries over, so that a later change still counts from it.
        ((IOperableTrigger)replacement).PreviousFireTimeUtc = stored.PreviousFireTimeUtc;
        await scheduler.RescheduleJob(stored.Key, replacement, ct);
        log.LogInformation("The schedule of {Job} changed to {Schedule}: next firing {Next:O}", job.Name,
            cron is null ? $"every {every}" : $"cron {cron}", (await scheduler.GetTrigger(stored.Key, ct))?.NextFireTimeUtc);
    }

    /// <summary>The same kind of trigger with the same cron expression (and time zone) or the same interval.</summary>
    internal static bool SameSchedule(ITrigger stored, string? cron, TimeSpan every) => cron is not null
        ? stored is ICronTrigger c && c.CronExpressionString == cron && c.TimeZone.Id == TimeZoneInfo.Local.Id
        : stored is ISimpleTrigger s && s.RepeatInterval == every && s.RepeatCount == SimpleTriggerImpl.RepeatIndefinitely;

    internal static ITrigger Build(JobKey job, string? cron, TimeSpan every, DateTimeOffset start)
    {
        var t = TriggerBuilder.Create().ForJob(job).WithIdentity(KeyFor(job));
        // Missed cron slots (every node down or busy) are run once now, then the schedule goes on: not one run per missed
        // slot, and not a wait for the next slot either. An interval: the missed firings once now, then counting from now.
        return cron is not null
            ? t.WithSchedule(CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build()
            : t.StartAt(start).WithSchedule(SimpleScheduleBuilder.Create().WithInterval(every).RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)).Build();
    }
}
