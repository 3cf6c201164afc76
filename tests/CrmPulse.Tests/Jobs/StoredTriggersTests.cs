using CrmPulse.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace CrmPulse.Tests.Jobs;

/// <summary>
/// A source's sync and KPI triggers at a node's start (<see cref="SourceTriggers"/>): a new one starts now (the KPI one an
/// interval later); one stored with the same schedule is left as it is (a restart neither pushes the next firing back
/// nor fires it again); a changed schedule replaces it, keeping the next firing when that comes no later.
/// </summary>
public sealed class SourceTriggersTests
{
    /// <summary>Tomorrow at 10:00 UTC: Quartz moves a start in the past to now.</summary>
    private static readonly DateTimeOffset T0 = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(10);
    private static readonly JobKey Sync = SyncJob.KeyFor("s");

    /// <summary>A job that does nothing: the tests watch the trigger's times.</summary>
    public sealed class Nothing : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private static async Task<IScheduler> SchedulerAsync()
    {
        // An in-memory job store, as a single node's.
        var scheduler = await QuartzSchedulerBuilder.Create(q => q.ConfigureScheduler(o => o.InstanceName = $"triggers-{Guid.NewGuid():N}")).BuildScheduler();
        await scheduler.AddJob(JobBuilder.Create<Nothing>().WithIdentity(Sync).StoreDurably().Build(), AddJobOptions.Replacing);
        return scheduler;
    }

    private static Task UpsertAsync(IScheduler scheduler, string? cron, TimeSpan every, TimeSpan firstDelay, DateTimeOffset now) =>
        SourceTriggers.UpsertAsync(scheduler, Sync, cron, every, firstDelay, now, NullLogger.Instance, CancellationToken.None);

    private static async Task<ITrigger> StoredAsync(IScheduler scheduler) => (await scheduler.GetTrigger(SourceTriggers.KeyFor(Sync)))!;

    [Fact]
    public async Task A_new_trigger_starts_now_or_one_first_delay_later_and_a_restart_before_it_fired_keeps_it()
    {
        var scheduler = await SchedulerAsync();
        try
        {
            await UpsertAsync(scheduler, null, TimeSpan.FromHours(1), TimeSpan.Zero, T0);
            Assert.Equal(T0, (await StoredAsync(scheduler)).NextFireTimeUtc);

            // Another node starts 30 s later, before the first firing: the firing stays at T0 (not T0 + 1 h).
            await UpsertAsync(scheduler, null, TimeSpan.FromHours(1), TimeSpan.Zero, T0 + TimeSpan.FromSeconds(30));
            var kept = await StoredAsync(scheduler);
            Assert.Equal(T0, kept.NextFireTimeUtc);
            Assert.Equal(T0, kept.StartTimeUtc);
            Assert.Null(kept.PreviousFireTimeUtc);

            // The KPI trigger's first firing waits one interval (the first sync triggers a pass itself).
            var kpi = KpiJob.KeyFor("s");
            await scheduler.AddJob(JobBuilder.Create<Nothing>().WithIdentity(kpi).StoreDurably().Build(), AddJobOptions.Replacing);
            await SourceTriggers.UpsertAsync(scheduler, kpi, null, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), T0, NullLogger.Instance, CancellationToken.None);
            await SourceTriggers.UpsertAsync(scheduler, kpi, null, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), T0 + TimeSpan.FromMinutes(5), NullLogger.Instance, CancellationToken.None);
            Assert.Equal(T0 + TimeSpan.FromMinutes(15), (await scheduler.GetTrigger(SourceTriggers.KeyFor(kpi)))!.NextFireTimeUtc);
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public async Task After_a_firing_a_restart_keeps_the_next_one_and_a_changed_interval_counts_from_the_last_firing_unless_the_kept_one_is_sooner()
    {
        var scheduler = await SchedulerAsync();
        try
        {
            var now = DateTimeOffset.UtcNow;
            await UpsertAsync(scheduler, null, TimeSpan.FromHours(1), TimeSpan.Zero, now);
            await scheduler.Start();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await StoredAsync(scheduler)).PreviousFireTimeUtc is null && DateTime.UtcNow < deadline) await Task.Delay(20);
            var fired = await StoredAsync(scheduler);
            var previous = fired.PreviousFireTimeUtc!.Value;
            Assert.Equal(previous + TimeSpan.FromHours(1), fired.NextFireTimeUtc);

            // A restart with the same schedule: nothing changes (no second firing now, no later next one).
            await UpsertAsync(scheduler, null, TimeSpan.FromHours(1), TimeSpan.Zero, DateTimeOffset.UtcNow);
            var kept = await StoredAsync(scheduler);
            Assert.Equal(previous, kept.PreviousFireTimeUtc);
            Assert.Equal(previous + TimeSpan.FromHours(1), kept.NextFireTimeUtc);

            // Every 30 min now: 30 min after the last firing, sooner than the kept one.
            await UpsertAsync(scheduler, null, TimeSpan.FromMinutes(30), TimeSpan.Zero, DateTimeOffset.UtcNow);
            var shorter = Assert.IsType<ISimpleTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal(TimeSpan.FromMinutes(30), shorter.RepeatInterval);
            Assert.Equal(previous + TimeSpan.FromMinutes(30), shorter.NextFireTimeUtc);

            Assert.Equal(previous, shorter.PreviousFireTimeUtc);

            // Every 2 h: the kept next firing (30 min after the last) comes sooner than 2 h after it, so it stays.
            await UpsertAsync(scheduler, null, TimeSpan.FromHours(2), TimeSpan.Zero, DateTimeOffset.UtcNow);
            var longer = Assert.IsType<ISimpleTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal(TimeSpan.FromHours(2), longer.RepeatInterval);
            Assert.Equal(previous + TimeSpan.FromMinutes(30), longer.NextFireTimeUtc);
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public async Task A_cron_is_kept_when_the_same_and_replaced_when_changed_or_when_the_source_moves_between_cron_and_interval()
    {
        var scheduler = await SchedulerAsync();
        try
        {
            await UpsertAsync(scheduler, "0 0 3 * * ?", TimeSpan.FromHours(1), TimeSpan.Zero, T0);
            var first = Assert.IsType<ICronTrigger>(await StoredAsync(scheduler), exactMatch: false);
            await UpsertAsync(scheduler, "0 0 3 * * ?", TimeSpan.FromHours(1), TimeSpan.Zero, T0 + TimeSpan.FromMinutes(1));
            var same = Assert.IsType<ICronTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal(first.StartTimeUtc, same.StartTimeUtc);
            Assert.Equal(first.NextFireTimeUtc, same.NextFireTimeUtc);

            // Changed to a slot later than T0 (1 January 2099), then from that cron to every 20 min: never fired, and the
            // cron's next slot is later than now, so the first firing is now.
            await UpsertAsync(scheduler, "0 30 4 1 1 ? 2099", TimeSpan.FromHours(1), TimeSpan.Zero, T0);
            Assert.Equal("0 30 4 1 1 ? 2099", Assert.IsType<ICronTrigger>(await StoredAsync(scheduler), exactMatch: false).CronExpressionString);

            await UpsertAsync(scheduler, null, TimeSpan.FromMinutes(20), TimeSpan.Zero, T0);
            var simple = Assert.IsType<ISimpleTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal(TimeSpan.FromMinutes(20), simple.RepeatInterval);
            Assert.Equal(T0, simple.NextFireTimeUtc);
            Assert.False(SourceTriggers.SameSchedule(simple, "0 30 4 1 1 ? 2099", TimeSpan.FromMinutes(20)));
            Assert.True(SourceTriggers.SameSchedule(simple, null, TimeSpan.FromMinutes(20)));
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }
}
