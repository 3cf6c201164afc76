using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Core.Store;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Failed kinds, per-kind read state, rejected rows and notices in the sync state.</summary>
public abstract class MirrorKindStateTests(StoreKind kind) : IDisposable
{
    private readonly StoreUnderTest _db = new(kind);
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly SourceProblem Broken = new("contacts.csv", 521, null, "the quote opening field 2 … is never closed; the file is not read");

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_failed_kind_keeps_its_records_while_the_other_kinds_apply_and_the_sync_is_recorded_as_failed()
    {
        using var store = await _db.OpenAsync();
        await store.ApplyAsync("files", Changes(c =>
        {
            c.Contacts.AddRange([Contact("c1"), Contact("c2")]);
            c.Users.Add(User("u1"));
            c.CompleteKinds.UnionWith([ObjectKind.Contact, ObjectKind.User]);
            c.ReadKinds = [ObjectKind.Contact, ObjectKind.User];
        }), T0, None);

        var t1 = T0.AddMinutes(5);
        var result = await store.ApplyAsync("files", Changes(c =>
        {
            c.Users.Add(User("u2"));
            c.CompleteKinds.Add(ObjectKind.User);
            c.ReadKinds = [ObjectKind.User];
            c.FailedKinds[ObjectKind.Contact] = Broken;
            c.Problems.Add(Broken);
        }), t1, None);

        Assert.Equal(new ApplyResult(1, 1, 1) { Error = Broken.ToString() }, result); // u2 in, u1 out; contacts untouched
        var snapshot = await store.LoadSnapshotAsync("files", None);
        Assert.Equal(["c1", "c2"], snapshot.Contacts.Select(c => c.Id));
        Assert.Equal(["u2"], snapshot.Users.Select(u => u.Id));
        var state = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal(("failed", t1, T0, Broken.ToString(), t1),
            (state.Status, state.LastAttemptAt, state.LastSuccessAt, state.LastError, state.LastErrorAt));
        Assert.Equal(new KindState(T0, Broken.ToString(), t1), state.Kinds[ObjectKind.Contact]); // read before: its copy stands
        Assert.Equal(new KindState(t1, null, null), state.Kinds[ObjectKind.User]);
        Assert.Equal([ObjectKind.User, ObjectKind.Contact], state.ReadKinds.Order());

        var t2 = T0.AddMinutes(10);
        await store.ApplyAsync("files", Changes(c => c.ReadKinds = [ObjectKind.Contact, ObjectKind.User]), t2, None);
        var recovered = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal(("ok", t2, (string?)null), (recovered.Status, recovered.LastSuccessAt, recovered.LastError));
        Assert.Equal(new KindState(t2, null, null), recovered.Kinds[ObjectKind.Contact]);
    }

    [Fact]
    public async Task A_kind_that_fails_on_the_first_sync_is_never_read_and_an_api_source_reads_every_kind()
    {
        using var store = await _db.OpenAsync();

        await store.ApplyAsync("files", Changes(c =>
        {
            c.ReadKinds = [ObjectKind.User];
            c.FailedKinds[ObjectKind.Contact] = Broken;
        }), T0, None);
        await store.ApplyAsync("crm", Changes(c => c.Contacts.Add(Contact("c1"))), T0, None);

        var states = (await store.GetSyncStatesAsync(None)).ToDictionary(s => s.Source);
        Assert.Equal([ObjectKind.User], states["files"].ReadKinds);
        Assert.Equal(new KindState(null, Broken.ToString(), T0), states["files"].Kinds[ObjectKind.Contact]);
        Assert.Null(states["files"].LastSuccessAt);
        Assert.Equal(Enum.GetValues<ObjectKind>(), states["crm"].ReadKinds.Order());
    }

    [Fact]
    public async Task Rejected_rows_and_notices_are_counted_apart_from_problems()
    {
        using var store = await _db.OpenAsync();
        var notice = new SourceProblem("Contact", null, "Phone", "cannot be read (INVALID_FIELD); left empty from now on.");

        var result = await store.ApplyAsync("s", Changes(c =>
        {
            c.Problems.Add(new SourceProblem("deals.csv", 4, "close_date", "bad date; the row is skipped"));
            c.Problems.Add(new SourceProblem("deals.csv", 4, "is_won", "bad boolean; the row is skipped"));
            c.RejectedRows = 1;
            c.Notices.Add(notice);
        }), T0, None);
        await store.ApplyAsync("s", Changes(c => c.RejectedRows = 2), T0.AddMinutes(1), None);

        Assert.Equal(new ApplyResult(0, 0, 2) { RejectedRows = 1, Notices = 1 }, result);
        var state = Assert.Single(await store.GetSyncStatesAsync(None));
        Assert.Equal((2L, 3L, 1L), (state.ProblemsTotal, state.RejectedTotal, state.NoticesTotal));
        Assert.Empty(state.LastNotices); // the last sync had none
    }

    [Fact]
    public async Task A_change_set_that_changes_a_kind_it_reports_as_failed_is_refused_whole()
    {
        using var store = await _db.OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyAsync("s", Changes(c =>
        {
            c.Contacts.Add(Contact("c1"));
            c.FailedKinds[ObjectKind.Contact] = Broken;
        }), T0, None));

        Assert.StartsWith("Source 's': the change set reports contact as failed but also changes it.", error.Message);
        Assert.Empty(await store.GetSyncStatesAsync(None));
    }
}

public sealed class MirrorKindStateTestsOnSqlite() : MirrorKindStateTests(StoreKind.Sqlite);

public sealed class MirrorKindStateTestsOnPostgreSql() : MirrorKindStateTests(StoreKind.PostgreSql);

/// <summary>SQLite's own upgrade path (a PostgreSQL store starts at the consolidated schema).</summary>
public sealed class MirrorKindStateUpgradeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_store_of_the_previous_schema_gets_every_kind_read_at_its_last_success_and_loses_errors_that_are_over()
    {
        using var db = new TestDatabase();
        using (await db.OpenAsync([.. Migrations.All.Where(m => m.Version < 6)])) { }
        // As the previous version left them: an error kept after the recovery, and a source failing from the start.
        var t0 = T0.ToUnixTimeMilliseconds();
        db.Execute($"""
            INSERT INTO sync_state (source, last_attempt_at, last_success_at, last_error, last_error_at)
            VALUES ('recovered', {t0}, {t0}, 'HTTP 500', {t0 - 300_000}), ('failing', {t0}, NULL, 'HTTP 401', {t0})
            """);

        using var store = await db.OpenAsync();

        var states = (await store.GetSyncStatesAsync(None)).ToDictionary(s => s.Source);
        Assert.Equal(("ok", (string?)null), (states["recovered"].Status, states["recovered"].LastError));
        Assert.Equal(Enum.GetValues<ObjectKind>().Select(k => KeyValuePair.Create(k, new KindState(T0, null, null))),
            states["recovered"].Kinds.OrderBy(k => k.Key));
        Assert.Equal(("failed", "HTTP 401"), (states["failing"].Status, states["failing"].LastError));
        Assert.Empty(states["failing"].Kinds);
    }
}
