using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>
/// A real InfluxDB 1.x (Debian's influxd) on a free 127.0.0.1 port, its data in a temp folder, stopped by its process
/// id. A missing influxd fails the test, never skips it: ./test.sh installs the Debian package 'influxdb'.
/// Also linked into CrmPulse.Tests (daemon-level outage tests).
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private readonly string _influxd;
    private Process? _process;

    private InfluxServer(string influxd, string folder, int port, string database)
    {
        _influxd = influxd;
        Folder = folder;
        Port = port;
        Database = database;
        Client = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Folder { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string Database { get; }

    public HttpClient Client { get; }

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts influxd and creates <paramref name="database"/>.</summary>
    public static async Task<InfluxServer> StartAsync(string database = "crm")
    {
        var server = new InfluxServer(RequireInfluxd(), Directory.CreateTempSubdirectory("crmpulse-influx-").FullName, FreePort(), database);
        try
        {
            await server.StartProcessAsync();
            await server.QueryAsync($"CREATE DATABASE \"{database}\"", post: true);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts influxd again on the same port and data folder (after <see cref="StopAsync"/>).</summary>
    public Task RestartAsync() => StartProcessAsync();

    private async Task StartProcessAsync()
    {
        var rpc = FreePort();
        var config = Path.Combine(Folder, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-enabled = false
            bind-address = "127.0.0.1:{rpc}"
            [meta]
              dir = "{Folder}/meta"
            [data]
              dir = "{Folder}/data"
              wal-dir = "{Folder}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{Port}"
              auth-enabled = false
              log-enabled = false
              pprof-enabled = false
              unix-socket-enabled = false
            [continuous_queries]
              enabled = false
            """);
        var info = new ProcessStartInfo(_influxd) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add("-config");
        info.ArgumentList.Add(config);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"influxd exited with {_process.ExitCode} at start.");
            try
            {
                using var ping = await Client.GetAsync("ping");
                if (ping.StatusCode == HttpStatusCode.NoContent) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"influxd did not answer /ping on {Url} within 30 s.");
    }

    /// <summary>Stops influxd by its process id (SIGTERM, then SIGKILL after 15 s) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("/bin/kill", $"-TERM {_process.Id}")) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Runs InfluxQL on the test database with epoch=ms; returns the first result (series, or error).</summary>
    public async Task<JsonElement> QueryAsync(string influxQl, bool post = false)
    {
        var query = $"db={Uri.EscapeDataString(Database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}";
        using var response = post
            ? await Client.PostAsync("query", new FormUrlEncodedContent([new("q", influxQl)]))
            : await Client.GetAsync($"query?{query}");
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{influxQl}: HTTP {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("results")[0].Clone();
    }

    /// <summary>The rows of a SELECT as column-name → value maps (no rows: empty).</summary>
    public async Task<List<Dictionary<string, JsonElement>>> RowsAsync(string influxQl)
    {
        var result = await QueryAsync(influxQl);
        if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{influxQl}: {error}");
        var rows = new List<Dictionary<string, JsonElement>>();
        if (!result.TryGetProperty("series", out var series)) return rows;
        foreach (var s in series.EnumerateArray())
        {
            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            foreach (var values in s.GetProperty("values").EnumerateArray())
            {
                var row = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                var i = 0;
                foreach (var v in values.EnumerateArray()) row[columns[i++]] = v;
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>field key → type (float, integer, string, boolean) of a measurement.</summary>
    public async Task<Dictionary<string, string>> FieldTypesAsync(string measurement)
    {
        var rows = await RowsAsync($"SHOW FIELD KEYS FROM \"{measurement}\"");
        return rows.ToDictionary(r => r["fieldKey"].GetString()!, r => r["fieldType"].GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: the temp folder is cleaned by the system
        }
    }

    private static string RequireInfluxd()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(dir, "influxd");
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException("'influxd' is not installed. Run ./test.sh (it installs the Debian package 'influxdb'), or apt-get install influxdb.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
