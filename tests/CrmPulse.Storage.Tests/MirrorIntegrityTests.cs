using CrmPulse.Storage.Tests.Postgres;
using System.Diagnostics;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using Xunit.Abstractions;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>All-or-nothing applies, sources kept apart, parallel writers, and a CRM-sized change set.</summary>
public abstract class MirrorIntegrityTests(StoreKind kind, ITestOutputHelper output) : IDisposable
{
    private readonly StoreUnderTest _db = new(kind);
    private static readonly CancellationToken None = CancellationToken.None;

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData("upserts")]
    [InlineData("deletions")]
    [InlineData("complete-kinds")]
    [InlineData("watermarks")]
    [InlineData("sync-state")]
    public async Task A_failure_at_any_step_leaves_records_watermarks_and_sync_state_as_they_were(string failingStep)
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1", "old@example.com"), Contact("c2")]);
            c.Deals.Add(Deal("d1"));
            c.Watermarks["contacts"] = "w1";
        }), T0, None);
        var before = await DescribeAsync(store);

        SetApplyStepHook(store, step => { if (step == failingStep) throw new IOException($"injected at {step}"); });
        var changes = Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1", "new@example.com"), Contact("c3")]);
            c.Deletions.Add((ObjectKind.Contact, "c2"));
            c.CompleteKinds.Add(ObjectKind.Deal);
            c.Watermarks["contacts"] = "w2";
            c.Watermarks["deals"] = "w1";
            c.Problems.Add(new SourceProblem("contacts", null, null, "odd"));
        });
        var error = await Assert.ThrowsAsync<IOException>(() => store.ApplyAsync("s", changes, T0.AddHours(1), None));

        Assert.Equal($"injected at {failingStep}", error.Message);
        Assert.Equal(before, await DescribeAsync(store));

        // Nothing was left locked: the same change set then applies in full.
        SetApplyStepHook(store, null);
        Assert.Equal(new(2, 2, 1), await store.ApplyAsync("s", changes, T0.AddHours(1), None)); // c1, c3; c2, d1
        Assert.Equal("contacts=w2;deals=w1|c1:new@example.com,c3:c3@example.com||", Summary(await DescribeAsync(store)));
    }

    [Fact]
    public async Task A_cancelled_apply_stores_nothing()
    {
        using var store = await _db.OpenAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.ApplyAsync("s", Changes(c => c.Contacts.Add(Contact("c1"))), T0, cancelled.Token));

        Assert.Empty((await store.LoadSnapshotAsync("s", None)).Contacts);
        Assert.Empty(await store.GetSyncStatesAsync(None));
    }

    [Fact]
    public async Task Sources_do_not_see_or_delete_each_others_records_or_watermarks()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("a", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1", "a1@example.com"), Contact("c2")]);
            c.Watermarks["contacts"] = "a-w";
        }), T0, None);
        await store.ApplyAsync("b", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1", "b1@example.com"), Contact("c2")]);
            c.Watermarks["contacts"] = "b-w";
        }), T0, None);

        // Source a: a complete re-read holding only c1, and an explicit deletion of c1.
        var result = await store.ApplyAsync("a", Changes(c =>
        {
            c.CompleteKinds.Add(ObjectKind.Contact);
            c.Contacts.Add(Contact("c1", "a1@example.com"));
            c.Deletions.Add((ObjectKind.Contact, "c1"));
        }), T0, None);

        Assert.Equal(new(1, 2, 0), result);
        Assert.Empty((await store.LoadSnapshotAsync("a", None)).Contacts);
        var b = await store.LoadSnapshotAsync("b", None);
        Assert.Equal(["c1:b1@example.com", "c2:c2@example.com"], b.Contacts.Select(c => $"{c.Id}:{c.Email}"));
        Assert.Equal("b-w", (await store.GetWatermarksAsync("b", None))["contacts"]);
        Assert.Equal("a-w", (await store.GetWatermarksAsync("a", None))["contacts"]);
        var states = await store.GetSyncStatesAsync(None);
        Assert.Equal(["a:0", "b:2"], states.Select(s => $"{s.Source}:{s.RecordCounts[ObjectKind.Contact]}"));
    }

    [Fact]
    public async Task Two_sources_applied_in_parallel_from_two_tasks_both_commit_in_full()
    {
        using var store = await _db.OpenAsync();
        const int Rounds = 5, PerRound = 2_000;

        async Task SyncAsync(string source)
        {
            for (var round = 0; round < Rounds; round++)
            {
                var r = round;
                await store.ApplyAsync(source, Changes(c =>
                {
                    c.Contacts.AddRange(Enumerable.Range(r * PerRound, PerRound).Select(i => Contact($"{source}-{i:D6}")));
                    c.Watermarks["contacts"] = $"round-{r}";
                }), T0.AddMinutes(r), None);
                // A reader in between must never fail or see a half-applied round.
                var snapshot = await store.LoadSnapshotAsync(source, None);
                Assert.Equal(0, snapshot.Contacts.Count % PerRound);
            }
        }

        await Task.WhenAll(Task.Run(() => SyncAsync("a")), Task.Run(() => SyncAsync("b")));

        foreach (var source in new[] { "a", "b" })
        {
            var contacts = (await store.LoadSnapshotAsync(source, None)).Contacts;
            Assert.Equal(Rounds * PerRound, contacts.Count); // 5 rounds x 2,000 new ids = 10,000
            Assert.All(contacts, c => Assert.StartsWith($"{source}-", c.Id));
            Assert.Equal("round-4", (await store.GetWatermarksAsync(source, None))["contacts"]);
        }
        var states = await store.GetSyncStatesAsync(None);
        Assert.Equal([10_000, 10_000], states.Select(s => s.RecordCounts[ObjectKind.Contact]));
        Assert.Equal([T0.AddMinutes(4), T0.AddMinutes(4)], states.Select(s => s.LastSuccessAt!.Value));
    }

    [Fact]
    public async Task A_crm_sized_change_set_of_20000_contacts_and_50000_activities_applies_and_loads_whole()
    {
        using var store = await _db.OpenAsync();
        var changes = Changes(c =>
        {
            c.Contacts.AddRange(Enumerable.Range(0, 20_000).Select(i => Contact($"c{i:D5}") with
            {
                Custom = new Dictionary<string, string?> { ["region"] = (i % 7).ToString(), ["score"] = null },
            }));
            c.Activities.AddRange(Enumerable.Range(0, 50_000).Select(i => Activity($"a{i:D5}", $"u{i % 40}")));
        });

        var clock = Stopwatch.StartNew();
        var result = await store.ApplyAsync("big", changes, T0, None);
        var applied = clock.Elapsed;
        var snapshot = await store.LoadSnapshotAsync("big", None);
        output.WriteLine($"apply {applied.TotalMilliseconds:F0} ms, load {(clock.Elapsed - applied).TotalMilliseconds:F0} ms");

        Assert.Equal(new(70_000, 0, 0), result);
        Assert.Equal(20_000, snapshot.Contacts.Count);
        Assert.Equal(50_000, snapshot.Activities.Count);
        Assert.Equal("c12345", snapshot.Contacts[12_345].Id); // ids D5-padded, so id order is number order
        Assert.Equal("4", snapshot.Contacts[12_345].Custom["region"]); // 12345 % 7 = 4
        Assert.Equal("u25", snapshot.Activities[49_985].OwnerId); // 49985 % 40 = 25
    }

    /// <summary>Everything the mirror says about source "s", as comparable text.</summary>
    private static async Task<(string Watermarks, string Contacts, string Deals, string State)> DescribeAsync(ICrmStore store)
    {
        var snapshot = await store.LoadSnapshotAsync("s", None);
        var watermarks = await store.GetWatermarksAsync("s", None);
        var state = Assert.Single(await store.GetSyncStatesAsync(None));
        return (
            string.Join(";", watermarks.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            string.Join(",", snapshot.Contacts.Select(c => $"{c.Id}:{c.Email}")),
            string.Join(",", snapshot.Deals.Select(d => d.Id)),
            $"{state.LastAttemptAt:O} {state.LastSuccessAt:O} {state.ProblemsTotal} {string.Join(",", state.LastProblems)} " +
            string.Join(",", state.RecordCounts.OrderBy(p => p.Key).Select(p => p.Value)));
    }

    private static void SetApplyStepHook(ICrmStore store, Action<string>? hook)
    {
        if (store is SqliteStore sqlite) sqlite.ApplyStepHook = hook;
        else ((global::CrmPulse.Storage.Postgres.PostgresStore)store).ApplyStepHook = hook;
    }

    private static string Summary((string Watermarks, string Contacts, string Deals, string State) d) =>
        $"{d.Watermarks}|{d.Contacts}|{d.Deals}|";
}

public sealed class MirrorIntegrityTestsOnSqlite(ITestOutputHelper output) : MirrorIntegrityTests(StoreKind.Sqlite, output);

public sealed class MirrorIntegrityTestsOnPostgreSql(ITestOutputHelper output) : MirrorIntegrityTests(StoreKind.PostgreSql, output);
