using System.Net;
using System.Text.Json;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CrmPulse.Tests.Apis;

/// <summary>/api/data-quality/issues and /api/pipeline/issues: filters, paging, errors, the API key.</summary>
public sealed class IssuesApiTests : IClassFixture<IssuesApiTests.Org1Host>
{
    private const string Key = CrmPulse.Tests.Options.OptionsLoaderTests.KeyA; // made up: 64 hex digits, as configuration requires at least 32

    private readonly Org1Host _host;

    public IssuesApiTests(Org1Host host) => _host = host;

    /// <summary>The org1 File fixture with an API key, after one pass; the issues are then replaced by the test's own.</summary>
    public sealed class Org1Host : IAsyncLifetime
    {
        public FixtureFolder Folder { get; } = new("org1", TestTimes.Afternoon);

        public InProcessHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var settings = FileSourceApiTests.Org1Settings(Folder.Path);
            settings["CrmPulse:Api:ApiKeys:0"] = Key;
            Host = await InProcessHost.StartAsync(settings, TestTimes.Clock(TestTimes.Afternoon));
            // Twelve stale contacts c00..c11 (owners u1 in Sales for even numbers, none for odd ones) and one issue of
            // the first pipeline KPI, when the catalog has one.
            var issues = Enumerable.Range(0, 12).Select(i => new RecordIssue("stale_records", "contact", $"c{i:00}",
                i % 2 == 0 ? "u1" : null, i % 2 == 0 ? "Sales" : KpiOptions.NoTeam, null, "last modified long ago")).ToList();
            if (PipelineKind is { } kind) issues.Add(new RecordIssue(kind, "deal", "d1", "u2", "Sales", "close_date", "planted by the test"));
            issues.Add(new RecordIssue("unowned_records", "deal", "d9", null, KpiOptions.NoTeam, "owner", "no owner"));
            await Host.Services.GetRequiredService<CrmPulse.Storage.SqliteStore>().ReplaceIssuesAsync("files", At, issues, CancellationToken.None);
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            Folder.Dispose();
        }
    }

    private static readonly DateTimeOffset At = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static string? PipelineKind => KpiCatalog.All.FirstOrDefault(d => d.Family == KpiFamily.Pipeline)?.Id;

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, bool withKey = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (withKey) request.Headers.Add("X-Api-Key", Key);
        using var response = await _host.Host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recordId").GetString()!).ToList();

    [Theory]
    [InlineData("/api/data-quality/issues")]
    [InlineData("/api/pipeline/issues")]
    public async Task Both_endpoints_are_record_level_and_need_the_api_key(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path, withKey: false)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(path)).Status);
    }

    [Fact]
    public async Task An_item_carries_source_kind_object_record_owner_team_field_detail_time_and_link()
    {
        var (status, body) = await GetAsync("/api/data-quality/issues?kind=unowned_records");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("total").GetInt32());
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("""{"source":"files","kind":"unowned_records","object":"deal","recordId":"d9","owner":null,"team":"unassigned","field":"owner","detail":"no owner","computedAt":"2026-03-10T12:00:00+00:00","link":null}""",
            item.GetRawText());
    }

    [Fact]
    public async Task Filters_combine_and_the_total_counts_every_match()
    {
        var (_, all) = await GetAsync("/api/data-quality/issues?source=files");
        var (_, sales) = await GetAsync("/api/data-quality/issues?team=Sales&object=contact");
        var (_, owner) = await GetAsync("/api/data-quality/issues?owner=u1&kind=stale_records&source=files");
        var (_, none) = await GetAsync("/api/data-quality/issues?source=elsewhere");

        Assert.Equal(13, all.GetProperty("total").GetInt32()); // 12 stale + 1 unowned; the pipeline issue is not listed
        Assert.Equal(["c00", "c02", "c04", "c06", "c08", "c10"], Ids(sales));
        Assert.Equal(Ids(sales), Ids(owner));
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Pages_by_offset_and_limit_or_by_page_and_page_size_give_the_same_slice()
    {
        var (_, byOffset) = await GetAsync("/api/data-quality/issues?kind=stale_records&offset=5&limit=5");
        var (_, byPage) = await GetAsync("/api/data-quality/issues?kind=stale_records&page=2&pageSize=5");
        var (_, last) = await GetAsync("/api/data-quality/issues?kind=stale_records&page=3&pageSize=5");
        var (_, first) = await GetAsync("/api/data-quality/issues?kind=stale_records");

        Assert.Equal(["c05", "c06", "c07", "c08", "c09"], Ids(byOffset));
        Assert.Equal(Ids(byOffset), Ids(byPage));
        Assert.Equal((5, 5, 12), (byPage.GetProperty("offset").GetInt32(), byPage.GetProperty("limit").GetInt32(), byPage.GetProperty("total").GetInt32()));
        Assert.Equal(["c10", "c11"], Ids(last));
        Assert.Equal(100, first.GetProperty("limit").GetInt32()); // the default page size
        Assert.Equal(12, Ids(first).Count);
    }

    [Theory]
    [InlineData("limit=1001", "limit: must be between 1 and 1000, was 1001.")]
    [InlineData("limit=0", "limit: must be between 1 and 1000, was 0.")]
    [InlineData("pageSize=5000&page=1", "pageSize: must be between 1 and 1000, was 5000.")]
    [InlineData("offset=-1", "offset: must be 0 or more, was -1.")]
    [InlineData("page=0", "page: must be 1 or more, was 0.")]
    [InlineData("offset=10&page=2", "Use offset/limit or page/pageSize, not both.")]
    public async Task Bad_paging_is_a_400_naming_the_parameter(string query, string detail)
    {
        var (status, body) = await GetAsync($"/api/data-quality/issues?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_kind_is_a_400_listing_the_kinds_that_have_records_behind_them()
    {
        var (status, body) = await GetAsync("/api/data-quality/issues?kind=stalled_deals");
        var (pipelineStatus, pipelineBody) = await GetAsync("/api/pipeline/issues?kind=stale_records");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("kind: 'stalled_deals' is not a data_quality issue kind, a KPI that counts records (known: ", detail);
        // Issue kinds are the KPIs that count records; a ratio, a score or a count of something else (records,
        // duplicate_clusters, unused_custom_fields) has no records of its own.
        string[] dataQuality =
        [
            "missing_required_field", "unsegmented_records", "invalid_emails", "invalid_phones", "unreachable_contacts",
            "stale_records", "contacts_without_activity", "orphan_records", "unowned_records",
            "records_owned_by_deactivated_users", "inconsistent_picklist_values", "removable_duplicates",
        ];
        Assert.Equal(dataQuality.Order(), Known(detail).Order());
        Assert.Equal(HttpStatusCode.BadRequest, pipelineStatus);
        var pipelineDetail = pipelineBody.GetProperty("detail").GetString()!;
        Assert.StartsWith("kind: 'stale_records' is not a pipeline issue kind, a KPI that counts records (known: ", pipelineDetail);
        string[] pipeline =
        [
            "overdue_tasks", "tasks_without_due_date", "tasks_without_owner", "deals_past_close_date", "stalled_deals",
            "lost_without_reason", "deals_aging_in_stage", "unanswered_leads", "rfm_accounts", "dead_accounts", "unowned_accounts",
            "licence_unused_seats", "admin_users", "admin_users_inactive", "deactivated_users_owning_open_records", "users_not_on_roster",
            "funnel_stage_records",
        ];
        Assert.Equal(pipeline.Order(), Known(pipelineDetail).Order());

        static string[] Known(string detail) => detail[(detail.IndexOf("(known: ", StringComparison.Ordinal) + "(known: ".Length)..^2].Split(", ");
    }

    [Theory]
    [InlineData("/api/data-quality/issues?kind=records", "records", "data_quality")]
    [InlineData("/api/data-quality/issues?kind=duplicate_clusters", "duplicate_clusters", "data_quality")]
    [InlineData("/api/pipeline/issues?kind=open_deals", "open_deals", "pipeline")]
    [InlineData("/api/pipeline/issues?kind=snoozed_deals", "snoozed_deals", "pipeline")]
    public async Task A_count_with_no_records_behind_it_is_not_an_issue_kind(string url, string kind, string area)
    {
        var (status, body) = await GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"kind: '{kind}' is not a {area} issue kind, a KPI that counts records (known: ", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_pipeline_endpoint_lists_only_pipeline_kinds()
    {
        var (status, body) = await GetAsync("/api/pipeline/issues?source=files");

        Assert.Equal(HttpStatusCode.OK, status);
        // While the pipeline family has no KPI yet, nothing is a pipeline issue.
        Assert.Equal(PipelineKind is null ? [] : ["d1"], Ids(body));
        Assert.All(body.GetProperty("items").EnumerateArray(), i => Assert.Equal(PipelineKind, i.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task The_openapi_document_lists_both_endpoints_with_their_query_parameters()
    {
        var (_, doc) = await GetAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/data-quality/issues", "/api/pipeline/issues" })
        {
            var parameters = doc.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters")
                .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Equal(["source", "object", "kind", "owner", "team", "offset", "limit", "page", "pageSize", "field"], parameters);
            var limit = doc.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == "limit");
            Assert.Equal("Page size, 1 to 1000 (default 100).", limit.GetProperty("description").GetString());
        }
    }
}
