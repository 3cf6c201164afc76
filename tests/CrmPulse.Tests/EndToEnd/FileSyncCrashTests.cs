using System.Globalization;
using CrmPulse.Storage;
using CrmPulse.Tests.Support;
using Xunit.Abstractions;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// kill -9 in the middle of a File sync that replaces every stored contact: afterwards the mirror holds either the old
/// export with its watermark or the new one with its own, never a mix, and the next run completes the sync.
/// </summary>
public sealed class FileSyncCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Contacts = 30_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("crmpulse-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void WriteContacts(string folder, string prefix) =>
        File.WriteAllLines(Path.Combine(folder, "contacts.csv"),
            ["id,first_name,last_name,email,created_at",
             .. Enumerable.Range(1, Contacts).Select(i => string.Create(CultureInfo.InvariantCulture,
                 $"{prefix}{i},First{i},Last{i},{prefix}{i}@example.com,2024-01-01T00:00:00Z"))]);

    private static async Task<(HashSet<string> Ids, string? Watermark, int Counted)> MirrorAsync(string db)
    {
        using var store = await SqliteStore.OpenAsync(db, CancellationToken.None);
        var snapshot = await store.LoadSnapshotAsync("files", CancellationToken.None);
        var watermarks = await store.GetWatermarksAsync("files", CancellationToken.None);
        var state = (await store.GetSyncStatesAsync(CancellationToken.None)).Single(s => s.Source == "files");
        return (snapshot.Contacts.Select(c => c.Id).ToHashSet(StringComparer.Ordinal), watermarks.GetValueOrDefault("file:contacts"),
            state.RecordCounts[Core.Model.ObjectKind.Contact]);
    }

    /// <summary>Runs the daemon until its sync has succeeded, then kills it (the KPI pass that follows is not needed here).</summary>
    private static async Task SyncedAsync(Dictionary<string, string> env)
    {
        var started = DateTimeOffset.UtcNow;
        await using var daemon = DaemonProcess.Start(env);
        await daemon.WaitForAsync("/api/sources", j => j[0].GetProperty("status").GetString() == "ok"
            && j[0].GetProperty("lastSuccessAt").GetDateTimeOffset() >= started, TimeSpan.FromMinutes(3));
        await daemon.KillAsync();
    }

    [Fact]
    public async Task A_sync_killed_while_it_writes_leaves_the_old_export_or_the_new_one_and_the_next_run_finishes_it()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "exports")).FullName;
        var db = Path.Combine(_dir, "crmpulse.db");
        var env = new Dictionary<string, string>
        {
            ["CRMPULSE__STORE__PATH"] = db,
            ["CRMPULSE__SOURCES__0__NAME"] = "files",
            ["CRMPULSE__SOURCES__0__KIND"] = "File",
            ["CRMPULSE__SOURCES__0__PATH"] = folder,
        };
        WriteContacts(folder, "a");
        await SyncedAsync(env);
        var old = await MirrorAsync(db);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(Contacts, old.Ids.Count);

        // The next export replaces every contact: 30,000 upserts and 30,000 deletions in one transaction.
        WriteContacts(folder, "b");
        var wal = db + "-wal";
        await using (var daemon = DaemonProcess.Start(env))
        {
            // The transaction's pages spill into the WAL while it writes: kill as soon as it grows.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!(File.Exists(wal) && new FileInfo(wal).Length > 2 << 20))
            {
                Assert.True(DateTime.UtcNow < deadline, "the sync never started writing:\n" + daemon.Output);
                await Task.Delay(5);
            }
            await daemon.KillAsync();
        }

        var crashed = await MirrorAsync(db);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var newIds = Enumerable.Range(1, Contacts).Select(i => $"b{i}").ToHashSet(StringComparer.Ordinal);
        var killedMidway = crashed.Ids.SetEquals(old.Ids);
        output.WriteLine(killedMidway ? "killed before the commit: the old export stands" : "killed after the commit: the new export stands");
        if (killedMidway)
        {
            Assert.Equal(old.Watermark, crashed.Watermark);
        }
        else
        {
            Assert.True(crashed.Ids.SetEquals(newIds), $"a mix of exports: {crashed.Ids.Count(i => i[0] == 'a')} old, {crashed.Ids.Count(i => i[0] == 'b')} new");
            Assert.NotEqual(old.Watermark, crashed.Watermark);
        }
        Assert.Equal(crashed.Ids.Count, crashed.Counted); // the sync state counts what is there

        await SyncedAsync(env);
        var finished = await MirrorAsync(db);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.True(finished.Ids.SetEquals(newIds));
        Assert.Equal(Contacts, finished.Counted);
    }
}
