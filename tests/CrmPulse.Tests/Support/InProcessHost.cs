using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using System.Net.Http.Json;
using System.Text.Json;
using CrmPulse.Hosting;

namespace CrmPulse.Tests.Support;

/// <summary>
/// The real CrmPulse host in this process, on a free loopback port, with its own temp store, after one sync and KPI
/// pass (--once) of the given sources. No scheduler runs, so the data stays as the pass left it.
/// </summary>
public sealed class InProcessHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private InProcessHost(WebApplication app, string dir, HttpClient client, string output)
    {
        _app = app;
        _dir = dir;
        Client = client;
        OnceOutput = output;
    }

    public HttpClient Client { get; }

    public string OnceOutput { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The host itself, for commands that take it (report, backfill).</summary>
    public WebApplication App => _app;

    /// <summary>Builds the host on these settings (a temporary store, a free loopback port), runs one pass and starts
    /// the API. <paramref name="time"/> is the host's clock (default the system's).</summary>
    public static async Task<InProcessHost> StartAsync(IDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-host-").FullName;
        var all = new Dictionary<string, string?>(settings)
        {
            ["CrmPulse:Store:Path"] = Path.Combine(dir, "crmpulse.db"),
            ["urls"] = "http://127.0.0.1:0",
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (app, code) = await CrmPulseApp.BuildAsync(new CliArgs(CliCommand.Once, [], null, null), stdout, stderr,
            c => c.AddInMemoryCollection(all), time);
        if (app is null) throw new InvalidOperationException($"Host did not build (exit {code}): {stderr}");
        var onceCode = await CrmPulseApp.RunOnceAsync(app, stdout);
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        return new InProcessHost(app, dir, client, $"exit {onceCode}: {stdout}");
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} -> {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
