using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Kpis;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Per-user adoption rows: the rows of the newest pass of each source.</summary>
public abstract class LedgerUserTests(StoreKind kind) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T1 = T0.AddDays(1);
    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    private static UserAdoptionRow Row(string source, string user, DateTimeOffset asOf, int logins7d = 1, DateTimeOffset? lastLogin = null,
        string? email = null, string status = "active") =>
        new(source, user, $"Name {user}", email, "Sales", lastLogin, logins7d, logins7d * 4, 2, 9, status, asOf);

    private static string Text(UserAdoptionRow r) => $"{r.Source}/{r.UserId}:{r.Logins7d}@{r.AsOf:MM-dd}";

    [Fact]
    public async Task Latest_users_are_the_rows_of_the_newest_pass_of_each_source()
    {
        using var store = await _db.OpenAsync();
        await store.AppendAsync([], [Row("a", "u2", T0), Row("a", "u1", T0), Row("b", "u9", T0)], None);
        await store.AppendAsync([], [Row("a", "u1", T1, logins7d: 5)], None); // u2 gone from a's newest pass

        Assert.Equal(["a/u1:5@03-11", "b/u9:1@03-10"], (await store.LatestUsersAsync(null, None)).Select(Text));
        Assert.Equal(["a/u1:5@03-11"], (await store.LatestUsersAsync("a", None)).Select(Text));
        Assert.Equal(["b/u9:1@03-10"], (await store.LatestUsersAsync("b", None)).Select(Text));
        Assert.Empty(await store.LatestUsersAsync("c", None));
    }

    [Fact]
    public async Task An_older_pass_appended_later_does_not_replace_the_newest_but_an_equal_as_of_does()
    {
        using var store = await _db.OpenAsync();
        await store.AppendAsync([], [Row("a", "u1", T1)], None);

        await store.AppendAsync([], [Row("a", "u1", T0, logins7d: 3), Row("a", "u2", T0)], None); // backfill
        Assert.Equal(["a/u1:1@03-11"], (await store.LatestUsersAsync("a", None)).Select(Text));

        await store.AppendAsync([], [Row("a", "u1", T1, logins7d: 7)], None); // a re-run of the same as-of
        Assert.Equal(["a/u1:7@03-11"], (await store.LatestUsersAsync("a", None)).Select(Text));
    }

    [Fact]
    public async Task Every_field_of_a_row_round_trips_and_times_are_utc_milliseconds()
    {
        using var store = await _db.OpenAsync();
        var asOf = new DateTimeOffset(2025, 3, 10, 9, 0, 0, 250, TimeSpan.FromHours(1));
        var lastLogin = new DateTimeOffset(2025, 3, 9, 17, 45, 1, 999, TimeSpan.FromHours(-4));
        var full = new UserAdoptionRow("a", "u1", "Zoë Ångström", "zoe@example.com", "Sales, EMEA", lastLogin, 3, 12, 7, 31, "active", asOf);
        var never = new UserAdoptionRow("a", "u2", "Integration", null, "(none)", null, 0, 0, 0, 0, "excluded", asOf);

        await store.AppendAsync([], [never, full], None);

        var rows = await store.LatestUsersAsync("a", None);
        Assert.Equal([full, never], rows);
        Assert.True(rows[0].AsOf.EqualsExact(new DateTimeOffset(2025, 3, 10, 8, 0, 0, 250, TimeSpan.Zero)));
        Assert.True(rows[0].LastLogin!.Value.EqualsExact(new DateTimeOffset(2025, 3, 9, 21, 45, 1, 999, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Samples_and_users_of_one_pass_are_appended_together()
    {
        using var store = await _db.OpenAsync();

        await store.AppendAsync([new KpiSample("licensed_users", "a", Dimensions.None, 2, T0)], [Row("a", "u1", T0), Row("a", "u2", T0)], None);

        Assert.Equal(2, Assert.Single(await store.LatestAsync("a", None)).Value);
        Assert.Equal(2, (await store.LatestUsersAsync("a", None)).Count);
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM user_passes"));
    }
}

public sealed class LedgerUserTestsOnSqlite() : LedgerUserTests(StoreKind.Sqlite);

public sealed class LedgerUserTestsOnPostgreSql() : LedgerUserTests(StoreKind.PostgreSql);
