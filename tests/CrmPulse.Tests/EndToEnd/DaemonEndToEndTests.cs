using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon process (crmpulse.dll) against the File-source fixture org1: it syncs and computes on its own
/// schedule, answers with the hand-computed values, stops cleanly on SIGTERM, and resumes from its store on restart.
/// </summary>
public sealed class DaemonEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_daemon_syncs_serves_exact_values_stops_cleanly_and_resumes()
    {
        using var folder = new FixtureFolder("org1", DateTimeOffset.UtcNow);
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db"),
            ["CRMPULSE__SOURCES__0__NAME"] = "files",
            ["CRMPULSE__SOURCES__0__KIND"] = "File",
            ["CRMPULSE__SOURCES__0__PATH"] = folder.Path,
            ["CRMPULSE__SOURCES__0__EXCLUDEUSERS__0"] = "zapier@x.test",
        };

        await using (var daemon = DaemonProcess.Start(env))
        {
            var latest = await daemon.WaitForAsync("/api/kpis/latest?source=files", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(90));

            Assert.Equal(0.25, LatestValues.Value(latest, "weekly_active_ratio", ""));
            Assert.Equal(0.5, LatestValues.Value(latest, "weekly_active_ratio", "team=Sales"));
            Assert.Equal(1, LatestValues.Value(latest, "users_never_logged_in", ""));
            Assert.Equal(0.7, LatestValues.Value(latest, "completeness_score", "object=contact"), 12);
            var metrics = await daemon.Client.GetStringAsync("/metrics");
            Assert.Contains("crmpulse_adoption_licensed_users{source=\"files\",team=\"\"} 4\n", metrics);
            Assert.Contains("crmpulse_source_records_rejected_total{source=\"files\"} 3\n", metrics);
            var (code, _, stderr) = await Tools.RunAsync(Tools.Require("promtool", "prometheus"), "check metrics", metrics);
            Assert.True(code == 0, $"promtool check metrics: {stderr}");
            Assert.Contains($"{daemon.BaseUrl}/api/kpis/latest", daemon.Output); // it prints where to look

            Assert.Equal(0, await daemon.StopAsync());
        }

        // The next start resumes: the ledger answers at once (before any new pass), and the sync state is kept.
        await using (var again = DaemonProcess.Start(env))
        {
            var sources = await again.WaitForAsync("/api/sources", _ => true, TimeSpan.FromSeconds(60));
            var latest = await again.WaitForAsync("/api/kpis/latest?kpi=licensed_users", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(5));
            Assert.Equal(4, LatestValues.Value(latest, "licensed_users", ""));
            Assert.NotEqual(JsonValueKind.Null, sources[0].GetProperty("lastSuccessAt").ValueKind);
            Assert.Equal(0, await again.StopAsync());
        }
    }

    [Fact]
    public async Task A_wrong_setting_stops_the_start_with_a_message_naming_the_key()
    {
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db"),
            ["CRMPULSE__SOURCES__0__NAME"] = "files",
            ["CRMPULSE__SOURCES__0__KIND"] = "File",
            ["CRMPULSE__SOURCES__0__PATH"] = Path.Combine(_dir, "no-such-folder"),
            ["CRMPULSE__SOURCES__0__SYNCEVERY"] = "soon",
        };
        await using var daemon = DaemonProcess.Start(env);

        var exitCode = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var output = daemon.Output;

        Assert.Equal(2, exitCode);
        Assert.Contains("CrmPulse cannot start: the configuration has", output);
        Assert.Contains("CrmPulse:Sources:0:SyncEvery", output);
        Assert.Contains("CrmPulse:Sources:0:Path", output);
    }

}
