using CrmPulse.Hosting;
using CrmPulse.Integrations;
using CrmPulse.Jobs;
using CrmPulse.Reconciliation;
using CrmPulse.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace CrmPulse.Tests.Jobs;

/// <summary>
/// The triggers a node stores at its start (<see cref="StoredTriggers"/>): a new one starts now or after its first delay;
/// one stored with the same schedule is left as it is (a restart neither pushes the next firing back nor fires it again);
/// a changed schedule replaces it, keeping the next firing when that comes no later; crons are built in the configured
/// zone, so nodes whose machines are in different zones keep each other's triggers.
/// </summary>
public sealed class StoredTriggersTests
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
        UpsertAsync(scheduler, new PlannedTrigger(Sync, cron, every, firstDelay, CatchUp: true), TimeZoneInfo.Utc, now);

    private static Task UpsertAsync(IScheduler scheduler, PlannedTrigger planned, TimeZoneInfo zone, DateTimeOffset now) =>
        StoredTriggers.UpsertAsync(scheduler, planned, zone, now, NullLogger.Instance, CancellationToken.None);

    private static async Task<ITrigger> StoredAsync(IScheduler scheduler) => (await scheduler.GetTrigger(StoredTriggers.KeyFor(Sync)))!;

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
            var planned = new PlannedTrigger(kpi, null, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), CatchUp: true);
            await UpsertAsync(scheduler, planned, TimeZoneInfo.Utc, T0);
            await UpsertAsync(scheduler, planned, TimeZoneInfo.Utc, T0 + TimeSpan.FromMinutes(5));
            Assert.Equal(T0 + TimeSpan.FromMinutes(15), (await scheduler.GetTrigger(StoredTriggers.KeyFor(kpi)))!.NextFireTimeUtc);
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
            Assert.False(StoredTriggers.SameSchedule(simple, new PlannedTrigger(Sync, "0 30 4 1 1 ? 2099", TimeSpan.FromMinutes(20), TimeSpan.Zero, true), TimeZoneInfo.Utc));
            Assert.True(StoredTriggers.SameSchedule(simple, new PlannedTrigger(Sync, null, TimeSpan.FromMinutes(20), TimeSpan.Zero, true), TimeZoneInfo.Utc));
            // The same interval with the other misfire policy is a change (an upgrade that changes a job's policy applies it).
            Assert.False(StoredTriggers.SameSchedule(simple, new PlannedTrigger(Sync, null, TimeSpan.FromMinutes(20), TimeSpan.Zero, false), TimeZoneInfo.Utc));
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public async Task A_cron_is_built_in_the_configured_zone_whatever_the_node_s_own_zone_and_only_another_configured_zone_replaces_it()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // 03:00 on 15 January and 15 July 2099: Berlin is UTC+1 in winter and UTC+2 in summer, New York UTC-5 and UTC-4.
        var planned = new PlannedTrigger(Sync, "0 0 3 15 1,7 ? 2099", TimeSpan.FromHours(1), TimeSpan.Zero, CatchUp: true);
        var scheduler = await SchedulerAsync();
        try
        {
            await UpsertAsync(scheduler, planned, berlin, T0);
            var first = Assert.IsType<ICronTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal("Europe/Berlin", first.TimeZone.Id);
            Assert.Equal(new DateTimeOffset(2099, 1, 15, 2, 0, 0, TimeSpan.Zero), first.NextFireTimeUtc);
            Assert.Equal(new DateTimeOffset(2099, 7, 15, 1, 0, 0, TimeSpan.Zero), first.GetFireTimeAfter(first.NextFireTimeUtc));

            // Another node with the same configuration (its machine in any zone: the local one is never used) keeps it.
            await UpsertAsync(scheduler, planned, berlin, T0 + TimeSpan.FromMinutes(1));
            var kept = Assert.IsType<ICronTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal((first.StartTimeUtc, first.NextFireTimeUtc, "Europe/Berlin"), (kept.StartTimeUtc, kept.NextFireTimeUtc, kept.TimeZone.Id));
            Assert.True(StoredTriggers.SameSchedule(kept, planned, berlin));
            Assert.False(StoredTriggers.SameSchedule(kept, planned, newYork));

            // CronTimeZone changed to New York: replaced, 03:00 New York time.
            await UpsertAsync(scheduler, planned, newYork, T0 + TimeSpan.FromMinutes(2));
            var moved = Assert.IsType<ICronTrigger>(await StoredAsync(scheduler), exactMatch: false);
            Assert.Equal("America/New_York", moved.TimeZone.Id);
            Assert.Equal(new DateTimeOffset(2099, 1, 15, 8, 0, 0, TimeSpan.Zero), moved.NextFireTimeUtc);
            Assert.Equal(new DateTimeOffset(2099, 7, 15, 7, 0, 0, TimeSpan.Zero), moved.GetFireTimeAfter(moved.NextFireTimeUtc));
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Fact]
    public async Task The_daemon_plans_every_trigger_of_its_configuration_and_a_second_start_keeps_them_as_stored()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-triggers-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"),
            ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:CronTimeZone"] = "Europe/Berlin",
            ["CrmPulse:Sources:0:Name"] = "old",
            ["CrmPulse:Sources:0:Kind"] = "Demo",
            ["CrmPulse:Sources:0:SyncEvery"] = "00:10:00",
            ["CrmPulse:Sources:1:Name"] = "new",
            ["CrmPulse:Sources:1:Kind"] = "Demo",
            ["CrmPulse:Sources:1:SyncCron"] = "0 0 3 * * ?",
            ["CrmPulse:Sources:1:KpiEvery"] = "00:20:00",
            ["CrmPulse:Integrations:0:Name"] = "billing",
            ["CrmPulse:Integrations:0:ProbeUrl"] = "http://127.0.0.1:9/health",
            ["CrmPulse:Integrations:0:Every"] = "00:30:00",
            ["CrmPulse:Reconciliation:0:Name"] = "migration",
            ["CrmPulse:Reconciliation:0:Old"] = "old",
            ["CrmPulse:Reconciliation:0:New"] = "new",
            ["CrmPulse:Reconciliation:0:Every"] = "02:00:00",
            ["CrmPulse:Reports:Smtp:Host"] = "127.0.0.1",
            ["CrmPulse:Reports:Smtp:From"] = "crmpulse@example.test",
            ["CrmPulse:Reports:Schedules:0:Name"] = "monthly",
            ["CrmPulse:Reports:Schedules:0:Cron"] = "0 0 8 1 * ?",
            ["CrmPulse:Reports:Schedules:0:EmailTo:0"] = "lead@example.test",
        };
        var errors = new StringWriter();
        var (app, _) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Run, [], null, null), TextWriter.Null, errors,
            c => c.AddInMemoryCollection(settings));
        Assert.True(app is not null, errors.ToString());
        try
        {
            // Interval, first delay, misfire policy: reports skip to the next firing, the others catch up once.
            var planned = app.Services.GetServices<PlannedTrigger>().ToDictionary(p => p.Job.Name);
            Assert.Equal(new PlannedTrigger(SyncJob.KeyFor("old"), null, TimeSpan.FromMinutes(10), TimeSpan.Zero, true), planned["sync:old"]);
            Assert.Equal(new PlannedTrigger(KpiJob.KeyFor("old"), null, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), true), planned["kpi:old"]);
            Assert.Equal("0 0 3 * * ?", planned["sync:new"].Cron);
            Assert.Equal(new PlannedTrigger(KpiJob.KeyFor("new"), null, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20), true), planned["kpi:new"]);
            Assert.Equal(new PlannedTrigger(ProbeJob.KeyFor("billing"), null, TimeSpan.FromMinutes(30), TimeSpan.Zero, true), planned["probe:billing"]);
            Assert.Equal(new PlannedTrigger(ReconciliationJob.KeyFor("migration"), null, TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), true),
                planned["reconciliation:migration"]);
            Assert.Equal(new PlannedTrigger(ReportDeliveryJob.KeyFor("monthly"), "0 0 8 1 * ?", TimeSpan.Zero, TimeSpan.Zero, false), planned["report:monthly"]);
            Assert.Equal(7, planned.Count);

            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            var triggers = app.Services.GetServices<IHostedService>().OfType<StoredTriggers>().Single();
            var before = DateTimeOffset.UtcNow;
            await triggers.StartAsync(CancellationToken.None);
            var after = DateTimeOffset.UtcNow;
            var stored = new Dictionary<string, ITrigger>();
            foreach (var name in planned.Keys) stored[name] = (await scheduler.GetTrigger(StoredTriggers.KeyFor(planned[name].Job)))!;
            // Quartz keeps times to the millisecond.
            static void Between(DateTimeOffset from, DateTimeOffset to, DateTimeOffset? at) =>
                Assert.InRange(at!.Value, from.AddMilliseconds(-1), to.AddMilliseconds(1));
            Between(before, after, stored["probe:billing"].NextFireTimeUtc);
            Between(before + TimeSpan.FromMinutes(1), after + TimeSpan.FromMinutes(1), stored["reconciliation:migration"].NextFireTimeUtc);
            Assert.Equal(SimpleTriggerMisfireInstruction.NowWithExistingCount, Assert.IsType<ISimpleTrigger>(stored["probe:billing"], exactMatch: false).MisfireInstruction);
            var report = Assert.IsType<ICronTrigger>(stored["report:monthly"], exactMatch: false);
            Assert.Equal(("Europe/Berlin", CronTriggerMisfireInstruction.DoNothing), (report.TimeZone.Id, report.MisfireInstruction));
            Assert.Equal("Europe/Berlin", Assert.IsType<ICronTrigger>(stored["sync:new"], exactMatch: false).TimeZone.Id);

            // A second start (another node, a restart) a moment later: every trigger exactly as stored.
            await Task.Delay(50);
            await triggers.StartAsync(CancellationToken.None);
            foreach (var name in planned.Keys)
            {
                var again = (await scheduler.GetTrigger(StoredTriggers.KeyFor(planned[name].Job)))!;
                Assert.Equal((stored[name].StartTimeUtc, stored[name].NextFireTimeUtc), (again.StartTimeUtc, again.NextFireTimeUtc));
            }
        }
        finally
        {
            await app!.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
