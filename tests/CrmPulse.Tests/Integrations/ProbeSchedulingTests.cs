using CrmPulse.Hosting;
using CrmPulse.Integrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CrmPulse.Tests.Integrations;

/// <summary>The daemon's scheduler gets one probe job per integration with a ProbeUrl, and a slot for every job.</summary>
public sealed class ProbeSchedulingTests
{
    [Fact]
    public async Task Each_probed_integration_gets_its_own_job_on_its_interval_and_the_pool_has_a_slot_per_job()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-sched-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"),
            ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:Integrations:0:Name"] = "billing",
            ["CrmPulse:Integrations:0:ProbeUrl"] = "http://127.0.0.1:9/health",
            ["CrmPulse:Integrations:0:Every"] = "00:00:30",
            ["CrmPulse:Integrations:1:Name"] = "webshop",
            ["CrmPulse:Integrations:1:SourceField"] = "lead_source",
            ["CrmPulse:Integrations:1:SourceValue"] = "shop",
        };
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Run, [], null, null), TextWriter.Null, TextWriter.Null,
            c => c.AddInMemoryCollection(settings));
        Assert.NotNull(app);
        try
        {
            var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            // The triggers are stored as the host starts (Jobs.StoredTriggers), after the scheduler.
            await app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<global::CrmPulse.Jobs.StoredTriggers>().Single().StartAsync(CancellationToken.None);

            // The demo source has a sync and a KPI job; billing one probe job; webshop (records only) none.
            var trigger = Assert.IsType<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(ProbeJob.KeyFor("billing"))), exactMatch: false);
            Assert.Equal(TimeSpan.FromSeconds(30), trigger.RepeatInterval);
            Assert.False(await scheduler.Exists(ProbeJob.KeyFor("webshop")));
            Assert.True((await scheduler.GetMetadata()).ThreadPoolSize >= 3);
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
