using System.Globalization;
using System.Text.RegularExpressions;

namespace CrmPulse.Core.Alerts;

/// <summary>
/// Fills a rule's summary: {{rule}}, {{kpi}}, {{source}}, {{severity}}, {{value}}, {{baseline}} (numbers with up to 3
/// decimals, "n/a" when unknown), {{change}} (the relative change versus the baseline, "-42%"), {{since}} (the time of
/// the value's sample, ISO 8601), each dimension name of the rule ({{team}}) and each label name.
/// </summary>
public static partial class AlertTemplate
{
    private static readonly string[] Fixed = ["rule", "kpi", "source", "severity", "value", "baseline", "change", "since"];

    /// <summary>The summary used when a rule has none.</summary>
    public static string DefaultFor(AlertRule rule) => rule.Kind switch
    {
        AlertKind.Drop or AlertKind.Rise => "{{rule}}: {{kpi}} of {{source}}" + DimensionPart(rule) + " is {{value}}, {{change}} versus the baseline {{baseline}}",
        AlertKind.Absent => "{{rule}}: no fresh {{kpi}} from {{source}}" + DimensionPart(rule) + " since {{since}}",
        _ => "{{rule}}: {{kpi}} of {{source}}" + DimensionPart(rule) + " is {{value}}",
    };

    /// <summary>Problems of a template: placeholders that nothing fills.</summary>
    public static IReadOnlyList<string> Check(string template, AlertRule rule)
    {
        var known = Fixed.Concat(rule.Dimensions.Keys).Concat(rule.Labels.Keys).ToHashSet(StringComparer.Ordinal);
        return Placeholder().Matches(template).Select(m => m.Groups[1].Value).Where(n => !known.Contains(n)).Distinct()
            .Select(n => $"unknown placeholder {{{{{n}}}}} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})").ToList();
    }

    /// <summary>Fills the rule's summary (or the default one) for one observation.</summary>
    public static string Render(AlertRule rule, AlertObservation observation)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rule"] = rule.Name,
            ["kpi"] = rule.Kpi,
            ["source"] = observation.Source,
            ["severity"] = rule.Severity,
            ["value"] = Number(observation.Value),
            ["baseline"] = Number(observation.Baseline),
            ["change"] = observation is { Value: { } v, Baseline: { } b } && b != 0
                ? ((v - b) / b).ToString("+0%;-0%;0%", CultureInfo.InvariantCulture)
                : "n/a",
            ["since"] = observation.At?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "never",
        };
        foreach (var (name, value) in rule.Labels) values.TryAdd(name, value);
        foreach (var pair in observation.Dimensions.Pairs) values[pair.Key] = pair.Value;
        return Placeholder().Replace(rule.Summary ?? DefaultFor(rule), m => values.GetValueOrDefault(m.Groups[1].Value, ""));
    }

    /// <summary>Up to 3 decimals, invariant; "n/a" when unknown.</summary>
    public static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "n/a";

    private static string DimensionPart(AlertRule rule) =>
        rule.Dimensions.Count == 0 ? "" : " (" + string.Join(", ", rule.Dimensions.Keys.Order(StringComparer.Ordinal).Select(k => $"{k} {{{{{k}}}}}")) + ")";

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
