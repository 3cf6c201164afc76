using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Core.Kpis;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Stack;

/// <summary>One query of a dashboard: a panel target or a template variable, with the data source it goes to.</summary>
/// <param name="Where">dashboard file, panel title and refId (or "variable name"), for messages.</param>
/// <param name="Kind">"influxdb", "prometheus" or "api" (the Infinity data source).</param>
/// <param name="Text">InfluxQL, PromQL or the API path, as written in the dashboard.</param>
/// <param name="RootSelector">Infinity only: the root selector of the JSON answer ("" for the whole answer).</param>
public sealed record DashboardQuery(string Dashboard, string Where, string Kind, string Text, string RootSelector = "")
{
    public override string ToString() => $"{Dashboard}: {Where}";
}

/// <summary>
/// The stack's files as the tests read them: the dashboards' queries and links, the alert rules' expressions, and the
/// substitution of Grafana's macros and template variables.
/// </summary>
public static partial class StackFiles
{
    public static readonly string[] DashboardFiles =
        ["adoption.json", "data-quality.json", "pipeline.json", "integrations.json", "leadership.json", "crmpulse.json"];

    public static JsonElement Dashboard(string file) =>
        JsonDocument.Parse(RepoRoot.ReadAllText("grafana", "dashboards", file)).RootElement.Clone();

    /// <summary>Every panel (rows' nested panels included) of a dashboard.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
                foreach (var p in nested.EnumerateArray()) yield return p;
        }
    }

    /// <summary>The data-source template variables every dashboard names its data sources by (so it imports into any
    /// Grafana), with the plugin id each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> DataSourceVariables = new Dictionary<string, string>
    {
        ["influxdb"] = "influxdb",
        ["prometheus"] = "prometheus",
        ["api"] = "yesoreyeram-infinity-datasource",
    };

    /// <summary>The kind of a data-source reference, by the template variable it names (${influxdb}, …).</summary>
    public static string KindOf(JsonElement datasource) => datasource.GetProperty("uid").GetString() switch
    {
        "${influxdb}" => "influxdb",
        "${prometheus}" => "prometheus",
        "${api}" => "api",
        var uid => throw new InvalidOperationException($"Unknown data source reference '{uid}' (a dashboard names its data sources by variable)."),
    };

    /// <summary>Every panel query of every dashboard.</summary>
    public static IEnumerable<DashboardQuery> PanelQueries() =>
        from file in DashboardFiles
        from panel in Panels(Dashboard(file))
        where panel.TryGetProperty("targets", out _)
        from target in panel.GetProperty("targets").EnumerateArray()
        let kind = KindOf(target.GetProperty("datasource"))
        select new DashboardQuery(file, $"{panel.GetProperty("title").GetString()} {target.GetProperty("refId").GetString()}", kind,
            kind switch
            {
                "influxdb" => target.GetProperty("query").GetString()!,
                "prometheus" => target.GetProperty("expr").GetString()!,
                _ => target.GetProperty("url").GetString()!,
            },
            kind == "api" ? target.GetProperty("root_selector").GetString()! : "");

    /// <summary>The query variables of a dashboard, in order (later ones may use earlier ones).</summary>
    public static IEnumerable<DashboardQuery> VariableQueries(string file) =>
        from v in Dashboard(file).GetProperty("templating").GetProperty("list").EnumerateArray()
        where v.GetProperty("type").GetString() == "query"
        let q = v.GetProperty("query")
        select new DashboardQuery(file, "variable " + v.GetProperty("name").GetString(), KindOf(v.GetProperty("datasource")),
            q.ValueKind == JsonValueKind.String ? q.GetString()! : q.GetProperty("query").GetString()!);

    /// <summary>Every panel link's URL (links into the CrmPulse API start with ${api_url}).</summary>
    public static IEnumerable<(string Dashboard, string Panel, string Url)> PanelLinks() =>
        from file in DashboardFiles
        from panel in Panels(Dashboard(file))
        where panel.TryGetProperty("links", out _)
        from link in panel.GetProperty("links").EnumerateArray()
        select (file, panel.GetProperty("title").GetString()!, link.GetProperty("url").GetString()!);

    /// <summary>
    /// The catalog KPIs a query shows: the fields an InfluxQL query reads from the KPI's own measurement, the KPI
    /// gauges a PromQL expression names, the kpi= of an API path (an issues list's kind= lists records, not the KPI).
    /// </summary>
    public static IEnumerable<string> KpisShown(DashboardQuery q)
    {
        switch (q.Kind)
        {
            case "influxdb":
                var measurements = MeasurementName().Matches(q.Text).Select(m => m.Groups[1].Value).ToHashSet();
                return FieldRead().Matches(q.Text).Select(m => m.Groups[1].Value)
                    .Where(f => KpiCatalog.TryGet(f, out var d) && measurements.Contains(d.Measurement)).Distinct();
            case "prometheus":
                var metrics = MetricNameOf().Matches(q.Text).Select(m => m.Value).ToHashSet();
                return KpiCatalog.All.Where(d => metrics.Contains(d.MetricName)).Select(d => d.Id);
            default:
                return KpiInUrl().Matches(q.Text).Select(m => m.Groups[1].Value).Where(id => KpiCatalog.TryGet(id, out _)).Distinct();
        }
    }

    /// <summary>A panel's place on the dashboard's 24-column grid.</summary>
    public sealed record GridBox(string Title, int X, int Y, int W, int H)
    {
        public bool Overlaps(GridBox o) => X < o.X + o.W && o.X < X + W && Y < o.Y + o.H && o.Y < Y + H;
    }

    public static IEnumerable<GridBox> GridBoxes(JsonElement dashboard) =>
        from panel in Panels(dashboard)
        let g = panel.GetProperty("gridPos")
        select new GridBox(panel.GetProperty("title").GetString()!, g.GetProperty("x").GetInt32(), g.GetProperty("y").GetInt32(),
            g.GetProperty("w").GetInt32(), g.GetProperty("h").GetInt32());

    /// <summary>What is wrong with a dashboard's layout: panels outside the 24 columns or without size, and every pair of
    /// panels that overlap (empty when none).</summary>
    public static List<string> LayoutProblems(IReadOnlyList<GridBox> boxes)
    {
        var problems = boxes.Where(b => b.X < 0 || b.Y < 0 || b.W <= 0 || b.H <= 0 || b.X + b.W > 24)
            .Select(b => $"'{b.Title}' at x={b.X} y={b.Y} w={b.W} h={b.H} is not inside the 24-column grid").ToList();
        for (var i = 0; i < boxes.Count; i++)
            for (var j = i + 1; j < boxes.Count; j++)
                if (boxes[i].Overlaps(boxes[j])) problems.Add($"'{boxes[i].Title}' and '{boxes[j].Title}' overlap");
        return problems;
    }

    /// <summary>The expressions of every alert rule in prometheus/rules.</summary>
    public static IEnumerable<(string Alert, string Expr)> RuleExpressions()
    {
        var text = RepoRoot.ReadAllText("prometheus", "rules", "crmpulse.yml");
        // The rule files are YAML; the tests read the two keys they need: "- alert: Name" and its "expr:" (inline or a
        // "|" block of more-indented lines).
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var alert = AlertLine().Match(lines[i]);
            if (!alert.Success) continue;
            var j = i + 1;
            while (!lines[j].TrimStart().StartsWith("expr:", StringComparison.Ordinal)) j++;
            var inline = lines[j].TrimStart()["expr:".Length..].Trim();
            if (inline != "|")
            {
                yield return (alert.Groups[1].Value, inline);
                continue;
            }
            var indent = lines[j].Length - lines[j].TrimStart().Length;
            var block = new List<string>();
            for (j++; j < lines.Length && (lines[j].Trim().Length == 0 || lines[j].Length - lines[j].TrimStart().Length > indent); j++)
                block.Add(lines[j].Trim());
            yield return (alert.Groups[1].Value, string.Join(" ", block).Trim());
        }
    }

    /// <summary>
    /// A query with Grafana's macros and the dashboard's variables replaced as Grafana does for a 30-day range:
    /// $timeFilter, $__interval (1h), $__rate_interval (1m), $__range (1h), and each variable by its given value.
    /// </summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables)
    {
        var s = text.Replace("$timeFilter", "time > now() - 30d")
            .Replace("$__interval", "1h").Replace("$__rate_interval", "1m").Replace("$__range", "1h");
        foreach (var (name, value) in variables.OrderByDescending(v => v.Key.Length))
            s = s.Replace("${" + name + "}", value).Replace("$" + name, value);
        if (Variable().IsMatch(s)) throw new InvalidOperationException($"Unresolved variable in: {s}");
        return s;
    }

    [GeneratedRegex(@"\$\{?[A-Za-z_]")]
    private static partial Regex Variable();

    [GeneratedRegex(@"FROM ""(crm_[a-z_]+)""")]
    private static partial Regex MeasurementName();

    [GeneratedRegex(@"\b(?:last|sum|mean|max|min|count)\(""([a-z0-9_]+)""\)")]
    private static partial Regex FieldRead();

    [GeneratedRegex(@"crmpulse_[a-z0-9_]+")]
    private static partial Regex MetricNameOf();

    [GeneratedRegex(@"[?&]kpi=([a-z0-9_]+)")]
    private static partial Regex KpiInUrl();

    [GeneratedRegex(@"^\s*- alert: (\w+)\s*$")]
    private static partial Regex AlertLine();
}
