using System.Text.RegularExpressions;
using CrmPulse.Core.Kpis;
using CrmPulse.Metrics;
using CrmPulse.Storage.Influx;
using CrmPulse.Tests.Support;
using Prometheus;

namespace CrmPulse.Tests.Stack;

/// <summary>
/// The KPI catalog is the single source of names: every measurement, field, metric and KPI id that a dashboard, an
/// alert rule or the README's stack section names is one CrmPulse produces.
/// </summary>
public sealed partial class StackNamesTests
{
    private static readonly string[] UserFields =
        ["name", "email", "status", "logins_7d", "logins_30d", "activities_7d", "activities_30d", "last_login_ms"];

    /// <summary>Metric names CrmPulse exposes: the KPI gauges and what its own metric classes register.</summary>
    private static async Task<HashSet<string>> KnownMetricsAsync()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var pulse = new PulseMetrics(registry);
        _ = new InfluxMetrics(registry);
        // Labelled metrics are exported once they have a child.
        pulse.JobDuration.WithLabels("s", "sync").Observe(1);
        pulse.JobFailures.WithLabels("s", "sync").Inc();
        pulse.JobLastSuccess.WithLabels("s", "sync").Set(1);
        pulse.RecordsSynced.WithLabels("s", "contact").Inc();
        pulse.RecordsDeleted.WithLabels("s").Inc();
        pulse.RecordsRejected.WithLabels("s").Inc();
        pulse.MirrorRecords.WithLabels("s", "contact").Set(1);
        pulse.SamplesAppended.WithLabels("s").Inc();
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var names = HelpLine().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var kpi in KpiCatalog.All) names.Add(kpi.MetricName);
        return names;
    }

    private static string BaseMetric(string name, HashSet<string> known) =>
        known.Contains(name) ? name : HistogramSuffix().Replace(name, "");

    /// <summary>What is wrong with the measurements and fields the InfluxQL queries name (empty when all exist).</summary>
    private static List<string> InfluxNameProblems(IEnumerable<DashboardQuery> queries)
    {
        var problems = new List<string>();
        foreach (var q in queries.Where(q => q.Kind == "influxdb"))
        {
            var measurements = Measurement().Matches(q.Text).Select(m => m.Groups[1].Value).ToList();
            if (measurements.Count == 0) problems.Add($"{q}: names no measurement");
            foreach (var measurement in measurements)
            {
                var fields = measurement == InfluxSchema.UserMeasurement
                    ? UserFields
                    : KpiCatalog.All.Where(d => d.Measurement == measurement).Select(d => d.Id).ToArray();
                if (fields.Length == 0) problems.Add($"{q}: measurement {measurement} is not one CrmPulse writes");
                // A field of an outer query over a subquery is the inner query's alias, itself a field here.
                foreach (var field in FieldCall().Matches(q.Text).Select(m => m.Groups[1].Value).Where(f => !fields.Contains(f)))
                    problems.Add($"{q}: field {field} is not in {measurement}");
            }
        }
        return problems;
    }

    [Fact]
    public void Every_measurement_and_field_the_dashboards_query_in_influxdb_is_one_crmpulse_writes()
    {
        var queries = StackFiles.PanelQueries().Concat(StackFiles.DashboardFiles.SelectMany(StackFiles.VariableQueries)).ToList();

        var problems = InfluxNameProblems(queries);

        Assert.True(queries.Count(q => q.Kind == "influxdb") > 50);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_misspelt_field_or_a_field_of_another_family_is_reported()
    {
        DashboardQuery[] queries =
        [
            new("x.json", "typo", "influxdb", "SELECT last(\"weekly_active_ratios\") FROM \"crm_adoption\" WHERE $timeFilter"),
            new("x.json", "family", "influxdb", "SELECT last(\"win_rate\") FROM \"crm_pipeline\" WHERE $timeFilter"),
            new("x.json", "measurement", "influxdb", "SELECT last(\"win_rate\") FROM \"crm_outcomes\" WHERE $timeFilter"),
            new("x.json", "fine", "influxdb", "SELECT last(\"win_rate\") FROM \"crm_outcome\" WHERE $timeFilter"),
        ];

        var problems = InfluxNameProblems(queries);

        Assert.Equal(
        [
            "x.json: typo: field weekly_active_ratios is not in crm_adoption",
            "x.json: family: field win_rate is not in crm_pipeline",
            "x.json: measurement: measurement crm_outcomes is not one CrmPulse writes",
            "x.json: measurement: field win_rate is not in crm_outcomes",
        ], problems);
    }

    [Fact]
    public async Task Every_metric_the_dashboards_and_rules_name_is_one_crmpulse_exposes()
    {
        var known = await KnownMetricsAsync();
        var texts = StackFiles.PanelQueries().Where(q => q.Kind == "prometheus").Select(q => (q.ToString(), q.Text))
            .Concat(StackFiles.DashboardFiles.SelectMany(StackFiles.VariableQueries).Where(q => q.Kind == "prometheus").Select(q => (q.ToString(), q.Text)))
            .Concat(StackFiles.RuleExpressions().Select(r => ($"rule {r.Alert}", r.Expr)))
            .Concat([("prometheus/rules/crmpulse.yml", RepoRoot.ReadAllText("prometheus", "rules", "crmpulse.yml"))]);

        var unknown = texts.SelectMany(t => MetricName().Matches(t.Item2).Select(m => (t.Item1, m.Value)))
            .Where(x => !known.Contains(BaseMetric(x.Value, known))).Select(x => $"{x.Item1}: {x.Value}").Distinct().ToList();

        Assert.Contains("crmpulse_job_duration_seconds", known); // the registry export is read
        Assert.True(unknown.Count == 0, "Not produced by CrmPulse:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void Every_kpi_id_in_an_api_url_or_link_is_in_the_catalog()
    {
        var urls = StackFiles.PanelQueries().Where(q => q.Kind == "api").Select(q => (q.ToString(), q.Text))
            .Concat(StackFiles.PanelLinks().Select(l => ($"{l.Dashboard}: {l.Panel} (link)", l.Url)));

        var unknown = urls.SelectMany(u => KpiParameter().Matches(u.Item2).Select(m => (u.Item1, m.Groups[1].Value)))
            .Where(x => !KpiCatalog.TryGet(x.Item2, out _)).Select(x => $"{x.Item1}: {x.Item2}").ToList();

        Assert.NotEmpty(urls);
        Assert.True(unknown.Count == 0, "Not in the catalog:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void Dashboards_name_their_data_sources_by_variables_with_import_inputs_and_have_unique_uids()
    {
        var provisioned = RepoRoot.ReadAllText("grafana", "provisioning", "datasources", "crmpulse.yml");
        var uids = StackFiles.DashboardFiles.Select(f => StackFiles.Dashboard(f).GetProperty("uid").GetString()).ToList();

        Assert.Equal(uids.Count, uids.Distinct().Count());
        // The provisioned stack has one data source of each plugin the variables stand for.
        foreach (var plugin in StackFiles.DataSourceVariables.Values) Assert.Single(Regex.Matches(provisioned, $@"(?m)^    type: {Regex.Escape(plugin)}$"));
        // KindOf throws on anything but a variable; every dashboard has a source or no source-dependent query.
        Assert.All(StackFiles.PanelQueries(), q => Assert.Contains(q.Kind, new[] { "influxdb", "prometheus", "api" }));
        foreach (var file in StackFiles.DashboardFiles)
        {
            var dashboard = StackFiles.Dashboard(file);
            var text = RepoRoot.ReadAllText("grafana", "dashboards", file);
            var used = Regex.Matches(text, @"""uid"": ""\$\{([a-z_]+)\}""").Select(m => m.Groups[1].Value).Distinct().Order().ToList();
            var variables = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Where(v => v.GetProperty("type").GetString() == "datasource").ToList();
            var inputs = dashboard.GetProperty("__inputs").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "datasource").ToList();

            // Each variable the panels use is declared, is of its plugin, and takes the data source chosen at import.
            Assert.Equal(used, variables.Select(v => v.GetProperty("name").GetString()!).Order());
            foreach (var v in variables)
            {
                var plugin = StackFiles.DataSourceVariables[v.GetProperty("name").GetString()!];
                Assert.Equal(plugin, v.GetProperty("query").GetString());
                var input = v.GetProperty("current").GetProperty("value").GetString()!;
                Assert.Contains(inputs, i => $"${{{i.GetProperty("name").GetString()}}}" == input && i.GetProperty("pluginId").GetString() == plugin);
            }
            Assert.Equal(variables.Count, inputs.Count);
            // No data source uid and no API address written into a panel: the base URL is the api_url variable.
            Assert.DoesNotContain("crmpulse-influxdb", text);
            Assert.DoesNotContain("crmpulse-prometheus", text);
            Assert.DoesNotContain("crmpulse-api", text);
            var apiUrl = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "api_url");
            Assert.Equal("textbox", apiUrl.GetProperty("type").GetString());
            Assert.Equal(3, Regex.Matches(text, "localhost:5080").Count); // its default (query and current), nowhere else
            Assert.All(StackFiles.PanelLinks().Where(l => l.Dashboard == file && l.Url.Contains("/api/", StringComparison.Ordinal)),
                l => Assert.StartsWith("${api_url}", l.Url));
        }
        Assert.Equal(StackFiles.DashboardFiles.Order(), Directory.GetFiles(Path.Combine(RepoRoot.Path, "grafana", "dashboards")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Dashboards_are_editable_exactly_when_provisioning_allows_ui_updates()
    {
        var provider = RepoRoot.ReadAllText("grafana", "provisioning", "dashboards", "crmpulse.yml");
        var allowUiUpdates = Regex.Match(provider, @"(?m)^\s*allowUiUpdates: (true|false)\s*$");

        Assert.True(allowUiUpdates.Success, "grafana/provisioning/dashboards/crmpulse.yml sets no allowUiUpdates.");
        Assert.All(StackFiles.DashboardFiles, f =>
            Assert.Equal(allowUiUpdates.Groups[1].Value == "true", StackFiles.Dashboard(f).GetProperty("editable").GetBoolean()));
    }

    [Fact]
    public void The_readme_stack_section_names_every_dashboard_and_only_known_kpis()
    {
        var readme = RepoRoot.ReadAllText("README.md");
        var start = readme.IndexOf("## Dashboards and the full stack", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section 'Dashboards and the full stack'.");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        Assert.All(StackFiles.DashboardFiles, f => Assert.Contains(f, section));
        var named = Backticked().Matches(section).Select(m => m.Groups[1].Value)
            .Where(id => id.Contains('_') && !id.StartsWith("crmpulse_", StringComparison.Ordinal) && !id.StartsWith("crm_", StringComparison.Ordinal)
                && !id.StartsWith("CrmPulse", StringComparison.Ordinal) && id.ToLowerInvariant() == id && !id.Contains('.'))
            .ToList();
        var unknown = named.Where(id => !KpiCatalog.TryGet(id, out _) && !UserFields.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, "README stack section names unknown KPIs: " + string.Join(", ", unknown));
        var measurements = Backticked().Matches(section).Select(m => m.Groups[1].Value).Where(id => id.StartsWith("crm_", StringComparison.Ordinal));
        var knownMeasurements = KpiCatalog.All.Select(d => d.Measurement).Append(InfluxSchema.UserMeasurement).ToHashSet();
        Assert.All(measurements, m => Assert.Contains(m, knownMeasurements));
    }

    [GeneratedRegex(@"^# HELP (\S+) ", RegexOptions.Multiline)]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"(_bucket|_sum|_count)$")]
    private static partial Regex HistogramSuffix();

    [GeneratedRegex(@"FROM ""(crm_[a-z_]+)""")]
    private static partial Regex Measurement();

    [GeneratedRegex(@"\b(?:last|sum|mean|max|min|count)\(""([a-z0-9_]+)""\)")]
    private static partial Regex FieldCall();

    [GeneratedRegex(@"crmpulse_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"[?&](?:kpi|kind)=([a-z0-9_]+)")]
    private static partial Regex KpiParameter();

    [GeneratedRegex("`([A-Za-z0-9_:.]+)`")]
    private static partial Regex Backticked();
}
