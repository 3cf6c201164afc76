using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Tests.Postgres;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Stored audits (crmpulse audit, /api/audits) and the per-user rows an audit reads by pass, on both stores.</summary>
public abstract class AuditStoreTests(StoreKind kind) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateOnly March1 = new(2025, 3, 1);
    private static readonly DateOnly March31 = new(2025, 3, 31);
    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Audits_are_stored_listed_newest_first_without_json_and_read_back_whole()
    {
        using var store = await _db.OpenAsync();
        // An offset and sub-millisecond ticks: the creation time is kept in UTC milliseconds.
        var created = new DateTimeOffset(2025, 4, 1, 8, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var json = """{"period":{"from":"2025-03-01"},"text":"Zoë \u2603 \"quoted\""}""";

        var first = await store.AddAuditAsync("acme", March1, March31, created, json, None);
        var second = await store.AddAuditAsync(null, new DateOnly(2024, 12, 30), new DateOnly(2025, 1, 5), created.AddDays(1), "{}", None);
        var third = await store.AddAuditAsync("acme", March1, March1, created.AddDays(2), """{"n":3}""", None);

        Assert.True(first < second && second < third);
        var listed = await store.AuditsAsync(10, None);
        Assert.Equal([third, second, first], listed.Select(a => a.Id));
        Assert.All(listed, a => Assert.Null(a.Json));
        Assert.Equal([third, second], (await store.AuditsAsync(2, None)).Select(a => a.Id));
        Assert.Equal(new StoredAudit(second, null, new DateOnly(2024, 12, 30), new DateOnly(2025, 1, 5),
            new DateTimeOffset(2025, 4, 2, 6, 30, 15, 123, TimeSpan.Zero), null), listed[1]);

        var back = await store.AuditAsync(first, None);
        Assert.Equal(new StoredAudit(first, "acme", March1, March31, new DateTimeOffset(2025, 4, 1, 6, 30, 15, 123, TimeSpan.Zero), json), back);
        Assert.Null(await store.AuditAsync(third + 1, None));
    }

    [Fact]
    public async Task The_last_audit_is_the_newest_of_the_same_source_and_every_source_is_a_source_of_its_own()
    {
        using var store = await _db.OpenAsync();
        Assert.Null(await store.LastAuditAsync("acme", None));
        Assert.Null(await store.LastAuditAsync(null, None));

        var acme1 = await store.AddAuditAsync("acme", March1, March31, T0, """{"n":1}""", None);
        var all1 = await store.AddAuditAsync(null, March1, March31, T0, """{"n":2}""", None);
        var acme2 = await store.AddAuditAsync("acme", March1, March31, T0, """{"n":3}""", None);
        await store.AddAuditAsync("other", March1, March31, T0, """{"n":4}""", None);

        Assert.Equal((acme2, "acme", """{"n":3}"""), Summary(await store.LastAuditAsync("acme", None)));
        Assert.Equal((all1, null, """{"n":2}"""), Summary(await store.LastAuditAsync(null, None)));
        Assert.Null(await store.LastAuditAsync("Acme", None)); // sources are compared byte-wise
        Assert.NotEqual(acme1, acme2);
        Assert.Equal("", _db.Scalar($"SELECT source FROM audits WHERE id = {all1}")); // every source is stored as ''
    }

    [Fact]
    public async Task Users_at_or_before_a_time_are_the_rows_of_the_last_pass_not_after_it()
    {
        using var store = await _db.OpenAsync();
        var t1 = T0.AddDays(1);
        var t2 = T0.AddDays(2);
        var lastLogin = new DateTimeOffset(2025, 3, 9, 17, 45, 1, 999, TimeSpan.FromHours(-4));
        await store.AppendAsync([], [Row("a", "u2", T0, 1), Row("a", "u1", T0, 2, lastLogin, "u1@example.com"), Row("b", "u9", T0, 9)], None);
        await store.AppendAsync([], [Row("a", "u1", t2, 5)], None);
        await store.AppendAsync([], [Row("a", "u1", t1, 3), Row("a", "u3", t1, 4)], None); // a backfill step, appended later
        await store.AppendAsync([], [Row("a", "u1", t1, 7)], None); // a re-run of t1: the later pass wins

        Assert.Null(await store.UsersAtOrBeforeAsync("a", T0.AddMilliseconds(-1), None));
        Assert.Null(await store.UsersAtOrBeforeAsync("c", t2, None));

        var atT0 = (await store.UsersAtOrBeforeAsync("a", T0, None))!.Value;
        Assert.Equal(T0, atT0.AsOf);
        Assert.Equal([Row("a", "u1", T0, 2, lastLogin, "u1@example.com"), Row("a", "u2", T0, 1)], atT0.Rows);
        Assert.True(atT0.Rows[0].LastLogin!.Value.EqualsExact(lastLogin.ToUniversalTime()));

        var beforeT2 = (await store.UsersAtOrBeforeAsync("a", t2.AddMilliseconds(-1), None))!.Value;
        Assert.Equal(t1, beforeT2.AsOf);
        Assert.Equal(["u1:7"], beforeT2.Rows.Select(r => $"{r.UserId}:{r.Logins7d}"));

        var atT2 = (await store.UsersAtOrBeforeAsync("a", t2.AddDays(30), None))!.Value;
        Assert.Equal(t2, atT2.AsOf);
        Assert.Equal(["u1:5"], atT2.Rows.Select(r => $"{r.UserId}:{r.Logins7d}"));
        Assert.Equal(["b/u9:9"], (await store.UsersAtOrBeforeAsync("b", t2, None))!.Value.Rows.Select(r => $"{r.Source}/{r.UserId}:{r.Logins7d}"));
    }

    private static UserAdoptionRow Row(string source, string user, DateTimeOffset asOf, int logins7d, DateTimeOffset? lastLogin = null,
        string? email = null) =>
        new(source, user, $"Name {user}", email, "Sales", lastLogin, logins7d, logins7d * 4, 2, 9, "active", asOf);

    private static (long, string?, string?) Summary(StoredAudit? audit) => (audit!.Id, audit.Source, audit.Json);
}

public sealed class AuditStoreTestsOnSqlite() : AuditStoreTests(StoreKind.Sqlite);

public sealed class AuditStoreTestsOnPostgreSql() : AuditStoreTests(StoreKind.PostgreSql);
