using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmPulse.Storage.Tests.Influx;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Stack;

/// <summary>
/// The stack on loopback, for the dashboards' and rules' queries: a real InfluxDB 1.6 (v1 mode), the published
/// CrmPulse daemon on the Demo source with a 14-day first-run backfill publishing to it, an integration probed on a
/// local server, targets, an API key, and a real Prometheus scraping the daemon every second with the alert rules
/// loaded. Everything is stopped by its process id at the end.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    public const string ApiKey = "stack-test-key-7c1e9a3f5d2b8e4a6c0f9d7b3e1a5c8f"; // made up; at least 32 characters
    /// <summary>Enough history (8 weeks) for the default adoption-drop rule, so the alerts panel shows the dip team.</summary>
    public const int BackfillDays = 60;

    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-stack-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _daemon;
    private Process? _prometheus;
    private LocalHttpServer? _probe;

    public InfluxServer Influx { get; private set; } = null!;

    public string ApiUrl { get; private set; } = "";

    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient Prometheus { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string DaemonOutput { get { lock (_output) return _output.ToString(); } }

    public async Task InitializeAsync()
    {
        Influx = await InfluxServer.StartAsync();
        var publish = Path.Combine(_dir, "publish");
        await StackPublish.PublishAsync(publish);
        _probe = LocalHttpServer.Answering(200);
        var port = Tools.FreePort();
        ApiUrl = $"http://127.0.0.1:{port}";
        Api.BaseAddress = new Uri(ApiUrl);
        Api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        _daemon = Start("dotnet", publish, [Path.Combine(publish, "crmpulse.dll"), "--urls", ApiUrl], DaemonEnvironment());
        await WaitForDataAsync();

        var promPort = Tools.FreePort();
        var config = Path.Combine(_dir, "prometheus.yml");
        // The stack's own scrape configuration, pointed at this daemon and these rules, scraping every second.
        await File.WriteAllTextAsync(config, RepoRoot.ReadAllText("prometheus", "prometheus.yml")
            .Replace("crmpulse:8080", $"127.0.0.1:{port}")
            .Replace("/etc/prometheus/rules/", Path.Combine(RepoRoot.Path, "prometheus", "rules") + "/")
            .Replace("scrape_interval: 30s", "scrape_interval: 1s").Replace("evaluation_interval: 30s", "evaluation_interval: 1s"));
        _prometheus = Start(Tools.Require("prometheus", "prometheus"), _dir,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_dir, "tsdb")}", $"--web.listen-address=127.0.0.1:{promPort}"], new Dictionary<string, string>());
        Prometheus.BaseAddress = new Uri($"http://127.0.0.1:{promPort}");
        // Five scrapes, so rate() over a minute has points to work with.
        await WaitAsync("Prometheus scraped CrmPulse five times", async () =>
            (await PromQueryAsync("count_over_time(up{job=\"crmpulse\"}[1m]) >= 5 and up{job=\"crmpulse\"} == 1")).GetArrayLength() == 1,
            TimeSpan.FromSeconds(60));
    }

    private Dictionary<string, string> DaemonEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db"),
            ["CRMPULSE__API__APIKEYS__0"] = ApiKey,
            ["CRMPULSE__SOURCES__0__NAME"] = "demo",
            ["CRMPULSE__SOURCES__0__KIND"] = "Demo",
            ["CRMPULSE__SOURCES__0__BACKFILLDAYS"] = BackfillDays.ToString(),
            ["CRMPULSE__SOURCES__0__KPIEVERY"] = "01:00:00",
            ["CRMPULSE__SOURCES__0__CUSTOMFIELDS__contact__0"] = "customer_tier",
            ["CRMPULSE__SOURCES__0__CUSTOMFIELDS__contact__1"] = "legacy_region",
            // The outcome and licence KPIs produced only when configured, so their panels have data: the company's
            // industry as its territory, ROI figures, a seat cost and a one-person HR roster.
            ["CRMPULSE__SOURCES__0__OUTCOMES__TERRITORYFIELD"] = "industry",
            ["CRMPULSE__SOURCES__0__OUTCOMES__ROICOST"] = "100000",
            ["CRMPULSE__SOURCES__0__OUTCOMES__ROIGAIN"] = "150000",
            ["CRMPULSE__SOURCES__0__LICENCES__COSTPERSEAT"] = "40",
            ["CRMPULSE__SOURCES__0__LICENCES__ROSTER__0"] = "nobody@northwind.example",
            ["CRMPULSE__INTEGRATIONS__0__NAME"] = "billing",
            ["CRMPULSE__INTEGRATIONS__0__PROBEURL"] = _probe!.Url,
            ["CRMPULSE__INTEGRATIONS__0__EVERY"] = "00:00:01",
            ["CRMPULSE__INTEGRATIONS__1__NAME"] = "webform",
            ["CRMPULSE__INTEGRATIONS__1__SOURCEFIELD"] = "lead_status",
            ["CRMPULSE__INTEGRATIONS__1__SOURCEVALUE"] = "new",
            ["CRMPULSE__INTEGRATIONS__1__EXPECTEDEVERY"] = "1.00:00:00", // so integration_late is produced
            ["CRMPULSE__INFLUXDB__ENABLED"] = "true",
            ["CRMPULSE__INFLUXDB__URL"] = Influx.Url,
            ["CRMPULSE__INFLUXDB__MODE"] = "v1",
            ["CRMPULSE__INFLUXDB__DATABASE"] = Influx.Database,
            ["CRMPULSE__INFLUXDB__FLUSHEVERY"] = "00:00:01",
        };
        // A target on every KPI whose panel draws one as a threshold.
        string[] targets = ["weekly_active_ratio", "active_contributor_ratio", "data_quality_score", "win_rate", "new_revenue_30d",
            "open_pipeline_value", "lead_response_time_median"];
        for (var i = 0; i < targets.Length; i++)
        {
            env[$"CRMPULSE__TARGETS__{i}__KPI"] = targets[i];
            env[$"CRMPULSE__TARGETS__{i}__VALUE"] = "1";
            env[$"CRMPULSE__TARGETS__{i}__BY"] = "2099-12-31";
        }
        return env;
    }

    /// <summary>Waits for the backfill, a KPI pass and a probe to have reached InfluxDB, with nothing left to send.</summary>
    private async Task WaitForDataAsync()
    {
        await WaitAsync("the backfill, a KPI pass and a probe in InfluxDB", async () =>
        {
            using var response = await Api.GetAsync("/api/publishers/influxdb");
            if (!response.IsSuccessStatusCode) return false;
            var outbox = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (outbox.GetProperty("backlogSamples").GetInt64() != 0 || outbox.GetProperty("backlogUserRows").GetInt64() != 0) return false;
            var days = await Influx.RowsAsync("SELECT count(\"weekly_active_ratio\") FROM \"crm_adoption\" WHERE \"team\" = ''");
            var score = await Influx.RowsAsync("SELECT count(\"data_quality_score\") FROM \"crm_data_quality\"");
            var probes = await Influx.RowsAsync("SELECT count(\"probe_up\") FROM \"crm_integration\"");
            return days.Count == 1 && days[0]["count"].GetInt64() > BackfillDays && score.Count == 1 && probes.Count == 1;
        }, TimeSpan.FromMinutes(4));
    }

    private async Task WaitAsync(string what, Func<Task<bool>> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_daemon is { HasExited: true }) throw new InvalidOperationException($"CrmPulse exited with {_daemon.ExitCode}:\n{DaemonOutput}");
            try
            {
                if (await done()) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"Not there within {timeout}: {what}.\n{DaemonOutput}");
    }

    /// <summary>An instant PromQL query; returns data.result, or throws with Prometheus' error.</summary>
    public async Task<JsonElement> PromQueryAsync(string expr)
    {
        using var response = await Prometheus.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expr)}");
        // While its storage starts (slow on a busy machine), Prometheus answers 503 in plain text: not listening yet.
        if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            throw new HttpRequestException($"Prometheus is not ready: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("status").GetString() != "success") throw new InvalidOperationException($"{expr}: {body}");
        return body.GetProperty("data").GetProperty("result").Clone();
    }

    private Process Start(string file, string workingDirectory, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAsync(Process? process)
    {
        if (process is null) return;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    public async Task DisposeAsync()
    {
        await StopAsync(_prometheus);
        await StopAsync(_daemon);
        if (_probe is not null) await _probe.DisposeAsync();
        if (Influx is not null) await Influx.DisposeAsync();
        Api.Dispose();
        Prometheus.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open: the temp folder is cleaned by the system
        }
    }
}
