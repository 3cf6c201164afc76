using System.Globalization;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole;

/// <summary>How the console and the report write a KPI value or change in its unit. One place, so page, HTML and PDF agree.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The value in its unit: ratios as percentages, counts with thousands separators.</summary>
    public static string Value(string unit, double value) => unit switch
    {
        "ratio" => (value * 100).ToString("0.0", Invariant) + " %",
        "score" => value.ToString("0.0", Invariant),
        "count" or "users" => value.ToString("N0", Invariant),
        "currency" => value.ToString("N0", Invariant),
        "minutes" => value.ToString("0.0", Invariant) + " min",
        "days" => value.ToString("0.0", Invariant) + " d",
        "milliseconds" => value.ToString("N0", Invariant) + " ms",
        "flag" => value >= 1 ? "yes" : "no",
        _ => value.ToString("0.##", Invariant),
    };

    /// <summary>A change in the unit, signed: ratios in percentage points ("+3.1 pts").</summary>
    public static string Change(string unit, double change)
    {
        var sign = change > 0 ? "+" : change < 0 ? "−" : "±";
        var abs = Math.Abs(change);
        return unit switch
        {
            "ratio" => sign + (abs * 100).ToString("0.0", Invariant) + " pts",
            "count" or "users" or "currency" => sign + abs.ToString("N0", Invariant),
            "minutes" => sign + abs.ToString("0.0", Invariant) + " min",
            "days" => sign + abs.ToString("0.0", Invariant) + " d",
            "milliseconds" => sign + abs.ToString("N0", Invariant) + " ms",
            _ => sign + abs.ToString("0.0", Invariant),
        };
    }

    /// <summary>"good", "bad" or "neutral": whether a change is for the better by the KPI's direction.</summary>
    public static string Tone(string direction, double? change) =>
        change is not { } c || c == 0 || direction == "neutral" ? "neutral"
        : (direction == "higher_is_better") == (c > 0) ? "good" : "bad";

    /// <summary>The KPI id as words: "weekly_active_ratio" → "Weekly active ratio".</summary>
    public static string Label(string kpi) => Labels.TryGetValue(kpi, out var l) ? l : Sentence(kpi.Replace('_', ' '));

    /// <summary>Dimensions as text: "team Sales, object contact"; "all" for the roll-up.</summary>
    public static string Dimensions(IReadOnlyDictionary<string, string> dims) =>
        dims.Count == 0 ? "all" : string.Join(", ", dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}"));

    /// <summary>A time as "2026-03-10 12:00 UTC".</summary>
    public static string Time(DateTimeOffset? time) => time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC" : "never";

    /// <summary>How long ago: "5 min ago", "3 h ago", "2 d ago".</summary>
    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t) return "never";
        var age = now - t;
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} d ago";
    }

    /// <summary>The unit of a catalog KPI ("count" when unknown).</summary>
    public static string UnitOf(string kpi) => KpiCatalog.TryGet(kpi, out var d) ? d.Unit : "count";

    private static string Sentence(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["rfm_accounts"] = "Accounts ranked by RFM",
        ["data_quality_score"] = "Data-quality score",
        ["weekly_active_ratio"] = "Weekly active ratio",
        ["active_contributor_ratio"] = "Active contributors",
        ["lead_response_time_median"] = "Lead response (median)",
        ["sales_cycle_median"] = "Sales cycle (median)",
        ["new_revenue_30d"] = "New revenue (30 days)",
        ["open_pipeline_value"] = "Open pipeline",
        ["crm_api_headroom_ratio"] = "CRM API headroom",
    };
}
