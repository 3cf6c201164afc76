using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CrmPulse.Storage.Tests.Influx;
using CrmPulse.Tests.Support;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon publishing to a real InfluxDB 1.6 (v1 mode): an InfluxDB outage loses nothing, and a SIGKILL in the
/// middle of draining a backlog neither loses nor doubles a point. "Exactly once" is checked per KPI: InfluxDB's count
/// and sum of the field equal the ledger's count and sum of the KPI's samples (a point written at another series or
/// timestamp would add to the count; one missing would lower it).
/// </summary>
public sealed class InfluxDaemonTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-influx-e2e-").FullName;
    private InfluxServer _influx = null!;

    public async Task InitializeAsync() => _influx = await InfluxServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _influx.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string DbPath => Path.Combine(_dir, "crmpulse.db");

    private Dictionary<string, string> Env(int batchSize, string every, int backfillDays = 0) => new()
    {
        ["CRMPULSE__SOURCES__0__BACKFILLDAYS"] = backfillDays.ToString(),
        ["CRMPULSE__STORE__PATH"] = DbPath,
        ["CRMPULSE__SOURCES__0__NAME"] = "demo",
        ["CRMPULSE__SOURCES__0__KIND"] = "Demo",
        ["CRMPULSE__SOURCES__0__SYNCEVERY"] = every,
        ["CRMPULSE__SOURCES__0__KPIEVERY"] = every,
        ["CRMPULSE__INFLUXDB__ENABLED"] = "true",
        ["CRMPULSE__INFLUXDB__URL"] = _influx.Url,
        ["CRMPULSE__INFLUXDB__MODE"] = "v1",
        ["CRMPULSE__INFLUXDB__DATABASE"] = _influx.Database,
        ["CRMPULSE__INFLUXDB__BATCHSIZE"] = batchSize.ToString(),
        ["CRMPULSE__INFLUXDB__FLUSHEVERY"] = "00:00:01",
        ["CRMPULSE__INFLUXDB__MAXRETRYDELAY"] = "00:00:02",
    };

    private static bool Long(JsonElement j, string name, Func<long, bool> test) => test(j.GetProperty(name).GetInt64());

    [Fact]
    public async Task An_influx_outage_while_the_daemon_keeps_sampling_loses_nothing_and_doubles_nothing()
    {
        // With a first-run backfill of 3 days, so its historical samples go through the outbox too.
        await using var daemon = DaemonProcess.Start(Env(500, "00:00:10", backfillDays: 3));
        await daemon.WaitForAsync("/api/publishers/influxdb",
            j => Long(j, "writtenSinceStart", w => w > 0) && Long(j, "backlogSamples", b => b == 0), TimeSpan.FromSeconds(90));

        await _influx.StopAsync();
        // The next KPI passes land in the ledger and wait in the outbox; the status names the error. (A write caught by
        // the shutdown itself may first fail with influxd's "HTTP 500: write failed"; the retries then cannot connect.)
        var down = await daemon.WaitForAsync("/api/publishers/influxdb",
            j => Long(j, "backlogSamples", b => b > 0) && j.GetProperty("lastError").ValueKind == JsonValueKind.String
                && j.GetProperty("lastError").GetString()!.StartsWith("cannot reach", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var backlog = down.GetProperty("backlogSamples").GetInt64();
        Assert.StartsWith($"cannot reach {_influx.Url}", down.GetProperty("lastError").GetString());
        await daemon.WaitForAsync("/api/publishers/influxdb", j => Long(j, "backlogSamples", b => b > backlog), TimeSpan.FromSeconds(60));
        var metrics = await daemon.Client.GetStringAsync("/metrics");
        Assert.Matches(@"crmpulse_influx_backlog_samples [1-9]\d*\n", metrics);
        Assert.Matches(@"crmpulse_influx_oldest_unsent_sample_age_seconds \d", metrics);
        Assert.Matches(@"crmpulse_influx_write_failures_total [1-9]", metrics);
        var (lint, _, lintErrors) = await Tools.RunAsync(Tools.Require("promtool", "prometheus"), "check metrics", metrics);
        Assert.True(lint == 0, $"promtool check metrics: {lintErrors}");

        await _influx.RestartAsync();
        var up = await daemon.WaitForAsync("/api/publishers/influxdb",
            j => Long(j, "backlogSamples", b => b == 0) && Long(j, "backlogUserRows", b => b == 0), TimeSpan.FromSeconds(60));
        // Recovered: the outage is not shown as a current error any more (its time stays in the metric).
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (up.GetProperty("lastError").ValueKind, up.GetProperty("lastErrorAt").ValueKind));
        Assert.Matches(@"crmpulse_influx_last_error_timestamp_seconds [1-9]", await daemon.Client.GetStringAsync("/metrics"));
        Assert.Equal(0, await daemon.StopAsync());

        await AssertInfluxHoldsTheLedgerExactlyAsync();
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var steps = connection.CreateCommand();
        steps.CommandText = "SELECT COUNT(*) FROM backfill_steps WHERE source = 'demo'";
        Assert.Equal(3L, await steps.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_sigkill_in_the_middle_of_draining_a_backlog_loses_and_doubles_nothing()
    {
        // A backlog: a 30-day backfill while InfluxDB is down (the command says what is still pending).
        await _influx.StopAsync();
        var (code, output) = await RunCliAsync(Env(5, "01:00:00"), "backfill", "--days", "30");
        Assert.True(code == 0, output);
        Assert.Contains("demo: 30/30 days rebuilt", output);
        Assert.Contains("sample(s) still pending; last error: cannot reach", output);

        await _influx.RestartAsync();
        await using (var first = DaemonProcess.Start(Env(5, "01:00:00")))
        {
            // Batches of 5 points: the drain takes many requests; kill it once some went out and many did not.
            await first.WaitForAsync("/api/publishers/influxdb",
                j => Long(j, "writtenSinceStart", w => w > 0) && Long(j, "backlogSamples", b => b > 100), TimeSpan.FromSeconds(90));
            using var kill = Process.Start("/bin/kill", $"-KILL {first.Pid}");
            await kill.WaitForExitAsync();
            Assert.Equal(137, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        await using (var second = DaemonProcess.Start(Env(500, "01:00:00")))
        {
            await second.WaitForAsync("/api/sources", j => j[0].GetProperty("lastKpiPassAt").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(90));
            await second.WaitForAsync("/api/publishers/influxdb",
                j => Long(j, "backlogSamples", b => b == 0) && Long(j, "backlogUserRows", b => b == 0), TimeSpan.FromSeconds(120));
            Assert.Equal(0, await second.StopAsync());
        }

        await AssertInfluxHoldsTheLedgerExactlyAsync();
    }

    [Fact]
    public async Task Once_publishes_its_pass_before_it_exits()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>
        {
            ["CrmPulse:InfluxDb:Enabled"] = "true", ["CrmPulse:InfluxDb:Url"] = _influx.Url,
            ["CrmPulse:InfluxDb:Mode"] = "v1", ["CrmPulse:InfluxDb:Database"] = _influx.Database,
        });
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo&kpi=licensed_users");

        Assert.Matches(@"InfluxDB \(http://127\.0\.0\.1:\d+ \(v1, database crm\)\): [1-9]\d* point\(s\) written; 0 sample\(s\) still pending\.", host.OnceOutput);
        var status = await host.GetJsonAsync("/api/publishers/influxdb");
        Assert.Equal(0, status.GetProperty("backlogSamples").GetInt64());
        var row = Assert.Single(await _influx.RowsAsync("SELECT licensed_users FROM crm_adoption WHERE source = 'demo' AND team = ''"));
        Assert.Equal(LatestValues.Value(latest, "licensed_users", ""), row["licensed_users"].GetDouble());
    }

    private async Task AssertInfluxHoldsTheLedgerExactlyAsync()
    {
        var ledger = new List<(string Kpi, long Count, double Sum)>();
        long userRows;
        await using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False;Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT kpi, COUNT(*), SUM(value) FROM samples GROUP BY kpi ORDER BY kpi";
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) ledger.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
            command.CommandText = "SELECT COUNT(*) FROM user_rows";
            userRows = (long)(await command.ExecuteScalarAsync())!;
        }
        await InfluxLedger.AssertHoldsExactlyAsync(_influx, ledger, userRows);
    }

    /// <summary>crmpulse.dll with a command (its arguments first, as a user types them), output redirected.</summary>
    private static async Task<(int Code, string Output)> RunCliAsync(IDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crmpulse.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
