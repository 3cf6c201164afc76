using System.Text.Json;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Stack;

/// <summary>
/// Every query of the dashboards and rules against the real servers of <see cref="StackFixture"/>: each InfluxQL query
/// (Grafana's macros and the dashboard's variables substituted) returns data from the backfilled InfluxDB; each PromQL
/// expression parses and, for the dashboards, returns series from a Prometheus that scraped CrmPulse; each API panel and
/// link returns data from the running CrmPulse.
/// </summary>
public sealed class StackQueryTests(StackFixture stack) : IClassFixture<StackFixture>
{
    /// <summary>
    /// Dashboard expressions allowed to return no series here: the CRM API's own KPIs come from sources that call a CRM
    /// API (HubSpot, Salesforce); the Demo source calls none. They must still parse and evaluate.
    /// </summary>
    private static bool NeedsCrmApiSource(string text) => text.Contains("crm_api_", StringComparison.Ordinal);

    /// <summary>
    /// KPIs the Demo source does not plant (no churn dates, no NPS or CSAT answers): their panels' queries must run
    /// without error and find nothing here. Once the Demo plants one, it leaves this list and its panel must show data.
    /// </summary>
    private static readonly string[] NotPlantedByDemo = ["churn_rate", "nps", "csat"];

    public static TheoryData<string, string> Queries(string kind)
    {
        var data = new TheoryData<string, string>();
        foreach (var q in StackFiles.PanelQueries().Where(q => q.Kind == kind)) data.Add(q.Dashboard, q.Where);
        return data;
    }

    public static TheoryData<string, string> InfluxQueries() => Queries("influxdb");

    public static TheoryData<string, string> PromQueries() => Queries("prometheus");

    public static TheoryData<string, string> ApiQueries() => Queries("api");

    public static TheoryData<string> Rules()
    {
        var data = new TheoryData<string>();
        foreach (var (alert, _) in StackFiles.RuleExpressions()) data.Add(alert);
        return data;
    }

    public static TheoryData<string> Dashboards() => new(StackFiles.DashboardFiles);

    private static DashboardQuery Find(string dashboard, string where) =>
        StackFiles.PanelQueries().Single(q => q.Dashboard == dashboard && q.Where == where);

    /// <summary>
    /// The dashboard's variables as Grafana would set them: each query variable takes the first value its query returns
    /// (later variables see the earlier ones), constants and custom variables their first value, api_url the daemon.
    /// </summary>
    private async Task<Dictionary<string, string>> VariablesAsync(string file)
    {
        var values = new Dictionary<string, string> { ["api_url"] = stack.ApiUrl };
        foreach (var v in StackFiles.Dashboard(file).GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            var name = v.GetProperty("name").GetString()!;
            switch (v.GetProperty("type").GetString())
            {
                case "custom":
                    values[name] = v.GetProperty("query").GetString()!.Split(',')[0];
                    break;
                case "query":
                    var q = StackFiles.VariableQueries(file).Single(x => x.Where == "variable " + name);
                    var found = await VariableValuesAsync(q, values);
                    Assert.True(found.Count > 0, $"{q}: the variable's query returns no value");
                    values[name] = found[0];
                    break;
            }
        }
        return values;
    }

    private async Task<List<string>> VariableValuesAsync(DashboardQuery q, Dictionary<string, string> values)
    {
        var text = StackFiles.Substitute(q.Text, values);
        if (q.Kind == "influxdb") return (await stack.Influx.RowsAsync(text)).Select(r => r["value"].GetString()!).ToList();
        // label_values(metric, label): Grafana asks for the label's values of the metric's series.
        var args = text["label_values(".Length..^1].Split(',', StringSplitOptions.TrimEntries);
        var series = await stack.PromQueryAsync(args[0]);
        return series.EnumerateArray().Select(s => s.GetProperty("metric").TryGetProperty(args[1], out var l) ? l.GetString()! : "")
            .Where(s => s.Length > 0).Distinct().Order().ToList();
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_template_variable_query_returns_values(string dashboard)
    {
        var values = await VariablesAsync(dashboard);

        Assert.Contains("api_url", values.Keys);
    }

    [Theory]
    [MemberData(nameof(InfluxQueries))]
    public async Task Every_influxql_query_of_the_dashboards_returns_data_from_the_backfilled_influxdb(string dashboard, string where)
    {
        var query = StackFiles.Substitute(Find(dashboard, where).Text, await VariablesAsync(dashboard));

        var result = await stack.Influx.QueryAsync(query);

        Assert.False(result.TryGetProperty("error", out var error), $"{query}: {error}");
        var kpis = StackFiles.KpisShown(Find(dashboard, where)).ToList();
        if (kpis.Count > 0 && kpis.All(NotPlantedByDemo.Contains))
        {
            Assert.False(result.TryGetProperty("series", out _), $"{query}: the Demo plants {string.Join(", ", kpis)} now: take it off NotPlantedByDemo");
            return;
        }
        Assert.True(result.TryGetProperty("series", out var series), $"{query}: no series");
        var values = series.EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray())
            .SelectMany(row => row.EnumerateArray().Skip(1)).Count(v => v.ValueKind != JsonValueKind.Null);
        Assert.True(values > 0, $"{query}: only nulls");
    }

    [Theory]
    [InlineData("adoption.json", "Licensed users A", "licensed_users")]
    [InlineData("data-quality.json", "Orphan records A", "orphan_records")]
    [InlineData("data-quality.json", "Invalid e-mails A", "invalid_emails")]
    [InlineData("pipeline.json", "Win rate (90 days) A", "win_rate")]
    public async Task A_latest_value_stat_shows_what_the_api_gives_as_the_latest_value(string dashboard, string where, string kpi)
    {
        var variables = await VariablesAsync(dashboard);
        var query = StackFiles.Substitute(Find(dashboard, where).Text, variables);

        var row = Assert.Single(await stack.Influx.RowsAsync(query));

        // The stat sums the latest value of each series (one per object for the data-quality counts; the roll-up
        // alone for the others), which is what /api/kpis/latest lists for the source.
        var latest = await GetJsonAsync($"/api/kpis/latest?kpi={kpi}&source={variables["source"]}");
        var items = latest.EnumerateArray().Where(e => kpi != "licensed_users" || !e.GetProperty("dimensions").EnumerateObject().Any()).ToList();
        Assert.NotEmpty(items);
        Assert.Equal(items.Sum(e => e.GetProperty("value").GetDouble()), row[kpi].GetDouble(), 9);
    }

    [Theory]
    [MemberData(nameof(PromQueries))]
    public async Task Every_promql_expression_of_the_dashboards_returns_series_from_a_prometheus_that_scraped_crmpulse(string dashboard, string where)
    {
        var query = StackFiles.Substitute(Find(dashboard, where).Text, await VariablesAsync(dashboard));

        var result = await stack.PromQueryAsync(query);

        if (!NeedsCrmApiSource(query)) Assert.True(result.GetArrayLength() > 0, $"{query}: no series");
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Every_alert_rule_expression_evaluates_on_prometheus(string alert)
    {
        var expr = StackFiles.RuleExpressions().Single(r => r.Alert == alert).Expr;

        var result = await stack.PromQueryAsync(expr);

        Assert.Equal(JsonValueKind.Array, result.ValueKind);
    }

    [Fact]
    public async Task Prometheus_loads_the_rule_file_and_evaluates_every_rule_without_error()
    {
        JsonElement rules = default;
        for (var i = 0; i < 40; i++)
        {
            var body = JsonDocument.Parse(await stack.Prometheus.GetStringAsync("/api/v1/rules")).RootElement;
            rules = body.GetProperty("data").GetProperty("groups").Clone();
            var all = rules.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            if (all.Count == 7 && all.All(r => r.GetProperty("health").GetString() != "unknown")) break;
            await Task.Delay(250);
        }

        var evaluated = rules.EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(7, evaluated.Count);
        Assert.All(evaluated, r => Assert.True(r.GetProperty("health").GetString() == "ok", r.ToString()));
    }

    [Theory]
    [MemberData(nameof(ApiQueries))]
    public async Task Every_api_panel_url_returns_data_from_the_running_crmpulse(string dashboard, string where)
    {
        var q = Find(dashboard, where);
        var path = StackFiles.Substitute(q.Text, await VariablesAsync(dashboard));

        var json = await GetJsonAsync(path);

        var selected = Select(json, q.RootSelector);
        Assert.True(selected.Count > 0, $"{path} (root {q.RootSelector}): nothing to show in {json}");
    }

    [Fact]
    public async Task Every_panel_link_into_the_api_answers_with_data()
    {
        var checkedLinks = 0;
        foreach (var (dashboard, _, url) in StackFiles.PanelLinks())
        {
            var full = StackFiles.Substitute(url, await VariablesAsync(dashboard));
            Assert.StartsWith(stack.ApiUrl, full);

            var json = await GetJsonAsync(full[stack.ApiUrl.Length..]);

            Assert.True(Select(json, json.ValueKind == JsonValueKind.Object && json.TryGetProperty("items", out _) ? "items" : "").Count > 0, $"{full}: empty");
            checkedLinks++;
        }
        Assert.True(checkedLinks > 10);
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await stack.Api.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} -> {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// What the Infinity root selector picks: the whole answer, a property path ("items", "kpis"), or, for the
    /// target-threshold queries ($[$count($keys(dimensions)) = 0].target), the targets of the roll-up items.
    /// </summary>
    private static List<JsonElement> Select(JsonElement json, string root)
    {
        if (root.StartsWith("$[", StringComparison.Ordinal))
        {
            Assert.Equal("$[$count($keys(dimensions)) = 0].target", root);
            return json.EnumerateArray().Where(e => !e.GetProperty("dimensions").EnumerateObject().Any())
                .Select(e => e.GetProperty("target")).Where(t => t.ValueKind == JsonValueKind.Object).ToList();
        }
        var node = json;
        foreach (var part in root.Split('.', StringSplitOptions.RemoveEmptyEntries)) node = node.GetProperty(part);
        return node.ValueKind == JsonValueKind.Array ? node.EnumerateArray().ToList() : [node];
    }
}
