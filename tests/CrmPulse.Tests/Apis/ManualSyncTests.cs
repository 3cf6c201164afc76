using System.Net;
using System.Text.Json;
using CrmPulse.Hosting;
using CrmPulse.Jobs;
using CrmPulse.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// POST /api/sources/{name}/sync against a slow source (a File source whose users.csv is a named pipe: its sync waits
/// until the test writes to it): one sync at a time, a call while one is queued or running is a 409 with its start time.
/// </summary>
public sealed class ManualSyncTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-manual-").FullName;
    private string _pipe = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _released;

    public async Task InitializeAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "export")).FullName;
        _pipe = Path.Combine(folder, "users.csv");
        var (code, _, stderr) = await Tools.RunAsync("mkfifo", _pipe);
        Assert.True(code == 0, stderr);
        var settings = new Dictionary<string, string?>
        {
            ["CrmPulse:Store:Path"] = Path.Combine(_dir, "crmpulse.db"), ["urls"] = "http://127.0.0.1:0",
            ["CrmPulse:Sources:0:Name"] = "files", ["CrmPulse:Sources:0:Kind"] = "File", ["CrmPulse:Sources:0:Path"] = folder,
            ["CrmPulse:Sources:0:SyncEvery"] = "01:00:00", ["CrmPulse:Sources:0:KpiEvery"] = "01:00:00",
        };
        var (app, exit) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Run, [], null, null), TextWriter.Null, TextWriter.Null,
            c => c.AddInMemoryCollection(settings));
        _app = app ?? throw new InvalidOperationException($"host did not build: {exit}");
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        // A sync still waiting on the pipe would hold the scheduler's shutdown: let it read.
        if (Activity.RunningSince("files") is not null) await ReleaseAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private SyncActivity Activity => _app.Services.GetRequiredService<SyncActivity>();

    private async Task<DateTimeOffset> RunningAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            if (Activity.RunningSince("files") is { } since) return since;
            await Task.Delay(100);
        }
        throw new TimeoutException("no sync started");
    }

    private async Task IdleAsync()
    {
        for (var i = 0; i < 300 && Activity.RunningSince("files") is not null; i++) await Task.Delay(100);
        Assert.Null(Activity.RunningSince("files"));
    }

    /// <summary>Lets the waiting sync read the pipe (opening it for writing waits for the reader), then ends its input.</summary>
    private async Task ReleaseAsync()
    {
        await using (var writer = new StreamWriter(new FileStream(_pipe, FileMode.Open, FileAccess.Write))) await writer.WriteAsync("id,email\n");
        _released++;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync()
    {
        using var response = await _client.PostAsync("/api/sources/files/sync", null);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_manual_sync_while_one_runs_or_waits_is_a_409_with_its_start_time_and_runs_once()
    {
        // The scheduled first sync runs and waits on the pipe: every call now is refused, naming its start.
        var since = await RunningAsync();
        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await PostAsync();
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("running", body.GetProperty("state").GetString());
            Assert.Equal(since, body.GetProperty("since").GetDateTimeOffset());
            Assert.Contains($"already running since {since.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}", body.GetProperty("detail").GetString());
        }
        await ReleaseAsync();
        await IdleAsync();

        // Idle: one call queues a sync; the calls after it, while it is queued or running, are refused.
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync()).Status);
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await PostAsync();
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Contains(body.GetProperty("state").GetString(), new[] { "queued", "running" });
        }
        await RunningAsync();
        await ReleaseAsync();
        await IdleAsync();

        // Two syncs ran in all (the scheduled one and one manual): a third would be waiting on the pipe now.
        await Task.Yield();
        Assert.Null(Activity.RunningSince("files"));
        Assert.Equal(2, _released);
        Assert.Contains("crmpulse_job_failures_total{source=\"files\",job_type=\"sync\"} 2\n", await _client.GetStringAsync("/metrics"));
    }
}
