using CrmPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CrmPulse.Commands;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Pipeline;
using CrmPulse.Storage;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>backfill through the real host on the Demo source: a continuous daily series, idempotent, resumable.</summary>
public sealed class BackfillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-backfill-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<WebApplication> BuildAsync(int backfillDays = 0)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(_dir, "crmpulse.db"), ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:Sources:0:Name"] = "demo", ["CrmPulse:Sources:0:Kind"] = "Demo", ["CrmPulse:Sources:0:BackfillDays"] = backfillDays.ToString(),
        };
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Backfill, [], null, null), TextWriter.Null, TextWriter.Null,
            c => c.AddInMemoryCollection(settings), TestTimes.Clock(TestTimes.Afternoon));
        return app ?? throw new InvalidOperationException($"host did not build: {code}");
    }

    [Fact]
    public async Task A_90_day_demo_backfill_gives_a_continuous_daily_series_for_every_rebuildable_kpi_and_a_rerun_adds_nothing()
    {
        await using var app = await BuildAsync();
        var output = new StringWriter();

        var code = await BackfillCommand.RunAsync(app, 90, output, terminal: false, CancellationToken.None);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("demo: 9/90 days rebuilt", text);   // a line at every tenth of the way
        Assert.Contains("demo: 90/90 days rebuilt", text);
        Assert.Contains("demo: backfill of 90 day(s) done", text);

        var time = app.Services.GetRequiredService<TimeProvider>();
        var steps = Backfiller.Steps(time.GetUtcNow(), 90);
        Assert.Equal(TimeSpan.FromDays(1), steps[1] - steps[0]);
        Assert.Equal(TimeSpan.Zero, steps[^1].UtcDateTime.TimeOfDay);
        // Every rebuildable KPI the demo produces (what a pass at now gives) has one roll-up sample per day, no gap; a KPI
        // that is only given per dimension (new_revenue_month, by month) has samples every day.
        var snapshot = await app.Services.GetRequiredService<IMirror>().LoadSnapshotAsync("demo", CancellationToken.None);
        var produced = KpiEngine.Compute(snapshot, time.GetUtcNow(), app.Services.GetRequiredService<SourceRegistry>().Config("demo").KpiOptions, rebuildableOnly: true)
            .Samples.Select(s => s.Kpi).Distinct().ToList();
        Assert.Contains("weekly_active_ratio", produced);
        Assert.Contains("activities_per_active_user", produced);
        var ledger = app.Services.GetRequiredService<ILedger>();
        foreach (var kpi in produced)
        {
            var series = await ledger.SeriesAsync(kpi, "demo", steps[0], steps[^1], CancellationToken.None);
            var rollUp = series.Where(s => s.Dimensions.Count == 0).Select(s => s.Time).ToList();
            var days = rollUp.Count > 0 ? rollUp : series.Select(s => s.Time).Distinct().Order().ToList();
            Assert.True(steps.SequenceEqual(days), $"{kpi}: not one roll-up sample (or one set of samples) per day");
            Assert.All(series, s => Assert.Contains(s.Time, steps));
        }
        var before = await CountSamplesAsync(app);

        var again = new StringWriter();
        Assert.Equal(0, await BackfillCommand.RunAsync(app, 90, again, terminal: false, CancellationToken.None));

        Assert.Equal(before, await CountSamplesAsync(app));
    }

    [Fact]
    public async Task An_interrupted_backfill_resumes_where_it_stopped_without_doubles()
    {
        await using var app = await BuildAsync();
        var runner = app.Services.GetRequiredService<SourceRunner>();
        var backfiller = app.Services.GetRequiredService<Backfiller>();
        Assert.True(await runner.SyncAsync("demo", CancellationToken.None));
        using var cancel = new CancellationTokenSource();
        var stopAfter = new Stop(10, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backfiller.RunAsync("demo", 30, stopAfter, cancel.Token));

        var store = app.Services.GetRequiredService<SqliteStore>();
        Assert.Equal(10, (await store.GetBackfillStepsAsync("demo", CancellationToken.None)).Count);
        var resumed = new List<BackfillProgress>();
        Assert.True(await backfiller.RunAsync("demo", 30, new Collect(resumed), CancellationToken.None));
        // The resume starts at day 11 of 30.
        Assert.Equal(11, resumed[0].Done);
        Assert.Equal(30, resumed[^1].Done);
        var steps = Backfiller.Steps(app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), 30);
        var series = await app.Services.GetRequiredService<ILedger>().SeriesAsync("weekly_active_users", "demo", steps[0], steps[^1], CancellationToken.None);
        Assert.Equal(steps, series.Where(s => s.Dimensions.Count == 0).Select(s => s.Time));
    }

    [Fact]
    public async Task The_first_run_backfill_fills_the_configured_days_once_and_records_its_window()
    {
        await using var app = await BuildAsync(backfillDays: 5);
        var backfiller = app.Services.GetRequiredService<Backfiller>();
        Assert.False(await backfiller.RunFirstRunAsync("demo", CancellationToken.None)); // never synced: nothing to rebuild from
        Assert.True(await app.Services.GetRequiredService<SourceRunner>().SyncAsync("demo", CancellationToken.None));

        Assert.True(await backfiller.RunFirstRunAsync("demo", CancellationToken.None));
        var count = await CountSamplesAsync(app);
        Assert.True(await backfiller.RunFirstRunAsync("demo", CancellationToken.None));

        var store = app.Services.GetRequiredService<SqliteStore>();
        Assert.Equal(5, (await store.GetBackfillStepsAsync("demo", CancellationToken.None)).Count);
        Assert.Equal(count, await CountSamplesAsync(app));
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.Equal((Backfiller.Steps(now, 5)[^1], 5), await store.GetOrCreateBackfillPlanAsync("demo", now.AddDays(1), 9, CancellationToken.None));
    }

    private static async Task<long> CountSamplesAsync(WebApplication app)
    {
        var path = app.Services.GetRequiredService<SqliteStore>().Path;
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM samples";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class Stop(int after, CancellationTokenSource cancel) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value)
        {
            if (value.Done == after) cancel.Cancel();
        }
    }

    private sealed class Collect(List<BackfillProgress> list) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => list.Add(value);
    }
}
