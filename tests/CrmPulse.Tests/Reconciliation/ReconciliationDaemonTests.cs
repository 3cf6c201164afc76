using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Reconciliation;

/// <summary>
/// The real daemon process with a File-source pair: the pair's job finds the planted gaps on its own schedule, and when
/// the missing contact arrives in the new system the next pass shows the gap closed, the series keeping both values.
/// </summary>
public sealed class ReconciliationDaemonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-recon-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_daemon_reconciles_the_pair_and_the_series_shows_the_gap_closing()
    {
        using var old = new FixtureFolder("migration-old", DateTimeOffset.UtcNow);
        using var @new = new FixtureFolder("migration-new", DateTimeOffset.UtcNow);
        var env = new Dictionary<string, string> { ["CRMPULSE__STORE__PATH"] = Path.Combine(_dir, "crmpulse.db") };
        foreach (var (key, value) in ReconciliationHostTests.Settings(old.Path, @new.Path))
            env["CRMPULSE__" + key["CrmPulse:".Length..].Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()] = value!;
        env["CRMPULSE__SOURCES__1__SYNCEVERY"] = "00:00:10";
        env["CRMPULSE__RECONCILIATION__0__EVERY"] = "00:00:10";

        await using var daemon = DaemonProcess.Start(env);
        var latest = await daemon.WaitForAsync("/api/kpis/latest?source=migration", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(120));

        Assert.Equal(ReconciliationHostTests.Expected.Count(), latest.GetArrayLength());
        Assert.Equal(1, LatestValues.Value(latest, "reconciliation_missing_records", "object=contact"));
        Assert.Equal(1, LatestValues.Value(latest, "reconciliation_lost_associations", "field=contact,object=deal"));
        var metrics = await daemon.Client.GetStringAsync("/metrics");
        Assert.Contains("crmpulse_reconciliation_missing_records{source=\"migration\",object=\"contact\"} 1\n", metrics);
        var (code, _, stderr) = await Tools.RunAsync(Tools.Require("promtool", "prometheus"), "check metrics", metrics);
        Assert.True(code == 0, $"promtool check metrics: {stderr}");

        // C3 is imported into the new system: the next sync and pass close the contacts' gap.
        File.AppendAllText(Path.Combine(@new.Path, "contacts.csv"),
            "208,Cid,Roe,cid@initech.io,,,h1,lead,,false,,2026-03-08T00:00:00Z,2026-03-08T00:00:00Z\n");
        var closed = await daemon.WaitForAsync("/api/kpis/latest?source=migration&kpi=reconciliation_missing_records",
            j => LatestValues.Value(j, "reconciliation_missing_records", "object=contact") == 0, TimeSpan.FromSeconds(90));

        Assert.Equal(2, LatestValues.Value(closed, "reconciliation_missing_records", "object=deal"));
        var series = await daemon.Client.GetStringAsync("/api/kpis/reconciliation_missing_records/series?source=migration&object=contact&from=now-1h");
        Assert.Contains("[1,", series);
        Assert.Contains("[0,", series);
        Assert.Equal(0, await daemon.StopAsync());
    }
}
