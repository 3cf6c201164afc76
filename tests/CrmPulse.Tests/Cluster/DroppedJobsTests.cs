using CrmPulse.Cluster;
using CrmPulse.Hosting;
using CrmPulse.Integrations;
using CrmPulse.Jobs;
using CrmPulse.Reconciliation;
using CrmPulse.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace CrmPulse.Tests.Cluster;

/// <summary>
/// What a node does at start with the stored jobs its configuration no longer names (<see cref="DroppedJobs"/>): a
/// dropped source's sync, KPI and backfill jobs, a dropped probe's, pair's and report schedule's job go with their
/// triggers, every job it names stays exactly as stored; a pair's firing that reaches a node which does not know the pair
/// is skipped as <c>not configured</c>. The same on the cluster's PostgreSQL job store with separate nodes:
/// <see cref="ClusterOpsTests"/> (a dropped source, probe, pair and report schedule).
/// </summary>
public sealed class DroppedJobsTests
{
    /// <summary>Two demo sources, a probe, a pair and a report schedule, none due for long (nothing fires on its own).</summary>
    private static Dictionary<string, string?> Settings(string dir) => new()
    {
        ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"),
        ["urls"] = "http://127.0.0.1:0",
        ["CrmPulse:Sources:0:Name"] = "old",
        ["CrmPulse:Sources:0:Kind"] = "Demo",
        ["CrmPulse:Sources:0:SyncCron"] = "0 0 3 1 1 ? 2099",
        ["CrmPulse:Sources:0:BackfillDays"] = "30",
        ["CrmPulse:Sources:1:Name"] = "new",
        ["CrmPulse:Sources:1:Kind"] = "Demo",
        ["CrmPulse:Sources:1:SyncCron"] = "0 0 3 1 1 ? 2099",
        ["CrmPulse:Integrations:0:Name"] = "billing",
        ["CrmPulse:Integrations:0:ProbeUrl"] = "http://127.0.0.1:9/health",
        ["CrmPulse:Integrations:0:Every"] = "01:00:00",
        ["CrmPulse:Reconciliation:0:Name"] = "migration",
        ["CrmPulse:Reconciliation:0:Old"] = "old",
        ["CrmPulse:Reconciliation:0:New"] = "new",
        ["CrmPulse:Reconciliation:0:Every"] = "02:00:00",
        ["CrmPulse:Reports:Smtp:Host"] = "127.0.0.1",
        ["CrmPulse:Reports:Smtp:From"] = "crmpulse@example.test",
        ["CrmPulse:Reports:Schedules:0:Name"] = "monthly",
        ["CrmPulse:Reports:Schedules:0:Cron"] = "0 0 8 1 1 ? 2099",
        ["CrmPulse:Reports:Schedules:0:EmailTo:0"] = "lead@example.test",
    };

    private static async Task<(WebApplication App, string Dir)> BuildAsync()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-dropped-").FullName;
        var errors = new StringWriter();
        var (app, _) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Run, [], null, null), TextWriter.Null, errors,
            c => c.AddInMemoryCollection(Settings(dir)));
        Assert.True(app is not null, errors.ToString());
        return (app!, dir);
    }

    private static async Task DisposeAsync(WebApplication app, string dir)
    {
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>A job that does nothing: stands for the jobs another configuration stored.</summary>
    public sealed class Nothing : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task At_start_the_jobs_of_a_dropped_source_probe_pair_and_report_schedule_go_with_their_triggers_and_the_configured_ones_stay()
    {
        var (app, dir) = await BuildAsync();
        try
        {
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            // What this configuration stores: its jobs (declared to Quartz, stored as the scheduler is built) and triggers.
            await app.Services.GetServices<IHostedService>().OfType<StoredTriggers>().Single().StartAsync(CancellationToken.None);
            // What a node with an older configuration stored: a source "gone" (sync, KPI, backfill), a probe "crm", a pair
            // "cutover" and a report schedule "weekly", each with a trigger (but the backfill's); and a job of another
            // kind, which is left alone.
            JobKey[] dropped = [SyncJob.KeyFor("gone"), KpiJob.KeyFor("gone"), BackfillJob.KeyFor("gone"), ProbeJob.KeyFor("crm"),
                ReconciliationJob.KeyFor("cutover"), ReportDeliveryJob.KeyFor("weekly")];
            var other = new JobKey("maintenance:gone", "crmpulse");
            foreach (var key in dropped.Append(other))
            {
                await scheduler.AddJob(JobBuilder.Create<Nothing>().WithIdentity(key).StoreDurably().Build(), AddJobOptions.Replacing);
                if (key.Name.StartsWith("backfill:", StringComparison.Ordinal)) continue;
                await scheduler.ScheduleJob(StoredTriggers.Build(new PlannedTrigger(key, null, TimeSpan.FromHours(1), TimeSpan.FromHours(1), true),
                    TimeZoneInfo.Utc, DateTimeOffset.UtcNow.AddHours(1)));
            }
            JobKey[] configured = [SyncJob.KeyFor("old"), KpiJob.KeyFor("old"), BackfillJob.KeyFor("old"), SyncJob.KeyFor("new"),
                KpiJob.KeyFor("new"), ProbeJob.KeyFor("billing"), ReconciliationJob.KeyFor("migration"), ReportDeliveryJob.KeyFor("monthly")];
            var before = new Dictionary<JobKey, (DateTimeOffset, DateTimeOffset?)>();
            foreach (var key in configured)
            {
                Assert.True(await scheduler.GetJobDetail(key) is not null, key.Name);
                foreach (var t in await scheduler.GetTriggersOfJob(key)) before[key] = (t.StartTimeUtc, t.NextFireTimeUtc);
            }
            // Every configured job but the backfill has its trigger.
            Assert.Equal(configured.Length - 1, before.Count);

            var start = ActivatorUtilities.CreateInstance<DroppedJobs>(app.Services);
            await start.StartAsync(CancellationToken.None);

            foreach (var key in dropped)
            {
                Assert.Null(await scheduler.GetJobDetail(key));
                Assert.Null(await scheduler.GetTrigger(StoredTriggers.KeyFor(key)));
            }
            Assert.True(await scheduler.GetJobDetail(other) is not null);
            Assert.True(await scheduler.GetTrigger(StoredTriggers.KeyFor(other)) is not null);
            var after = new Dictionary<JobKey, (DateTimeOffset, DateTimeOffset?)>();
            foreach (var key in configured)
            {
                Assert.True(await scheduler.GetJobDetail(key) is not null, key.Name);
                foreach (var t in await scheduler.GetTriggersOfJob(key)) after[key] = (t.StartTimeUtc, t.NextFireTimeUtc);
            }
            Assert.Equal(before, after);

            // A second start (another node with the same configuration): nothing more to remove.
            Assert.Empty(await DroppedJobs.RemoveAsync(scheduler,
                configured.ToHashSet(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None));
        }
        finally
        {
            await DisposeAsync(app, dir);
        }
    }

    /// <summary>Records the result of one job's firing.</summary>
    private sealed class Outcome(JobKey key) : IJobListener
    {
        public readonly TaskCompletionSource<(object? Result, JobExecutionException? Error)> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "outcome";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (context.JobDetail.Key.Equals(key)) Done.TrySetResult((context.Result, jobException));
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_pairs_firing_on_a_node_that_does_not_know_the_pair_is_skipped_as_not_configured()
    {
        var (app, dir) = await BuildAsync();
        try
        {
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            // A pair another node's configuration names, fired here (no trigger of this configuration is stored: only it runs).
            var key = ReconciliationJob.KeyFor("cutover");
            var outcome = new Outcome(key);
            scheduler.ListenerManager.AddJobListener(outcome, GroupMatcher<JobKey>.GroupEquals("crmpulse"));
            await scheduler.AddJob(JobBuilder.Create<ReconciliationJob>().WithIdentity(key).StoreDurably()
                .UsingJobData(ReconciliationJob.PairKey, "cutover").Build(), AddJobOptions.Replacing);
            await scheduler.Start();
            await scheduler.TriggerJob(key);
            var (result, error) = await outcome.Done.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Null(error);
            Assert.Equal("not configured", result);
        }
        finally
        {
            await DisposeAsync(app, dir);
        }
    }
}
