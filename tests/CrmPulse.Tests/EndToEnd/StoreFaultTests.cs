using System.Net;
using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon on Fixtures/org1, with a KPI pass every 2 seconds, when its store cannot write: a full disk (a real
/// tmpfs filled to the last byte) and a store file made immutable. /readyz fails naming the error, /api/sources shows
/// it, each failed pass is one log line without a stack trace and is counted, nothing partial is stored (the count and
/// its records still agree), and the first pass after the fault is stored and clears it all.
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly FixtureFolder _folder = new("org1", DateTimeOffset.UtcNow);

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string> Settings(string storePath) => new()
    {
        ["CRMPULSE__STORE__PATH"] = storePath,
        ["CRMPULSE__SOURCES__0__NAME"] = "files",
        ["CRMPULSE__SOURCES__0__KIND"] = "File",
        ["CRMPULSE__SOURCES__0__PATH"] = _folder.Path,
        ["CRMPULSE__SOURCES__0__EXCLUDEUSERS__0"] = "zapier@x.test",
        ["CRMPULSE__SOURCES__0__KPICRON"] = "0/2 * * * * ?",
    };

    [Fact]
    public async Task A_full_disk_fails_readyz_shows_on_sources_and_stores_nothing_partial_until_space_is_back()
    {
        await using var disk = await TinyDisk.MountAsync(16);
        await using var daemon = DaemonProcess.Start(Settings(Path.Combine(disk.Path, "crmpulse.db")));
        var before = await StoredPassAsync(daemon);

        disk.Fill();

        var ready = await WaitForStatusAsync(daemon, "/readyz", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
        Assert.Contains("database or disk is full", ready.GetProperty("status").GetString());
        before = await AfterFailedPassesAsync(daemon, before, "database or disk is full");

        disk.Free();

        await WaitForStatusAsync(daemon, "/readyz", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await AssertRecoveredAsync(daemon, before);
    }

    [Fact]
    public async Task A_store_file_that_becomes_read_only_fails_readyz_until_it_is_writable_again()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-readonly-").FullName;
        var db = Path.Combine(dir, "crmpulse.db");
        try
        {
            await using var daemon = DaemonProcess.Start(Settings(db));
            var before = await StoredPassAsync(daemon);

            // Immutable: even root cannot write it (the -shm stays writable, it is shared memory, not data).
            await ChattrAsync("+i", db, db + "-wal");
            try
            {
                var ready = await WaitForStatusAsync(daemon, "/readyz", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));
                Assert.Contains("cannot be written", ready.GetProperty("status").GetString());
                before = await AfterFailedPassesAsync(daemon, before, "cannot be written");
            }
            finally
            {
                await ChattrAsync("-i", db, db + "-wal");
            }

            await WaitForStatusAsync(daemon, "/readyz", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            await AssertRecoveredAsync(daemon, before);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Once the fault shows: what is stored then (a pass may have landed between the first read and the fault; it is
    /// whole, with the same count and records), and after two more passes failed, still exactly that: nothing of the
    /// failed passes, the same count, records and time.
    /// </summary>
    private static async Task<(double, string, DateTimeOffset)> AfterFailedPassesAsync(DaemonProcess daemon,
        (double, string, DateTimeOffset) before, string error)
    {
        var atFault = await StoredPassAsync(daemon);
        Assert.Equal((before.Item1, before.Item2), (atFault.Count, atFault.Records));
        var failed = Lines(daemon, "KPI pass failed").Count;
        await AssertFailureShownAsync(daemon, error);
        await WaitForAsync(() => Lines(daemon, "KPI pass failed").Count >= failed + 2, daemon, TimeSpan.FromSeconds(30));
        Assert.Equal(atFault, await StoredPassAsync(daemon));
        return atFault;
    }

    /// <summary>The store's failure on /api/sources, in the log once per failed pass without a stack trace, in the metrics.</summary>
    private static async Task AssertFailureShownAsync(DaemonProcess daemon, string error)
    {
        // Two failed passes at least, so the log shows what every pass does.
        await WaitForAsync(() => Lines(daemon, "KPI pass failed").Count >= 2, daemon, TimeSpan.FromSeconds(30));
        var source = (await daemon.WaitForAsync("/api/sources", _ => true, TimeSpan.FromSeconds(10)))[0];
        var store = source.GetProperty("store");
        Assert.False(store.GetProperty("writable").GetBoolean());
        Assert.Contains(error, store.GetProperty("error").GetString());
        Assert.Contains(error, source.GetProperty("lastKpiError").GetString());
        Assert.All(Lines(daemon, "KPI pass failed"), l => Assert.Contains(error, l));
        Assert.DoesNotContain(daemon.Output.Split('\n'), l => l.StartsWith("   at ", StringComparison.Ordinal) || l.Contains("Exception:"));
        var failures = (await daemon.Client.GetStringAsync("/metrics")).Split('\n')
            .Single(l => l.StartsWith("crmpulse_job_failures_total{source=\"files\",job_type=\"kpi\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(failures.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 2, failures);
    }

    private static async Task AssertRecoveredAsync(DaemonProcess daemon, (double, string, DateTimeOffset) before)
    {
        var source = await daemon.WaitForAsync("/api/sources",
            j => j[0].GetProperty("lastKpiError").ValueKind == JsonValueKind.Null, TimeSpan.FromSeconds(30));
        Assert.True(source[0].GetProperty("store").GetProperty("writable").GetBoolean());
        var after = await StoredPassAsync(daemon);
        Assert.Equal((before.Item1, before.Item2), (after.Count, after.Records));
        Assert.True(after.At > before.Item3);
        Assert.Contains("the KPI pass succeeded again", daemon.Output);
        Assert.Equal(0, await daemon.StopAsync());
    }

    /// <summary>invalid_emails of the latest stored pass, the records the drill-down lists for it, and its time (the
    /// records' computedAt must be that time: both from one pass). Read again when a pass landed between the two
    /// requests (one every 2 seconds).</summary>
    private static async Task<(double Count, string Records, DateTimeOffset At)> StoredPassAsync(DaemonProcess daemon)
    {
        while (true)
        {
            var latest = (await daemon.WaitForAsync("/api/kpis/latest?kpi=invalid_emails", j => j.GetArrayLength() > 0, TimeSpan.FromSeconds(90)))[0];
            var issues = await daemon.WaitForAsync("/api/data-quality/issues?kind=invalid_emails", _ => true, TimeSpan.FromSeconds(10));
            var again = (await daemon.WaitForAsync("/api/kpis/latest?kpi=invalid_emails", _ => true, TimeSpan.FromSeconds(10)))[0];
            var at = latest.GetProperty("time").GetDateTimeOffset();
            if (again.GetProperty("time").GetDateTimeOffset() != at) continue;
            Assert.All(issues.GetProperty("items").EnumerateArray(), i => Assert.Equal(at, i.GetProperty("computedAt").GetDateTimeOffset()));
            return (latest.GetProperty("value").GetDouble(),
                string.Join(",", issues.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recordId").GetString())), at);
        }
    }

    private static List<string> Lines(DaemonProcess daemon, string text) => daemon.Output.Split('\n').Where(l => l.Contains(text)).ToList();

    private static async Task<JsonElement> WaitForStatusAsync(DaemonProcess daemon, string path, HttpStatusCode status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await daemon.Client.GetAsync(path);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == status) return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            await Task.Delay(200);
        }
        throw new TimeoutException($"GET {path} did not answer {(int)status} within {timeout}; last: {last}\n{daemon.Output}");
    }

    private static async Task WaitForAsync(Func<bool> done, DaemonProcess daemon, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not there within {timeout}:\n{daemon.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task ChattrAsync(string flag, params string[] files)
    {
        foreach (var file in files.Where(File.Exists))
        {
            var (code, _, stderr) = await Tools.RunAsync("/usr/bin/chattr", $"{flag} {file}");
            if (code != 0) throw new InvalidOperationException($"chattr {flag} {file} failed ({stderr.Trim()}): this test needs root on a filesystem with attributes (ext4).");
        }
    }
}
