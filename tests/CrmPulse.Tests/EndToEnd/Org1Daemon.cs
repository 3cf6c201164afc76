using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>The daemon over the File fixture org1, as both stores' end-to-end tests run it: its settings and the values
/// its first pass must serve (hand-computed in Fixtures/org1's README).</summary>
internal static class Org1Daemon
{
    /// <summary>The File source "files" on <paramref name="path"/>, the integration user left out.</summary>
    public static Dictionary<string, string> Source(string path) => new()
    {
        ["CRMPULSE__SOURCES__0__NAME"] = "files",
        ["CRMPULSE__SOURCES__0__KIND"] = "File",
        ["CRMPULSE__SOURCES__0__PATH"] = path,
        ["CRMPULSE__SOURCES__0__EXCLUDEUSERS__0"] = "zapier@x.test",
    };

    /// <summary>Waits for the first pass, checks its values in the API and on /metrics, and returns the /metrics text.</summary>
    public static async Task<string> AssertFirstPassAsync(DaemonProcess daemon)
    {
        var latest = await daemon.WaitForAsync("/api/kpis/latest?source=files", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(90));

        Assert.Equal(0.25, LatestValues.Value(latest, "weekly_active_ratio", ""));
        Assert.Equal(0.5, LatestValues.Value(latest, "weekly_active_ratio", "team=Sales"));
        Assert.Equal(1, LatestValues.Value(latest, "users_never_logged_in", ""));
        Assert.Equal(0.7, LatestValues.Value(latest, "completeness_score", "object=contact"), 12);
        var metrics = await daemon.Client.GetStringAsync("/metrics");
        Assert.Contains("crmpulse_adoption_licensed_users{source=\"files\",team=\"\"} 4\n", metrics);
        Assert.Contains("crmpulse_source_records_rejected_total{source=\"files\"} 3\n", metrics);
        return metrics;
    }
}
