using System.Globalization;
using System.Net;
using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Apis;

/// <summary>
/// The real host after one pass over the hand-made File-source org in Fixtures/org1 (its README holds the arithmetic):
/// exact KPI values through the API and /metrics, and the broken rows reported.
/// </summary>
public sealed class FileSourceApiTests(FileSourceApiTests.HostFixture host) : IClassFixture<FileSourceApiTests.HostFixture>
{
    public sealed class HostFixture : IAsyncLifetime
    {
        public FixtureFolder Folder { get; } = new("org1", TestTimes.Afternoon);
        public InProcessHost Host { get; private set; } = null!;

        public async Task InitializeAsync() => Host = await InProcessHost.StartAsync(Org1Settings(Folder.Path), TestTimes.Clock(TestTimes.Afternoon));

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            Folder.Dispose();
        }
    }

    public static Dictionary<string, string?> Org1Settings(string path) => new()
    {
        ["CrmPulse:Sources:0:Name"] = "files",
        ["CrmPulse:Sources:0:Kind"] = "File",
        ["CrmPulse:Sources:0:Path"] = path,
        ["CrmPulse:Sources:0:ExcludeUsers:0"] = "ZAPIER@X.TEST",
    };

    /// <summary>Expected values per (kpi, dimensions key): Fixtures/org1/README.md.</summary>
    public static readonly TheoryData<string, string, double> Expected = new()
    {
        { "licensed_users", "", 4 }, { "licensed_users", "team=Sales", 2 }, { "licensed_users", "team=Support", 2 },
        { "daily_active_users", "", 1 }, { "daily_active_users", "team=Sales", 1 }, { "daily_active_users", "team=Support", 0 },
        { "weekly_active_users", "", 1 }, { "weekly_active_users", "team=Support", 0 },
        { "monthly_active_users", "", 2 }, { "monthly_active_users", "team=Sales", 2 }, { "monthly_active_users", "team=Support", 0 },
        { "weekly_active_ratio", "", 0.25 }, { "weekly_active_ratio", "team=Sales", 0.5 }, { "weekly_active_ratio", "team=Support", 0 },
        { "monthly_active_ratio", "", 0.5 }, { "monthly_active_ratio", "team=Sales", 1 }, { "monthly_active_ratio", "team=Support", 0 },
        { "stickiness_ratio", "", 0.5 }, { "stickiness_ratio", "team=Sales", 0.5 }, { "stickiness_ratio", "team=Support", 0 },
        { "users_never_logged_in", "", 1 }, { "users_never_logged_in", "team=Support", 1 }, { "users_never_logged_in", "team=Sales", 0 },
        { "users_inactive_30d", "", 1 }, { "users_inactive_30d", "team=Support", 1 },
        { "active_contributor_ratio", "", 0.25 }, { "active_contributor_ratio", "team=Sales", 0.5 }, { "active_contributor_ratio", "team=Support", 0 },
        { "excluded_users", "", 2 },
        { "activities_logged_7d", "", 5 }, { "activities_logged_7d", "team=Sales", 3 }, { "activities_logged_7d", "team=Support", 1 },
        { "activities_logged_7d", "team=unassigned", 1 }, { "activities_logged_7d", "type=call", 1 }, { "activities_logged_7d", "type=note", 1 },
        { "activities_logged_7d", "team=Sales,type=meeting", 1 }, { "activities_logged_7d", "team=Support,type=call", 0 },
        { "activities_per_active_user", "", 4 }, { "activities_per_active_user", "team=Sales", 3 }, { "activities_per_active_user", "team=Support", 0 },
        { "deals_created_7d", "", 1 }, { "deals_won_7d", "", 1 }, { "deals_won_7d", "team=Sales", 1 },
        { "contacts_created_7d", "", 2 }, { "contacts_created_7d", "team=Sales", 1 }, { "contacts_created_7d", "team=Support", 1 },
        { "records", "object=contact", 4 }, { "records", "object=company", 2 }, { "records", "object=deal", 2 },
        { "field_fill_rate", "field=email,object=contact", 0.75 }, { "field_fill_rate", "field=phone,object=contact", 0.5 },
        { "field_fill_rate", "field=lifecycle_stage,object=contact", 0.75 }, { "field_fill_rate", "field=owner,object=contact", 0.75 },
        { "field_fill_rate", "field=company,object=contact", 0.75 }, { "field_fill_rate", "field=domain,object=company", 0.5 },
        { "field_fill_rate", "field=industry,object=company", 1 }, { "field_fill_rate", "field=amount,object=deal", 0.5 },
        { "completeness_score", "object=contact", 0.7 }, { "completeness_score", "object=company", 5.0 / 6 },
        { "completeness_score", "object=deal", 0.875 },
        { "complete_records_ratio", "object=contact", 0.25 }, { "complete_records_ratio", "object=company", 0.5 },
        { "complete_records_ratio", "object=deal", 0.5 },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Latest_values_are_the_hand_computed_ones(string kpi, string dimensions, double expected)
    {
        var latest = await host.Host.GetJsonAsync($"/api/kpis/latest?kpi={kpi}&source=files");

        var match = latest.EnumerateArray().Where(e => LatestValues.DimensionsKey(e) == dimensions).ToList();
        var sample = Assert.Single(match);
        Assert.Equal(expected, sample.GetProperty("value").GetDouble(), 12);
        Assert.Equal("files", sample.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Adoption_samples_say_they_rest_on_logins()
    {
        var latest = await host.Host.GetJsonAsync("/api/kpis/latest?kpi=weekly_active_users");

        Assert.All(latest.EnumerateArray(), e => Assert.Equal("login", e.GetProperty("basis").GetString()));
    }

    [Fact]
    public async Task Broken_rows_are_reported_with_file_line_and_column_and_counted()
    {
        var sources = await host.Host.GetJsonAsync("/api/sources");

        var files = Assert.Single(sources.EnumerateArray());
        Assert.Equal("File", files.GetProperty("kind").GetString());
        Assert.Equal(3, files.GetProperty("problemsTotal").GetInt64());
        var problems = files.GetProperty("lastProblems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("logins.csv:10: column 'at'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("activities.csv:8: column 'type'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("contacts.csv:6: column 'created_at'", StringComparison.Ordinal));
        Assert.NotEqual(JsonValueKind.Null, files.GetProperty("lastSuccessAt").ValueKind);
        Assert.Equal(4, files.GetProperty("recordCounts").GetProperty("contact").GetInt32());
    }

    [Fact]
    public async Task The_per_user_table_lists_humans_and_shows_excluded_users()
    {
        var rows = (await host.Host.GetJsonAsync("/api/adoption/users?source=files")).EnumerateArray()
            .ToDictionary(r => r.GetProperty("userId").GetString()!);

        Assert.Equal(["i1", "u1", "u2", "u3", "u4", "z1"], rows.Keys.Order());
        Assert.Equal(("active", 2, 2, 3), Row(rows["u1"]));   // logins now-2h, now-3d; a1, a2, a3 in 7 d
        Assert.Equal(("active", 0, 1, 0), Row(rows["u2"]));   // login now-10d
        Assert.Equal(("inactive", 0, 0, 1), Row(rows["u3"])); // failed login in 7 d does not count; last success now-40d
        Assert.Equal(("never", 0, 0, 0), Row(rows["u4"]));
        Assert.Equal("excluded", rows["i1"].GetProperty("status").GetString());
        Assert.Equal("excluded", rows["z1"].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, rows["u4"].GetProperty("lastLogin").ValueKind);

        static (string, int, int, int) Row(JsonElement r) => (r.GetProperty("status").GetString()!, r.GetProperty("logins7d").GetInt32(),
            r.GetProperty("logins30d").GetInt32(), r.GetProperty("activities7d").GetInt32());
    }

    [Fact]
    public async Task A_series_filters_by_dimension_and_an_empty_value_selects_the_roll_up()
    {
        var sales = await host.Host.GetJsonAsync("/api/kpis/weekly_active_ratio/series?from=now-1h&to=now&source=files&team=Sales");
        var overall = await host.Host.GetJsonAsync("/api/kpis/weekly_active_ratio/series?from=now-1h&to=now&team=");

        var s = Assert.Single(sales.GetProperty("series").EnumerateArray());
        Assert.Equal("weekly_active_ratio{source=files,team=Sales}", s.GetProperty("target").GetString());
        Assert.Equal(0.5, Assert.Single(s.GetProperty("datapoints").EnumerateArray())[0].GetDouble());
        var o = Assert.Single(overall.GetProperty("series").EnumerateArray());
        Assert.Equal(0.25, Assert.Single(o.GetProperty("datapoints").EnumerateArray())[0].GetDouble());
    }

    [Theory]
    [InlineData("/api/kpis/no_such_kpi/series", HttpStatusCode.NotFound, "No KPI 'no_such_kpi' in the catalog")]
    [InlineData("/api/kpis/licensed_users/series?from=now&to=now-1d", HttpStatusCode.BadRequest, "is after to")]
    [InlineData("/api/kpis/licensed_users/series?from=last+week", HttpStatusCode.BadRequest, "from: 'last week' is not a time")]
    [InlineData("/api/kpis/licensed_users/series?step=0m", HttpStatusCode.BadRequest, "step: '0m' is not a positive duration")]
    [InlineData("/api/kpis/licensed_users/series?from=now-365d&step=1s", HttpStatusCode.BadRequest, "more than 11000 points")]
    [InlineData("/api/kpis/licensed_users/series?region=EMEA", HttpStatusCode.BadRequest, "'region' is not a dimension of licensed_users (dimensions: team)")]
    [InlineData("/api/kpis/latest?family=sales", HttpStatusCode.BadRequest, "Unknown family 'sales'")]
    [InlineData("/api/kpis/latest?kpi=nope", HttpStatusCode.NotFound, "No KPI 'nope'")]
    [InlineData("/api/adoption/users?status=sleeping", HttpStatusCode.BadRequest, "status: 'sleeping' is not one of")]
    public async Task Bad_requests_get_problem_details_with_a_reason(string path, HttpStatusCode status, string detail)
    {
        using var response = await host.Host.Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_catalog_lists_every_kpi_with_its_metric_name()
    {
        var catalog = await host.Host.GetJsonAsync("/api/kpis");

        var wau = catalog.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "weekly_active_ratio");
        Assert.Equal("adoption", wau.GetProperty("family").GetString());
        Assert.Equal("crmpulse_adoption_weekly_active_ratio", wau.GetProperty("metric").GetString());
        Assert.Equal("crm_adoption", wau.GetProperty("measurement").GetString());
        Assert.False(wau.GetProperty("hasIssues").GetBoolean());
        // A count with records behind it says so: a dashboard can link it to /api/…/issues?kind=.
        Assert.True(catalog.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "stale_records").GetProperty("hasIssues").GetBoolean());
        Assert.Equal(Core.Kpis.KpiCatalog.All.Count, catalog.GetArrayLength());
    }

    [Fact]
    public async Task Health_ready_and_openapi_answer()
    {
        Assert.Equal("ok", (await host.Host.GetJsonAsync("/healthz")).GetProperty("status").GetString());
        Assert.Equal("ready", (await host.Host.GetJsonAsync("/readyz")).GetProperty("status").GetString());
        var openApi = await host.Host.GetJsonAsync("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/kpis/{id}/series", out _));
    }

    [Fact]
    public async Task Metrics_show_each_kpi_with_source_and_dimension_labels_and_the_daemons_own_metrics()
    {
        var text = await host.Host.Client.GetStringAsync("/metrics");

        Assert.Contains("crmpulse_adoption_weekly_active_ratio{source=\"files\",team=\"Sales\"} 0.5\n", text);
        Assert.Contains("crmpulse_adoption_weekly_active_ratio{source=\"files\",team=\"\"} 0.25\n", text);
        Assert.Contains("crmpulse_data_quality_field_fill_rate{source=\"files\",object=\"contact\",field=\"phone\"} 0.5\n", text);
        Assert.Contains("crmpulse_source_records_rejected_total{source=\"files\"} 3\n", text);
        Assert.Contains("crmpulse_source_mirror_records{source=\"files\",object=\"contact\"} 4\n", text);
        Assert.Contains("crmpulse_job_last_success_timestamp_seconds{source=\"files\",job_type=\"kpi\"}", text);
        Assert.Contains("crmpulse_job_duration_seconds_count{source=\"files\",job_type=\"sync\"} 1\n", text);
        Assert.Contains("http_request_duration_seconds", text); // prometheus-net's HTTP metrics, on the host's registry
        Assert.DoesNotContain("u1", text); // never a user id as a label
    }

    [Fact]
    public async Task Promtool_accepts_the_metrics_scrape()
    {
        var promtool = Tools.Require("promtool", "prometheus");
        var text = await host.Host.Client.GetStringAsync("/metrics");

        var (code, stdout, stderr) = await Tools.RunAsync(promtool, "check metrics", text);

        // Every lint rule, no exception: promtool prints nothing at all.
        Assert.True(code == 0 && stdout.Trim().Length == 0 && stderr.Trim().Length == 0,
            $"promtool check metrics exited {code}:\n{stdout}\n{stderr}");
    }

    [Fact]
    public async Task Metrics_show_the_process_and_the_runtime_and_no_label_prometheus_sets_itself()
    {
        var text = await host.Host.Client.GetStringAsync("/metrics");
        var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Contains(samples, l => l.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal));
        Assert.True(double.Parse(samples.First(l => l.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal)).Split(' ')[1],
            CultureInfo.InvariantCulture) > 1_000_000); // a .NET host holds megabytes, not zero
        foreach (var name in new[] { "process_cpu_seconds_total ", "process_open_fds ", "process_start_time_seconds ", "dotnet_gc_heap_size_bytes ",
                     "dotnet_gc_pause_seconds_total ", "dotnet_threadpool_threads ", "dotnet_total_memory_bytes " })
            Assert.Contains(samples, l => l.StartsWith(name, StringComparison.Ordinal));
        Assert.Contains(samples, l => l.StartsWith("dotnet_collection_count_total{generation=\"0\"}", StringComparison.Ordinal));
        // job and instance are the scrape target's; CrmPulse's job metrics say job_type.
        Assert.DoesNotContain(samples, l => l.Contains("{job=", StringComparison.Ordinal) || l.Contains(",job=", StringComparison.Ordinal)
            || l.Contains("instance=", StringComparison.Ordinal));
        Assert.DoesNotContain("crmpulse_integration_integration_", text);
        Assert.DoesNotContain("crmpulse_data_quality_data_quality_", text);
    }

}
