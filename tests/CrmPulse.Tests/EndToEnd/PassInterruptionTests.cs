using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Storage;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The real daemon on the demo, a KPI pass every second, interrupted: killed with SIGKILL while passes are computed and
/// written, and stopped with SIGTERM in the middle of one. After each, the store holds whole passes only: the latest
/// values, the per-user rows and the drill-down come from one pass, and each count equals its records.
/// </summary>
public sealed class PassInterruptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-interrupt-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Db => Path.Combine(_dir, "crmpulse.db");

    private Dictionary<string, string> Settings(int contacts) => new()
    {
        ["CRMPULSE__STORE__PATH"] = Db,
        ["CRMPULSE__SOURCES__0__NAME"] = "demo",
        ["CRMPULSE__SOURCES__0__KIND"] = "Demo",
        ["CRMPULSE__SOURCES__0__CONTACTS"] = $"{contacts}",
        ["CRMPULSE__SOURCES__0__COMPANIES"] = $"{contacts / 5}",
        ["CRMPULSE__SOURCES__0__ACTIVITIES"] = $"{contacts * 2}",
        ["CRMPULSE__SOURCES__0__KPICRON"] = "* * * * * ?",
        ["Logging__LogLevel__CrmPulse.Pipeline.SourceRunner"] = "Debug",
    };

    [Fact]
    public async Task A_daemon_killed_during_passes_leaves_counts_and_their_records_in_agreement()
    {
        var settings = Settings(3000);
        // Killed at three moments of a pass: as it starts (reading the mirror), once the store file changes after it
        // started (the write), and after a whole pass with the next one under way.
        foreach (var moment in new[] { "start", "write", "next" })
        {
            await using (var daemon = DaemonProcess.Start(settings))
            {
                await WaitForAsync(daemon, () => Count(daemon, "KPI samples and") >= 1);
                var started = Count(daemon, "KPI pass started");
                await WaitForAsync(daemon, () => Count(daemon, "KPI pass started") > started);
                if (moment == "write")
                {
                    var wal = File.GetLastWriteTimeUtc(Db + "-wal");
                    await WaitForAsync(daemon, () => File.GetLastWriteTimeUtc(Db + "-wal") != wal, pollMs: 1);
                }
                else if (moment == "next")
                {
                    var passes = Count(daemon, "KPI samples and");
                    await WaitForAsync(daemon, () => Count(daemon, "KPI samples and") > passes);
                }
                await daemon.KillAsync();
            }

            await AssertWholePassesAsync(moment);
        }
    }

    [Fact]
    public async Task A_daemon_stopped_in_the_middle_of_a_pass_cancels_it_and_exits_at_once()
    {
        await using var daemon = DaemonProcess.Start(Settings(20000));
        await WaitForAsync(daemon, () => Count(daemon, "KPI samples and") >= 1);
        var started = Count(daemon, "KPI pass started");
        await WaitForAsync(daemon, () => Count(daemon, "KPI pass started") > started, pollMs: 5);

        // SIGTERM while the pass reads the mirror or computes (a demo pass takes about a second): the host's stop tells
        // the running job, the pass rolls back and the process exits (StopAsync gives it 30 s, the host's timeout).
        Assert.Equal(0, await daemon.StopAsync());

        Assert.Contains("KPI pass cancelled (the daemon is stopping); nothing of it was stored", daemon.Output);
        var stored = await AssertWholePassesAsync("SIGTERM");
        Assert.Equal(Count(daemon, "KPI samples and"), stored); // every completed pass, and nothing of the cancelled one
    }

    /// <summary>Opens the store the daemon left and checks that everything "latest" is one pass; returns the number of
    /// passes stored (their per-user row groups).</summary>
    private async Task<long> AssertWholePassesAsync(string moment)
    {
        using var store = await SqliteStore.OpenAsync(Db, CancellationToken.None);
        var latest = (await store.LatestValuesAsync(CancellationToken.None)).Values.Where(v => v.Producer == "demo").ToList();
        var at = Assert.Single(latest.Select(v => v.Sample.Time).Distinct());
        var issueKinds = KpiCatalog.All.Where(d => d.HasIssues).Select(d => d.Id).ToList();
        var issues = await store.QueryIssuesAsync(new IssueQuery(issueKinds, Source: "demo", Limit: 0), CancellationToken.None);
        Assert.True(issues.Total > 0, moment);
        foreach (var kind in new[] { "invalid_emails", "invalid_phones", "unreachable_contacts" })
        {
            var page = await store.QueryIssuesAsync(new IssueQuery([kind], Source: "demo", Limit: 100_000), CancellationToken.None);
            Assert.All(page.Items, i => Assert.Equal(at, i.ComputedAt));
            var count = latest.Single(v => v.Sample.Kpi == kind && v.Sample.Dimensions.Equals(Dimensions.Of(("object", "contact")))).Sample.Value;
            Assert.True(count == page.Total, $"{moment}: {kind} is {count} but {page.Total} records are listed");
        }
        Assert.All(await store.LatestUsersAsync("demo", CancellationToken.None), u => Assert.Equal(at, u.AsOf));
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM user_passes WHERE source = 'demo'";
        return (long)command.ExecuteScalar()!;
    }

    private static int Count(DaemonProcess daemon, string text) => daemon.Output.Split('\n').Count(l => l.Contains(text));

    private static async Task WaitForAsync(DaemonProcess daemon, Func<bool> done, int pollMs = 50)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not there within 120 s:\n{daemon.Output}");
            await Task.Delay(pollMs);
        }
    }
}
