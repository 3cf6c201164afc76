using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

public abstract class IssueStoreTests(StoreKind kind) : IDisposable
{
    private static readonly string[] DqKinds = ["stale_records", "unowned_records", "invalid_emails"];

    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    private static RecordIssue Issue(string kpi, string obj, string id, string? owner = null, string team = KpiOptions.NoTeam,
        string? field = null, string? detail = null) => new(kpi, obj, id, owner, team, field, detail);

    private static IssueQuery Query(string? source = null, string? obj = null, string? kpi = null, string? owner = null,
        string? team = null, int offset = 0, int limit = 100, IReadOnlyCollection<string>? kinds = null) =>
        new(kinds ?? DqKinds, source, obj, kpi, owner, team, offset, limit);

    private static List<string> Ids(IssuePage page) => page.Items.Select(i => $"{i.Source}/{i.Issue.Kpi}/{i.Issue.RecordId}").ToList();

    [Fact]
    public async Task Stored_issues_come_back_whole_in_listing_order()
    {
        using var store = await _db.OpenAsync();
        await store.ReplaceIssuesAsync("demo", T0, [
            Issue("unowned_records", "deal", "d2"),
            Issue("invalid_emails", "contact", "c9", "u1", "Sales", "email", "e-mail 'x@y' is not an address"),
            Issue("unowned_records", "contact", "c1"),
            Issue("stale_records", "company", "co1", "u2", "Ops", null, "last modified 2024-01-01"),
        ], CancellationToken.None);

        var page = await store.QueryIssuesAsync(Query(), CancellationToken.None);

        Assert.Equal(4, page.Total);
        // source, kpi, object, record id: invalid_emails < stale_records < unowned_records; contact < deal.
        Assert.Equal(["demo/invalid_emails/c9", "demo/stale_records/co1", "demo/unowned_records/c1", "demo/unowned_records/d2"], Ids(page));
        Assert.Equal(new StoredIssue("demo", T0, Issue("invalid_emails", "contact", "c9", "u1", "Sales", "email", "e-mail 'x@y' is not an address")),
            page.Items[0]);
        Assert.Null(page.Items[1].Issue.Field); // no field is stored as '' and read back as null
    }

    [Fact]
    public async Task A_detail_held_as_a_code_is_stored_as_its_arguments_and_read_back_as_the_same_text()
    {
        using var store = await _db.OpenAsync();
        var due = new DateTimeOffset(2026, 3, 9, 8, 30, 5, TimeSpan.Zero);
        await store.ReplaceIssuesAsync("demo", T0, [
            new RecordIssue("invalid_emails", "contact", "c1", "u1", "Sales", "email", new IssueText(IssueCode.InvalidEmail, "jane@")),
            new RecordIssue("stale_records", "contact", "c2", null, KpiOptions.NoTeam, null,
                new IssueText(IssueCode.AgingInStage, "sales", "qualified", due.UtcTicks, 1, 40.5, 1.0 / 3)),
            Issue("unowned_records", "contact", "c3", detail: "no owner"),
        ], CancellationToken.None);

        // Stored compact: no text, the code and its arguments (the double exactly).
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM issues WHERE detail IS NULL AND detail_code = 1 AND arg_a = 'jane@'"));
        Assert.Equal(1.0 / 3, _db.Scalar("SELECT arg_y FROM issues WHERE record_id = 'c2'"));
        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM issues WHERE detail = 'no owner' AND detail_code IS NULL"));

        var page = await store.QueryIssuesAsync(Query(kinds: ["invalid_emails", "stale_records", "unowned_records"]), CancellationToken.None);

        Assert.Equal(["e-mail 'jane@' is not an address", "in sales/qualified since 2026-03-09T08:30:05Z: 40.5 business days, median 0.33", "no owner"],
            page.Items.Select(i => i.Issue.Detail));
        Assert.Equal(Issue("invalid_emails", "contact", "c1", "u1", "Sales", "email", "e-mail 'jane@' is not an address"), page.Items[0].Issue);
    }

    [Fact]
    public async Task A_funnel_stage_from_the_current_lifecycle_stage_is_stored_as_code_15_and_read_back_as_its_text()
    {
        using var store = await _db.OpenAsync();
        await store.ReplaceIssuesAsync("demo", T0, [
            new RecordIssue("funnel_stage_records", "contact", "c1", "u1", "Sales", "sql", new IssueText(IssueCode.FunnelCurrentStage, "customer", "unknown")),
        ], CancellationToken.None);

        Assert.Equal(1L, _db.Scalar("SELECT COUNT(*) FROM issues WHERE detail IS NULL AND detail_code = 15 AND arg_a = 'customer' AND arg_b = 'unknown'"));
        var page = await store.QueryIssuesAsync(Query(kinds: ["funnel_stage_records"]), CancellationToken.None);
        Assert.Equal("current lifecycle stage customer, lead source unknown", Assert.Single(page.Items).Issue.Detail);
    }

    /// <summary>One hand-written row per code (kpi "k", record "r01"…"r15" in code order) and its text.</summary>
    private static readonly (IssueText Text, string Expected)[] EveryCode =
    [
        (new(IssueCode.InvalidEmail, "jane@"), "e-mail 'jane@' is not an address"),
        (new(IssueCode.InvalidPhone, "12 ab"), "phone '12 ab' is not a number"),
        (new(IssueCode.Unreachable, null, "x"), "no valid e-mail (null) and no valid phone ('x')"),
        (new(IssueCode.ParentMissing, "co-gone"), "parent company 'co-gone' does not exist"),
        (new(IssueCode.OverdueTask, M: Ticks(2026, 3, 9, 8, 30, 5), N: Ticks(2026, 3, 10, 12, 0, 0)), "due 2026-03-09T08:30:05Z, open at 2026-03-10T12:00:00Z"),
        (new(IssueCode.TaskWithoutDueDate, M: Ticks(2026, 3, 9, 8, 30, 5)), "open task created 2026-03-09T08:30:05Z has no due date"),
        (new(IssueCode.TaskWithoutOwner, M: Ticks(2026, 3, 9, 8, 30, 5)), "open task created 2026-03-09T08:30:05Z has no owner"),
        (new(IssueCode.PastCloseDate, M: new DateOnly(2026, 2, 28).DayNumber, N: new DateOnly(2026, 3, 10).DayNumber), "close date 2026-02-28 is before 2026-03-10"),
        (new(IssueCode.StalledSinceActivity, "days", M: Ticks(2026, 3, 9, 8, 30, 5), N: Ticks(2026, 3, 10, 12, 0, 0), X: 1.1458),
            "last activity 2026-03-09T08:30:05Z, 1.15 days before 2026-03-10T12:00:00Z"),
        (new(IssueCode.StalledSinceCreated, "business days", M: Ticks(2026, 3, 9, 8, 30, 5), N: Ticks(2026, 3, 10, 12, 0, 0), X: 31),
            "no activity since created 2026-03-09T08:30:05Z, 31 business days before 2026-03-10T12:00:00Z"),
        (new(IssueCode.LostWithoutReason, M: Ticks(2026, 3, 9, 8, 30, 5)), "lost 2026-03-09T08:30:05Z with no reason"),
        (new(IssueCode.AgingInStage, "sales", "qualified", Ticks(2026, 3, 9, 8, 30, 5), 1, 7, 1.0 / 3),
            "in sales/qualified since 2026-03-09T08:30:05Z: 7 business days, median 0.33"),
        (new(IssueCode.RfmScores, "R1 F1 M2", "90", Ticks(2026, 3, 9, 0, 0, 0), 40, 0, 12345.675),
            "R1 F1 M2: last won deal or activity 2026-03-09 (40 days ago), 0 deals and activities and 12345.68 won in the trailing 90 days"),
        (new(IssueCode.FunnelStage, "sql", "Web", Ticks(2026, 3, 9, 8, 30, 5)), "sql since 2026-03-09, lead source Web"),
        (new(IssueCode.FunnelCurrentStage, null, "unknown"), "current lifecycle stage , lead source unknown"),
    ];

    private static long Ticks(int y, int mo, int d, int h, int mi, int s) => new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).UtcTicks;

    [Fact]
    public async Task A_passs_rows_round_trip_with_every_code_text_and_empty_part()
    {
        using var store = await _db.OpenAsync();
        var rows = new IssueBuffer();
        for (var i = 0; i < EveryCode.Length; i++)
        {
            var t = EveryCode[i].Text;
            rows.Add("k", "deal", $"r{i + 1:00}", i % 2 == 0 ? "u1" : null, i % 2 == 0 ? "Sales" : KpiOptions.NoTeam, i % 3 == 0 ? null : "f",
                t.Code, t.A, t.B, t.M, t.N, t.X, t.Y);
        }
        rows.Add("k", "deal", "r16", null, KpiOptions.NoTeam, "owner", "no owner");
        rows.Add("k", "deal", "r17", "u2", "Ops", null, (string?)null);
        rows.Add("k", "deal", "r16", null, KpiOptions.NoTeam, "owner", "repeated: stored once");
        var shared = new IssueText(IssueCode.FunnelCurrentStage, "customer", "Ads");
        rows.AddShared("k", "deal", "r18", null, KpiOptions.NoTeam, "sql", shared);
        rows.AddShared("k", "deal", "r19", "u2", "Ops", "sql", shared);

        await store.ReplaceIssuesAsync("demo", T0, rows, CancellationToken.None);

        // Stored as codes and arguments, not texts.
        Assert.Equal(EveryCode.Length + 2L, _db.Scalar("SELECT COUNT(*) FROM issues WHERE detail IS NULL AND detail_code IS NOT NULL"));
        Assert.Equal(2L, _db.Scalar("SELECT COUNT(*) FROM issues WHERE detail_code = 15 AND arg_a = 'customer' AND arg_b = 'Ads'"));
        Assert.Equal(1.0 / 3, _db.Scalar("SELECT arg_y FROM issues WHERE record_id = 'r12'"));
        var page = await store.QueryIssuesAsync(Query(kinds: ["k"], limit: 100), CancellationToken.None);
        Assert.Equal(19, page.Total);
        Assert.Equal([.. EveryCode.Select(c => c.Expected), "no owner", null, "current lifecycle stage customer, lead source Ads",
            "current lifecycle stage customer, lead source Ads"], page.Items.Select(i => i.Issue.Detail));
        Assert.Equal(rows.Take(17).Concat(rows.Skip(18)), page.Items.Select(i => i.Issue));
        Assert.Equal(new RecordIssue("k", "deal", "r01", "u1", "Sales", null, "e-mail 'jane@' is not an address"), page.Items[0].Issue);
        Assert.Equal(new RecordIssue("k", "deal", "r02", null, KpiOptions.NoTeam, "f", "phone '12 ab' is not a number"), page.Items[1].Issue);
        Assert.All(page.Items, i => Assert.Equal(("demo", T0), (i.Source, i.ComputedAt)));
    }

    [Fact]
    public async Task A_bad_row_fails_the_whole_replacement_and_names_it()
    {
        using var store = await _db.OpenAsync();
        var rows = new IssueBuffer();
        rows.Add("unowned_records", "contact", "c1", null, KpiOptions.NoTeam, null, "no owner");
        rows.Add("unowned_records", "contact", "", null, KpiOptions.NoTeam, null, "no owner");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.ReplaceIssuesAsync("a", T0, rows, CancellationToken.None));

        Assert.StartsWith("Issue #2 of source 'a' (kpi 'unowned_records', object 'contact', record '') lacks", e.Message);
        Assert.Equal(0, (await store.QueryIssuesAsync(Query(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Replacing_swaps_one_sources_list_and_leaves_the_others()
    {
        using var store = await _db.OpenAsync();
        await store.ReplaceIssuesAsync("a", T0, [Issue("unowned_records", "contact", "c1"), Issue("unowned_records", "contact", "c2")], CancellationToken.None);
        await store.ReplaceIssuesAsync("b", T0, [Issue("unowned_records", "contact", "c1")], CancellationToken.None);

        await store.ReplaceIssuesAsync("a", T0.AddHours(1), [Issue("stale_records", "deal", "d1")], CancellationToken.None);

        var page = await store.QueryIssuesAsync(Query(), CancellationToken.None);
        Assert.Equal(["a/stale_records/d1", "b/unowned_records/c1"], Ids(page));
        Assert.Equal([T0.AddHours(1), T0], page.Items.Select(i => i.ComputedAt));

        await store.ReplaceIssuesAsync("a", T0.AddHours(2), [], CancellationToken.None);
        Assert.Equal(["b/unowned_records/c1"], Ids(await store.QueryIssuesAsync(Query(), CancellationToken.None)));
    }

    [Fact]
    public async Task A_bad_issue_fails_the_whole_replacement_and_names_it()
    {
        using var store = await _db.OpenAsync();
        await store.ReplaceIssuesAsync("a", T0, [Issue("unowned_records", "contact", "c1")], CancellationToken.None);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.ReplaceIssuesAsync("a", T0,
            [Issue("unowned_records", "contact", "c2"), Issue("unowned_records", "contact", "")], CancellationToken.None));

        Assert.StartsWith("Issue #2 of source 'a' (kpi 'unowned_records', object 'contact', record '') lacks", e.Message);
        Assert.Equal(["a/unowned_records/c1"], Ids(await store.QueryIssuesAsync(Query(), CancellationToken.None)));
    }

    [Fact]
    public async Task A_repeated_issue_is_stored_once()
    {
        using var store = await _db.OpenAsync();
        await store.ReplaceIssuesAsync("a", T0, [Issue("unowned_records", "contact", "c1"), Issue("unowned_records", "contact", "c1")],
            CancellationToken.None);

        Assert.Equal(1, (await store.QueryIssuesAsync(Query(), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Filters_combine_and_the_kinds_list_limits_every_query()
    {
        using var store = await _db.OpenAsync();
        await store.ReplaceIssuesAsync("a", T0, [
            Issue("unowned_records", "contact", "c1"),
            Issue("stale_records", "contact", "c2", "u1", "Sales"),
            Issue("stale_records", "deal", "d1", "u2", "Ops"),
            Issue("overdue_open_tasks", "task", "t1", "u1", "Sales"), // a pipeline kind: not in DqKinds
        ], CancellationToken.None);
        await store.ReplaceIssuesAsync("b", T0, [Issue("stale_records", "contact", "c2", "u1", "Sales")], CancellationToken.None);

        async Task<List<string>> Run(IssueQuery q) => Ids(await store.QueryIssuesAsync(q, CancellationToken.None));

        Assert.Equal(["a/stale_records/c2", "a/stale_records/d1", "a/unowned_records/c1"], await Run(Query(source: "a")));
        Assert.Equal(["a/stale_records/c2", "b/stale_records/c2"], await Run(Query(obj: "contact", kpi: "stale_records")));
        Assert.Equal(["a/stale_records/c2", "b/stale_records/c2"], await Run(Query(owner: "u1")));
        Assert.Equal(["a/stale_records/d1"], await Run(Query(team: "Ops")));
        Assert.Equal(["a/unowned_records/c1"], await Run(Query(team: KpiOptions.NoTeam)));
        Assert.Equal(["a/overdue_open_tasks/t1"], await Run(Query(kinds: ["overdue_open_tasks"])));
        Assert.Empty(await Run(Query(kpi: "overdue_open_tasks")));   // a kind outside the list matches nothing
        Assert.Empty(await Run(Query(kinds: [])));                   // no kinds, no issues
        Assert.Equal(0, (await store.QueryIssuesAsync(Query(source: "zzz"), CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Pages_split_the_ordered_list_and_the_total_counts_every_match()
    {
        // 250 issues c000..c249; pages of 100: 100, 100, 50, then none.
        using var store = await _db.OpenAsync();
        var issues = Enumerable.Range(0, 250).Select(i => Issue("unowned_records", "contact", $"c{i:000}")).ToList();
        await store.ReplaceIssuesAsync("a", T0, issues, CancellationToken.None);

        var pages = new List<IssuePage>();
        for (var offset = 0; offset <= 300; offset += 100) pages.Add(await store.QueryIssuesAsync(Query(offset: offset), CancellationToken.None));

        Assert.All(pages, p => Assert.Equal(250, p.Total));
        Assert.Equal([100, 100, 50, 0], pages.Select(p => p.Items.Count));
        Assert.Equal(issues.Select(i => i.RecordId), pages.SelectMany(p => p.Items).Select(i => i.Issue.RecordId));
        Assert.Equal("c100", pages[1].Items[0].Issue.RecordId);
    }

    [Fact]
    public async Task Issues_survive_reopening()
    {
        using (var store = await _db.OpenAsync())
        {
            await store.ReplaceIssuesAsync("a", T0, [Issue("unowned_records", "contact", "c1")], CancellationToken.None);
        }
        using (var store = await _db.OpenAsync())
        {
            Assert.Equal(1, (await store.QueryIssuesAsync(Query(), CancellationToken.None)).Total);
        }
    }
}

public sealed class IssueStoreTestsOnSqlite() : IssueStoreTests(StoreKind.Sqlite);

public sealed class IssueStoreTestsOnPostgreSql() : IssueStoreTests(StoreKind.PostgreSql);
