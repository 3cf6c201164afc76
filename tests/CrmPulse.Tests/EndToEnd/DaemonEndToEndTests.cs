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
        var env = Org1Daemon.Source(folder.Path);
        env["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db");

        await using (var daemon = DaemonProcess.Start(env))
        {
            var metrics = await Org1Daemon.AssertFirstPassAsync(daemon);
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
