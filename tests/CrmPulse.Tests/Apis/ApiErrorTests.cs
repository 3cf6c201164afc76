using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// Every endpoint of the README's HTTP API with bad values: a 4xx problem details document with a detail saying what
/// is wrong (naming the parameter where there is one), never a 500. The framework's own 400, 404 and 405 included.
/// </summary>
public sealed class ApiErrorTests(ApiErrorTests.HostFixture host) : IClassFixture<ApiErrorTests.HostFixture>
{
    public sealed class HostFixture : IAsyncLifetime
    {
        public FixtureFolder Folder { get; } = new("org1", TestTimes.Afternoon);
        public InProcessHost Host { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var settings = FileSourceApiTests.Org1Settings(Folder.Path);
            settings["CrmPulse:Api:ApiKeys:0"] = Options.OptionsLoaderTests.KeyA;
            Host = await InProcessHost.StartAsync(settings, TestTimes.Clock(TestTimes.Afternoon));
            Host.Client.DefaultRequestHeaders.Add("X-Api-Key", Options.OptionsLoaderTests.KeyA);
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            Folder.Dispose();
        }
    }

    public static readonly TheoryData<string, string, int, string> BadRequests = new()
    {
        // Time ranges that overflow, and times that are not times.
        { "GET", "/api/kpis/licensed_users/series?from=now-1000000d", 400, "from: 'now-1000000d'" },
        { "GET", "/api/kpis/licensed_users/series?to=now-99999999999d", 400, "to: 'now-99999999999d'" },
        { "GET", "/api/kpis/licensed_users/series?step=99999999d", 400, "step: '99999999d'" },
        { "GET", "/api/kpis/licensed_users/series?step=0d", 400, "step: '0d'" },
        { "GET", "/api/kpis/licensed_users/series?from=99999999999999999999", 400, "from: '99999999999999999999'" },
        { "GET", "/api/kpis/licensed_users/series?from=253402300800000", 400, "from: '253402300800000'" },
        { "GET", "/api/kpis/licensed_users/series?from=yesterday", 400, "from: 'yesterday'" },
        { "GET", "/api/kpis/licensed_users/series?from=now&to=now-1d", 400, "is after to" },
        { "GET", "/api/kpis/licensed_users/series?from=now-3650d&step=1s", 400, "gives more than" },
        { "GET", "/api/kpis/licensed_users/series?owner=u1", 400, "'owner' is not a dimension of licensed_users" },
        { "GET", "/api/kpis/no_such_kpi/series", 404, "No KPI 'no_such_kpi'" },
        { "GET", "/api/kpis/latest?family=nope", 400, "Unknown family 'nope'" },
        { "GET", "/api/kpis/latest?kpi=nope", 404, "No KPI 'nope'" },
        // Paging and filters of the drill-down, the binding failures among them.
        { "GET", "/api/data-quality/issues?limit=abc", 400, "limit: 'abc' is not a whole number from -2147483648 to 2147483647." },
        { "GET", "/api/data-quality/issues?offset=1.5", 400, "offset: '1.5' is not a whole number" },
        { "GET", "/api/data-quality/issues?page=x&pageSize=10", 400, "page: 'x' is not a whole number" },
        { "GET", "/api/data-quality/issues?pageSize=x&page=1", 400, "pageSize: 'x' is not a whole number" },
        { "GET", "/api/data-quality/issues?limit=99999999999", 400, "limit: '99999999999' is not a whole number" },
        { "GET", "/api/data-quality/issues?limit=0", 400, "limit: must be between 1 and 1000, was 0." },
        { "GET", "/api/data-quality/issues?limit=5000", 400, "limit: must be between 1 and 1000" },
        { "GET", "/api/data-quality/issues?offset=-1", 400, "offset: must be 0 or more" },
        { "GET", "/api/data-quality/issues?page=0", 400, "page: must be 1 or more" },
        { "GET", "/api/data-quality/issues?page=2147483647&pageSize=1000", 400, "page: 2147483647 is past the end." },
        { "GET", "/api/data-quality/issues?offset=0&page=1", 400, "offset/limit or page/pageSize, not both" },
        { "GET", "/api/data-quality/issues?kind=records", 400, "kind: 'records'" },
        { "GET", "/api/pipeline/issues?kind=invalid_emails", 400, "kind: 'invalid_emails'" },
        { "GET", "/api/pipeline/issues?pageSize=-5&page=1", 400, "pageSize: must be between 1 and 1000" },
        // The other endpoints' parameters.
        { "GET", "/api/adoption/users?status=sleeping", 400, "status: 'sleeping'" },
        { "GET", "/api/reports/leadership?period=decade", 400, "period: 'decade'" },
        { "GET", "/api/reports/leadership?source=nope", 404, "No source 'nope'" },
        { "POST", "/api/sources/nope/sync", 404, "No source named 'nope'" },
        { "GET", "/api/audits/999", 404, "No stored audit #999" },
        { "POST", "/api/audits?from=2026-13-01&to=2026-12-31", 400, "from: '2026-13-01' is not a date" },
        { "POST", "/api/audits?from=2026-01-01", 400, "to is required" },
        { "POST", "/api/audits?from=2026-02-01&to=2026-01-01", 400, "from 2026-02-01 is after to 2026-01-01" },
        { "POST", "/api/audits?from=2026-01-01&to=2026-01-02&source=nope", 404, "No source 'nope'" },
        // The framework's own: no route, a method the route does not take.
        { "GET", "/api/nothing-here", 404, "No endpoint at /api/nothing-here" },
        { "GET", "/no/such/page", 404, "No endpoint at /no/such/page" },
        { "DELETE", "/api/sources", 405, "DELETE is not allowed on /api/sources" },
        { "POST", "/api/kpis/latest", 405, "POST is not allowed on /api/kpis/latest" },
        { "DELETE", "/api/kpis", 405, "DELETE is not allowed on /api/kpis" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_values_get_a_4xx_problem_with_a_detail_naming_what_is_wrong(string method, string path, int status, string detail)
    {
        using var response = await host.Host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{method} {path} -> {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_missing_api_key_is_a_401_with_a_detail()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/adoption/users");
        request.Headers.Add("X-Api-Key", "not-the-key");
        using var response = await host.Host.Client.SendAsync(request);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("X-Api-Key", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_manual_sync_without_a_scheduler_is_refused_with_a_detail_not_a_500()
    {
        using var response = await host.Host.Client.PostAsync("/api/sources/files/sync", null);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Contains("one-shot command", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }
}
