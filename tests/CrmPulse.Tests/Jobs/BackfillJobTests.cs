using CrmPulse.Cluster;
using CrmPulse.Hosting;
using CrmPulse.Jobs;
using CrmPulse.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Extensibility;

namespace CrmPulse.Tests.Jobs;

/// <summary>
/// The automatic backfill's run as the runs table records it (<see cref="RunRecorder"/>): "not computed" before the
/// source has synced, "cancelled" when the stop cuts it, and "ok" when it completed, also when the node's stop signals
/// the job's token just after (it used to set no result, and a signalled token without one reads as cancelled).
/// </summary>
public sealed class BackfillJobTests
{
    [Fact]
    public async Task A_backfill_is_recorded_not_computed_before_a_sync_cancelled_when_cut_and_ok_when_complete_even_as_the_stop_begins()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-backfill-job-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"),
            ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:Cluster:NodeName"] = "solo",
            ["CrmPulse:Sources:0:Name"] = "demo",
            ["CrmPulse:Sources:0:Kind"] = "Demo",
            ["CrmPulse:Sources:0:Users"] = "10",
            ["CrmPulse:Sources:0:Contacts"] = "100",
            ["CrmPulse:Sources:0:Companies"] = "20",
            ["CrmPulse:Sources:0:Deals"] = "20",
            ["CrmPulse:Sources:0:Activities"] = "100",
            ["CrmPulse:Sources:0:BackfillDays"] = "3",
        };
        var errors = new StringWriter();
        var (app, _) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Once, [], null, null), TextWriter.Null, errors,
            c => c.AddInMemoryCollection(settings));
        Assert.True(app is not null, errors.ToString());
        try
        {
            var recorder = app.Services.GetRequiredService<RunRecorder>();
            var runs = app.Services.GetRequiredService<IJobRuns>();
            var store = app.Services.GetRequiredService<ICrmStore>();
            var detail = JobBuilder.Create<BackfillJob>().WithIdentity(BackfillJob.KeyFor("demo")).UsingJobData(SyncJob.SourceKey, "demo").Build();

            // One firing as Quartz makes it: the listener before and after the job; the stop signals the context's token
            // at stopAt (before the job, or once it has returned), and a job cut by it throws, which Quartz reports with no
            // exception.
            async Task<string?> RunAsync(bool stopBefore)
            {
                using var stop = new CancellationTokenSource();
                var job = ActivatorUtilities.CreateInstance<BackfillJob>(app.Services);
                var context = JobExecutionContextBuilder.For(job).WithJob(detail).WithCancellation(stop.Token).Build();
                await recorder.JobToBeExecuted(context);
                if (stopBefore) await stop.CancelAsync();
                try
                {
                    await job.Execute(context, context.CancellationToken);
                }
                catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                {
                }
                await stop.CancelAsync();
                await recorder.JobWasExecuted(context, null);
                return Assert.Single(await runs.LastRunsAsync(CancellationToken.None), r => r.Job == "backfill").Outcome;
            }

            // Never synced: nothing to rebuild from yet.
            Assert.Equal("not computed", await RunAsync(stopBefore: false));
            Assert.Empty(await store.GetBackfillStepsAsync("demo", CancellationToken.None));

            Assert.Equal(0, await CrmPulseApp.RunOnceAsync(app, TextWriter.Null));
            // Cut by the stop before its first day: cancelled, nothing rebuilt.
            Assert.Equal("cancelled", await RunAsync(stopBefore: true));
            Assert.Empty(await store.GetBackfillStepsAsync("demo", CancellationToken.None));

            // Complete (its 3 days rebuilt), the stop beginning as it returns: ok.
            Assert.Equal("ok", await RunAsync(stopBefore: false));
            Assert.Equal(3, (await store.GetBackfillStepsAsync("demo", CancellationToken.None)).Count);
        }
        finally
        {
            await app!.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
