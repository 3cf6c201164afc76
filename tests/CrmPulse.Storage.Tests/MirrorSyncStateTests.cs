using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Sync state after successes and failures.</summary>
public abstract class MirrorSyncStateTests(StoreKind kind) : IDisposable
{
    private readonly StoreUnderTest _db = new(kind);
    private static readonly CancellationToken None = CancellationToken.None;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_success_sets_both_times_counts_per_kind_and_the_problems()
    {
        using var store = await _db.OpenAsync();

        var result = await store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1"), Contact("c2")]);
            c.Activities.Add(Activity("a1"));
            c.Problems.Add(new SourceProblem("contacts.csv", 12, "email", "not an e-mail address"));
            c.Problems.Add(new SourceProblem("deals", null, null, "HTTP 500"));
        }), T0, None);

        Assert.Equal(new(3, 0, 2), result);
        var state = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal("s", state.Source);
        Assert.Equal(T0, state.LastAttemptAt);
        Assert.Equal(T0, state.LastSuccessAt);
        Assert.Null(state.LastError);
        Assert.Null(state.LastErrorAt);
        Assert.Equal(Counts(contacts: 2, activities: 1), state.RecordCounts.OrderBy(p => p.Key));
        Assert.Equal(["contacts.csv:12: column 'email': not an e-mail address", "deals: HTTP 500"], state.LastProblems);
        Assert.Equal(2, state.ProblemsTotal);
    }

    [Fact]
    public async Task A_failure_changes_only_the_attempt_and_error_and_a_later_success_clears_the_error()
    {
        using var store = await _db.OpenAsync();
        var t1 = T0.AddMinutes(15);
        var t2 = T0.AddMinutes(30);
        await store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.Add(Contact("c1"));
            c.Problems.AddRange(Enumerable.Range(1, 3).Select(i => new SourceProblem("f.csv", i, null, "bad")));
        }), T0, None);

        await store.RecordFailureAsync("s", "HTTP 401: token expired", t1, None);

        var failed = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal((t1, T0, "HTTP 401: token expired", t1), (failed.LastAttemptAt, failed.LastSuccessAt, failed.LastError, failed.LastErrorAt));
        Assert.Equal("failed", failed.Status);
        Assert.Equal(1, failed.RecordCounts[ObjectKind.Contact]);
        Assert.Equal(3, failed.LastProblems.Count);
        Assert.Equal(3, failed.ProblemsTotal);

        await store.ApplyAsync("s", Changes(c =>
            c.Problems.AddRange(Enumerable.Range(1, 150).Select(i => new SourceProblem("g.csv", i, null, "bad")))), t2, None);

        // Recovered: the error is over, so it is gone (an admin reading lastError must not think it is still failing).
        var recovered = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal((t2, t2, (string?)null, (DateTimeOffset?)null), (recovered.LastAttemptAt, recovered.LastSuccessAt, recovered.LastError, recovered.LastErrorAt));
        Assert.Equal("ok", recovered.Status);
        Assert.Equal(100, recovered.LastProblems.Count); // at most 100 kept: the first 100 of this sync
        Assert.Equal("g.csv:1: bad", recovered.LastProblems[0]);
        Assert.Equal("g.csv:100: bad", recovered.LastProblems[99]);
        Assert.Equal(153, recovered.ProblemsTotal); // 3 + 150
    }

    [Fact]
    public async Task A_failure_before_any_success_creates_a_state_with_no_success_and_zero_counts()
    {
        using var store = await _db.OpenAsync();

        await store.RecordFailureAsync("new", "connection refused", T0, None);

        var state = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal(("new", T0, (DateTimeOffset?)null, "connection refused", T0),
            (state.Source, state.LastAttemptAt, state.LastSuccessAt, state.LastError, state.LastErrorAt));
        Assert.Equal(Counts(), state.RecordCounts.OrderBy(p => p.Key));
        Assert.Empty(state.LastProblems);
        Assert.Equal(0, state.ProblemsTotal);
    }

    [Fact]
    public async Task Times_come_back_as_the_same_instant_in_utc()
    {
        using var store = await _db.OpenAsync();
        var local = new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.FromHours(2));

        await store.RecordFailureAsync("s", "x", local, None);

        var at = Assert.Single(await store.GetSyncStatesAsync(None)).LastAttemptAt!.Value;
        Assert.True(at.EqualsExact(new DateTimeOffset(2025, 6, 1, 10, 0, 0, 123, TimeSpan.Zero)));
    }

    private static IEnumerable<KeyValuePair<ObjectKind, int>> Counts(int contacts = 0, int activities = 0) =>
        Enum.GetValues<ObjectKind>().Select(k => KeyValuePair.Create(k, k switch
        {
            ObjectKind.Contact => contacts,
            ObjectKind.Activity => activities,
            _ => 0,
        }));
}

public sealed class MirrorSyncStateTestsOnSqlite() : MirrorSyncStateTests(StoreKind.Sqlite);

public sealed class MirrorSyncStateTestsOnPostgreSql() : MirrorSyncStateTests(StoreKind.PostgreSql);
