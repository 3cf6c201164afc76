using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>
/// A KPI pass is one transaction (samples, per-user rows, issues, latest values), and the latest values are exactly
/// what the latest pass of each producer stored, with the previous period's sample looked up in the whole ledger.
/// </summary>
public abstract class KpiPassTests(StoreKind kind) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Dimensions Contact = Dimensions.Of(("object", "contact"));
    private static readonly Dimensions Sales = Dimensions.Of(("team", "Sales"));
    private static readonly Dimensions Support = Dimensions.Of(("team", "Support"));
    internal static readonly DateTimeOffset T1 = T0.AddDays(1);
    internal static readonly DateTimeOffset T2 = T0.AddDays(2);

    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    private static KpiSample S(string kpi, Dimensions dims, double value, DateTimeOffset time, string source = "a") =>
        new(kpi, source, dims, value, time);

    private static RecordIssue Invalid(string id) => new("invalid_emails", "contact", id, "u1", "Sales", "email", "no domain");

    private static UserAdoptionRow User(string id, DateTimeOffset asOf) =>
        new("a", id, $"User {id}", null, "Sales", null, 0, 0, 0, 0, "never", asOf);

    /// <summary>A pass as the engine gives it: invalid_emails counts exactly its issues.</summary>
    private static KpiResult Pass(DateTimeOffset asOf, double salesWau, params string[] invalid) => new(
        [S("invalid_emails", Contact, invalid.Length, asOf), S("weekly_active_ratio", Sales, salesWau, asOf),
         S("weekly_active_ratio", Dimensions.None, salesWau / 2, asOf)],
        [User("u1", asOf)],
        invalid.Select(Invalid).ToList());

    private static string Text(StoredLatest v) =>
        $"{v.Producer}|{v.Sample.Kpi}/{v.Sample.Dimensions.Key}={v.Sample.Value}@{v.Sample.Time:dd HH:mm}" +
        (v.Previous is { } p ? $" prev {p.Value}@{p.Time:dd HH:mm}" : "");

    internal static async Task<List<string>> LatestAsync(ICrmStore store) =>
        (await store.LatestValuesAsync(None)).Values.Select(Text).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> IssueIdsAsync(ICrmStore store) =>
        (await store.QueryIssuesAsync(new IssueQuery(["invalid_emails"], Limit: 1000), None)).Items.Select(i => i.Issue.RecordId).ToList();

    [Fact]
    public async Task A_pass_stores_its_samples_users_issues_and_latest_values_together()
    {
        using var store = await _db.OpenAsync();

        await store.CommitPassAsync("a", T0, Pass(T0, 0.5, "c1", "c2"), None);

        Assert.Equal(
        [
            "a|invalid_emails/object=contact=2@10 09:00",
            "a|weekly_active_ratio/=0.25@10 09:00",
            "a|weekly_active_ratio/team=Sales=0.5@10 09:00",
        ], await LatestAsync(store));
        Assert.Equal(["c1", "c2"], await IssueIdsAsync(store));
        Assert.Equal(["u1"], (await store.LatestUsersAsync("a", None)).Select(u => u.UserId));
        Assert.Equal(3L, _db.Scalar("SELECT COUNT(*) FROM samples"));
    }

    [Fact]
    public async Task A_failure_in_the_middle_of_a_pass_leaves_the_previous_pass_whole()
    {
        using var store = await _db.OpenAsync();
        await store.CommitPassAsync("a", T0, Pass(T0, 0.5, "c1", "c2"), None);
        var before = await LatestAsync(store);
        // A real failure half-way through the write: the samples and users are in, the issues are being inserted.
        _db.FailInsertingIssue("c9");

        var e = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.CommitPassAsync("a", T1, Pass(T1, 1.0, "c1", "c2", "c9"), None));

        Assert.Contains("injected failure", e.Message);
        Assert.Equal(before, await LatestAsync(store)); // invalid_emails 2, with its 2 issues
        Assert.Equal(["c1", "c2"], await IssueIdsAsync(store));
        Assert.Equal(3L, _db.Scalar("SELECT COUNT(*) FROM samples"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM user_passes"));
        Assert.Equal(0.5, (await store.LatestAsync("a", None)).Single(s => s.Dimensions.Equals(Sales)).Value);
        Assert.Null(store.WriteFailure); // a refused statement is not a failing store
    }

    [Fact]
    public async Task The_latest_values_are_the_latest_pass_only_a_series_it_no_longer_produces_is_gone()
    {
        using var store = await _db.OpenAsync();
        await store.CommitPassAsync("a", T0, new KpiResult(
            [S("weekly_active_ratio", Sales, 0.5, T0), S("weekly_active_ratio", Support, 0.6, T0)], [], []), None);

        // Support lost its last user: the next pass has no Support series.
        await store.CommitPassAsync("a", T1, new KpiResult([S("weekly_active_ratio", Sales, 0.7, T1)], [], []), None);

        Assert.Equal(["a|weekly_active_ratio/team=Sales=0.7@11 09:00"], await LatestAsync(store));
        Assert.Equal(0.6, (await store.SeriesAsync("weekly_active_ratio", "a", T0, T1, None)).Single(s => s.Dimensions.Equals(Support)).Value);
    }

    [Fact]
    public async Task A_backfill_is_never_latest_but_gives_the_previous_period()
    {
        using var store = await _db.OpenAsync();
        // First run: the backfill lands before the first pass.
        await store.AppendBackfillStepAsync("a", T0.AddDays(-7), [S("weekly_active_ratio", Sales, 0.2, T0.AddDays(-7))], [], T0, None);
        await store.AppendBackfillStepAsync("a", T0.AddDays(-6), [S("weekly_active_ratio", Sales, 0.3, T0.AddDays(-6))], [], T0, None);
        Assert.Empty(await LatestAsync(store));

        await store.CommitPassAsync("a", T0, new KpiResult([S("weekly_active_ratio", Sales, 0.5, T0), S("licensed_users", Sales, 4, T0)], [], []), None);

        // weekly_active_ratio's period is 7 days: the sample at or before T0 − 7 d is the first step. licensed_users'
        // period is 1 day: nothing at or before T0 − 1 d.
        Assert.Equal(
        [
            "a|licensed_users/team=Sales=4@10 09:00",
            "a|weekly_active_ratio/team=Sales=0.5@10 09:00 prev 0.2@03 09:00",
        ], await LatestAsync(store));
    }

    [Fact]
    public async Task The_previous_value_is_the_last_sample_at_or_before_one_period_earlier_the_later_append_on_a_tie()
    {
        using var store = await _db.OpenAsync();
        await store.AppendAsync([S("licensed_users", Sales, 3, T0.AddHours(-1)), S("licensed_users", Sales, 4, T0)], [], None);
        await store.AppendAsync([S("licensed_users", Sales, 5, T0)], [], None); // same time, appended later
        await store.AppendAsync([S("licensed_users", Sales, 6, T0.AddMinutes(1))], [], None); // after T1 − 1 d

        await store.CommitPassAsync("a", T1, new KpiResult([S("licensed_users", Sales, 7, T1)], [], []), None);

        Assert.Equal(["a|licensed_users/team=Sales=7@11 09:00 prev 5@10 09:00"], await LatestAsync(store));
    }

    [Fact]
    public async Task Each_producer_replaces_only_its_own_latest_values()
    {
        using var store = await _db.OpenAsync();
        var api = Dimensions.Of(("integration", "crm_api"));
        var billing = Dimensions.Of(("integration", "billing"));
        var shop = Dimensions.Of(("integration", "shop"));

        await store.CommitPassAsync("a", T0, new KpiResult([S("licensed_users", Sales, 4, T0)], [], []), None);
        await store.CommitProducedAsync(Producers.CrmApi("a"), [S("crm_api_error_ratio", api, 0.1, T0)], None);
        await store.CommitProducedAsync(Producers.Probe("billing"), [S("probe_up", billing, 1, T0, "probes")], None);
        await store.CommitProducedAsync(Producers.Probe("shop"), [S("probe_up", shop, 1, T0, "probes")], None);
        // A later sync, probe and pass each replace their own group only.
        await store.CommitProducedAsync(Producers.CrmApi("a"), [S("crm_api_error_ratio", api, 0.2, T1)], None);
        await store.CommitProducedAsync(Producers.Probe("billing"), [S("probe_up", billing, 0, T1, "probes")], None);
        await store.CommitPassAsync("a", T2, new KpiResult([S("licensed_users", Sales, 5, T2)], [], []), None);

        Assert.Equal(
        [
            "a:crm_api|crm_api_error_ratio/integration=crm_api=0.2@11 09:00 prev 0.1@10 09:00",
            "a|licensed_users/team=Sales=5@12 09:00 prev 4@10 09:00",
            "probes:billing|probe_up/integration=billing=0@11 09:00 prev 1@10 09:00",
            "probes:shop|probe_up/integration=shop=1@10 09:00",
        ], await LatestAsync(store));
    }

    [Fact]
    public async Task Every_append_moves_the_ledger_version_on_and_reads_do_not()
    {
        using var store = await _db.OpenAsync();
        var v0 = await store.LedgerVersionAsync(None);

        await store.CommitPassAsync("a", T0, Pass(T0, 0.5), None);
        var v1 = await store.LedgerVersionAsync(None);
        await store.AppendBackfillStepAsync("a", T0.AddDays(-1), [S("licensed_users", Sales, 1, T0.AddDays(-1))], [], T0, None);
        var v2 = await store.LedgerVersionAsync(None);
        await store.CommitProducedAsync(Producers.Probe("x"), [S("probe_up", Dimensions.Of(("integration", "x")), 1, T0, "probes")], None);
        var v3 = await store.LedgerVersionAsync(None);
        await store.LatestValuesAsync(None);
        await store.ReplaceIssuesAsync("a", T0, [], None); // not the ledger

        Assert.True(v0 < v1 && v1 < v2 && v2 < v3, $"{v0} {v1} {v2} {v3}");
        Assert.Equal(v3, await store.LedgerVersionAsync(None));
        Assert.Equal(v3, (await store.LatestValuesAsync(None)).Version);
    }

    [Fact]
    public async Task A_pass_with_a_sample_of_another_source_is_refused_before_anything_is_written()
    {
        using var store = await _db.OpenAsync();

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.CommitPassAsync("a", T0, new KpiResult([S("licensed_users", Sales, 1, T0, source: "b")], [], []), None));

        Assert.Contains("source 'b'", e.Message);
        Assert.Equal(0L, _db.Scalar("SELECT COUNT(*) FROM samples"));
    }

    [Fact]
    public async Task Several_series_are_read_in_one_query_each_only_in_its_range()
    {
        using var store = await _db.OpenAsync();
        await store.AppendAsync(
        [
            S("weekly_active_ratio", Sales, 0.1, T0), S("weekly_active_ratio", Support, 0.2, T0), S("weekly_active_ratio", Sales, 0.3, T1),
            S("licensed_users", Sales, 4, T1), S("licensed_users", Sales, 5, T2), S("weekly_active_ratio", Sales, 0.9, T1, source: "b"),
        ], [], None);

        var samples = await store.SeriesAsync(
            [new SeriesKey("weekly_active_ratio", "a", Sales), new SeriesKey("licensed_users", "a", Sales), new SeriesKey("licensed_users", "a", Sales)],
            T0, T1, None);

        Assert.Equal(["licensed_users/team=Sales=4", "weekly_active_ratio/team=Sales=0.1", "weekly_active_ratio/team=Sales=0.3"],
            samples.Select(s => $"{s.Kpi}/{s.Dimensions.Key}={s.Value}"));
    }
}

public sealed class KpiPassTestsOnSqlite() : KpiPassTests(StoreKind.Sqlite);

public sealed class KpiPassTestsOnPostgreSql() : KpiPassTests(StoreKind.PostgreSql);

/// <summary>SQLite's own upgrade path (a PostgreSQL store starts at the consolidated schema).</summary>
public sealed class KpiPassUpgradeTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Upgrading_a_ledger_makes_each_producers_newest_group_the_latest_values()
    {
        using (await _db.OpenAsync(Migrations.All.Where(m => m.Version <= 4).ToList())) { }
        // What the code before version 5 wrote: samples, series_latest (the newest per series), backfill steps.
        void Sample(string kpi, string source, string dims, double value, DateTimeOffset time) => _db.Execute($"""
            INSERT INTO samples (kpi, source, dims, value, time_ms) VALUES ('{kpi}', '{source}', '{dims}', {value}, {time.ToUnixTimeMilliseconds()});
            INSERT INTO series_latest (kpi, source, dims, seq, time_ms) VALUES ('{kpi}', '{source}', '{dims}', last_insert_rowid(), {time.ToUnixTimeMilliseconds()})
            ON CONFLICT (kpi, source, dims) DO UPDATE SET seq = excluded.seq, time_ms = excluded.time_ms WHERE excluded.time_ms >= series_latest.time_ms
            """);
        void Backfill(string source, DateTimeOffset time) => _db.Execute(
            $"INSERT INTO backfill_steps (source, as_of_ms, samples, done_ms) VALUES ('{source}', {time.ToUnixTimeMilliseconds()}, 1, 0)");
        Sample("licensed_users", "a", "team=Sales", 1, T0.AddDays(-1));
        Backfill("a", T0.AddDays(-1));
        Sample("licensed_users", "a", "team=Sales", 3, T0);
        Sample("licensed_users", "a", "team=Support", 2, T0);
        Sample("licensed_users", "a", "team=Sales", 4, KpiPassTests.T1); // Support gone in the newest pass
        Sample("crm_api_error_ratio", "a", "integration=crm_api", 0.1, KpiPassTests.T2); // a sync after the pass
        Sample("probe_up", "probes", "integration=billing", 1, KpiPassTests.T1);
        // A source whose only samples are a backfill's: nothing of it is presented as current.
        Sample("licensed_users", "b", "team=Sales", 9, T0);
        Backfill("b", T0);

        using var store = await _db.OpenAsync();

        // The seeded rows have no previous period yet (the periods are the catalog's): the next pass gives them one.
        Assert.Equal(
        [
            "a:crm_api|crm_api_error_ratio/integration=crm_api=0.1@12 09:00",
            "a|licensed_users/team=Sales=4@11 09:00",
            "probes:billing|probe_up/integration=billing=1@11 09:00",
        ], await KpiPassTests.LatestAsync(store));
    }
}
