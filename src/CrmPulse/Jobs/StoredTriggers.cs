using CrmPulse.Options;
using Quartz;
using Quartz.Impl.Triggers;
using Quartz.Extensibility;

namespace CrmPulse.Jobs;

/// <summary>
/// The trigger a node's configuration gives one stored job: a Quartz cron in <see cref="CrmPulseOptions.CronTimeZone"/>
/// or an interval whose first firing is <paramref name="FirstDelay"/> after the trigger is first stored.
/// </summary>
/// <param name="CatchUp">What a misfire (a firing later than the threshold: every node down or busy) does. True: the
/// missed firings run once, now, then the schedule goes on (a cron at its next slot, an interval counted from now) —
/// syncs, KPI passes, probes and reconciliation passes. False: the missed firings are skipped to the next one on the
/// schedule — report deliveries, where a late report is better sent on its next slot.</param>
public sealed record PlannedTrigger(JobKey Job, string? Cron, TimeSpan Every, TimeSpan FirstDelay, bool CatchUp);

/// <summary>
/// At start, after the scheduler: every <see cref="PlannedTrigger"/> of the configuration (each source's sync and KPI
/// triggers, each probe, reconciliation pair and report schedule). A trigger not stored yet is scheduled (an interval's
/// first firing after its FirstDelay); a stored trigger with the same schedule is left exactly as it is, so a node
/// (re)starting in a cluster neither pushes the next firing back nor fires it again; a stored trigger whose schedule
/// changed is replaced, keeping its next firing when that comes no later than the new schedule's.
/// </summary>
/// <remarks>
/// Quartz's own upsert of registered triggers (replace-existing, relative to the replaced trigger) puts the next firing
/// of a trigger that never fired one whole interval after its start: with nodes starting one after the other a
/// source's first sync (or a probe's first probe) waited an interval, and every rolling restart pushed it back again.
/// Crons are built in one configured time zone, not the node's local one: nodes in different zones would otherwise
/// each find the stored cron "changed" and replace it at every start.
/// </remarks>
public sealed class StoredTriggers(ISchedulerFactory schedulers, IEnumerable<PlannedTrigger> planned, CrmPulseOptions options,
    ILogger<StoredTriggers> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var zone = options.CronZone;
            // Quartz's clock: the triggers fire on real time.
            foreach (var trigger in planned) await UpsertAsync(scheduler, trigger, zone, DateTimeOffset.UtcNow, log, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while starting: what is stored stays, the next start (here or on another node) stores the rest.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static TriggerKey KeyFor(JobKey job) => new($"{job.Name}:trigger", job.Group);

    /// <summary>A source's sync trigger: its first firing at once.</summary>
    public static PlannedTrigger Sync(Hosting.ConfiguredSource source) =>
        new(SyncJob.KeyFor(source.Name), source.Options.SyncCron, source.SyncEvery, TimeSpan.Zero, CatchUp: true);

    /// <summary>A source's KPI trigger: its first firing one interval later (SyncJob also starts a pass after the first
    /// successful sync).</summary>
    public static PlannedTrigger Kpi(Hosting.ConfiguredSource source) =>
        new(KpiJob.KeyFor(source.Name), source.Options.KpiCron, source.KpiEvery, source.KpiEvery, CatchUp: true);

    /// <summary>Stores the trigger of <paramref name="planned"/>'s job (the job is stored already): see the class.</summary>
    internal static async Task UpsertAsync(IScheduler scheduler, PlannedTrigger planned, TimeZoneInfo zone, DateTimeOffset now,
        ILogger log, CancellationToken ct)
    {
        var key = KeyFor(planned.Job);
        var stored = await scheduler.GetTrigger(key, ct);
        if (stored is null)
        {
            try
            {
                await scheduler.ScheduleJob(Build(planned, zone, now + planned.FirstDelay), cancellationToken: ct);
                return;
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node starting at the same moment stored it first.
                stored = await scheduler.GetTrigger(key, ct);
                if (stored is null) throw;
            }
        }
        if (SameSchedule(stored, planned, zone)) return;

        // Changed: the next firing stays when the new schedule would not come sooner (an interval counts from the last
        // firing); a cron follows its own slots.
        var start = now;
        if (planned.Cron is null)
        {
            var due = stored.PreviousFireTimeUtc is { } previous ? previous + planned.Every : now + planned.FirstDelay;
            start = stored.NextFireTimeUtc is { } next && next < due ? next : due;
        }
        var replacement = Build(planned, zone, start);
        // The last firing carries over, so that a later change still counts from it.
        ((IOperableTrigger)replacement).PreviousFireTimeUtc = stored.PreviousFireTimeUtc;
        await scheduler.RescheduleJob(stored.Key, replacement, ct);
        log.LogInformation("The schedule of {Job} changed to {Schedule}: next firing {Next:O}", planned.Job.Name,
            planned.Cron is null ? $"every {planned.Every}" : $"cron {planned.Cron} ({zone.Id})", (await scheduler.GetTrigger(stored.Key, ct))?.NextFireTimeUtc);
    }

    /// <summary>The same kind of trigger with the same cron expression in the same time zone, or the same interval; and
    /// the same misfire instruction.</summary>
    internal static bool SameSchedule(ITrigger stored, PlannedTrigger planned, TimeZoneInfo zone) => planned.Cron is not null
        ? stored is ICronTrigger c && c.CronExpressionString == planned.Cron && c.TimeZone.Id == zone.Id && c.MisfireInstruction == CronMisfire(planned)
        : stored is ISimpleTrigger s && s.RepeatInterval == planned.Every && s.RepeatCount == SimpleTriggerImpl.RepeatIndefinitely
            && s.MisfireInstruction == SimpleMisfire(planned);

    private static CronTriggerMisfireInstruction CronMisfire(PlannedTrigger planned) =>
        planned.CatchUp ? CronTriggerMisfireInstruction.FireAndProceed : CronTriggerMisfireInstruction.DoNothing;

    private static SimpleTriggerMisfireInstruction SimpleMisfire(PlannedTrigger planned) =>
        planned.CatchUp ? SimpleTriggerMisfireInstruction.NowWithExistingCount : SimpleTriggerMisfireInstruction.NextWithRemainingCount;

    internal static ITrigger Build(PlannedTrigger planned, TimeZoneInfo zone, DateTimeOffset start)
    {
        var t = TriggerBuilder.Create().ForJob(planned.Job).WithIdentity(KeyFor(planned.Job));
        return planned.Cron is not null
            ? t.WithSchedule(CronScheduleBuilder.Create(planned.Cron).InTimeZone(zone).WithMisfireInstruction(CronMisfire(planned))).Build()
            : t.StartAt(start).WithSchedule(SimpleScheduleBuilder.Create().WithInterval(planned.Every).RepeatForever()
                .WithMisfireInstruction(SimpleMisfire(planned))).Build();
    }
}
