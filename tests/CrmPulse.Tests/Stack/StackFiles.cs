using System.Text.Json;
using System.Text.RegularExpressions;
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

    [GeneratedRegex(@"^\s*- alert: (\w+)\s*$")]
    private static partial Regex AlertLine();
}
