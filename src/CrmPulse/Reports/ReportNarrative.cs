using System.Globalization;
using CrmPulse.Apis;
using CrmPulse.WebConsole;

namespace CrmPulse.Reports;

/// <summary>
/// The report's few sentences, written from its numbers only: the team that slipped most and the one that gained most,
/// how each leadership KPI moved against the previous period, and where each stands against its target. Pure.
/// </summary>
public static class ReportNarrative
{
    /// <summary>At most this many KPI sentences (the report's order: adoption first).</summary>
    public const int MaxKpiSentences = 6;

    public static IReadOnlyList<string> Write(LeadershipReport summary, IReadOnlyList<ReportModel.TeamMover> teamChanges)
    {
        var sentences = new List<string>();
        if (summary.Kpis.Count == 0)
        {
            sentences.Add("No leadership KPI has a value in this period or the previous one yet.");
            return sentences;
        }
        var several = summary.Kpis.Select(k => k.Source).Distinct().Count() > 1;
        string Where(string source) => several ? $" ({source})" : "";

        var worst = teamChanges.Where(m => Format.Tone(m.Direction, m.Change) == "bad").OrderByDescending(m => Math.Abs(m.ChangeRatio))
            .ThenBy(m => m.Team, StringComparer.Ordinal).FirstOrDefault();
        if (worst is not null)
            sentences.Add($"{Format.Label(worst.Kpi)} {Verb(worst.Change)} {Magnitude(worst.Unit, worst.Change)} in {worst.Team}{Where(worst.Source)}, "
                + $"to {Format.Value(worst.Unit, worst.Current)}: the largest setback among the teams.");
        var best = teamChanges.Where(m => Format.Tone(m.Direction, m.Change) == "good").OrderByDescending(m => Math.Abs(m.ChangeRatio))
            .ThenBy(m => m.Team, StringComparer.Ordinal).FirstOrDefault();
        if (best is not null)
            sentences.Add($"{Format.Label(best.Kpi)} {Verb(best.Change)} {Magnitude(best.Unit, best.Change)} in {best.Team}{Where(best.Source)}, "
                + $"to {Format.Value(best.Unit, best.Current)}: the largest gain.");

        foreach (var k in summary.Kpis.Where(k => k.Current is not null).Take(MaxKpiSentences))
        {
            var label = Lower(Format.Label(k.Kpi));
            var now = Format.Value(k.Unit, k.Current!.Value);
            sentences.Add(k.Change switch
            {
                null => $"The {label}{Where(k.Source)} is {now}, with no value in the previous period to compare.",
                0 => $"The {label}{Where(k.Source)} held at {now}.",
                var c => $"The {label}{Where(k.Source)} {Verb(c.Value)} {Magnitude(k.Unit, c.Value)} to {now} (from {Format.Value(k.Unit, k.Previous!.Value)}).",
            });
        }
        foreach (var k in summary.Kpis.Where(k => k.Target is not null))
        {
            var t = k.Target!;
            var target = $"{Format.Value(k.Unit, t.Value)} by {t.By.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            sentences.Add(t.Status switch
            {
                "met" => $"The {Lower(Format.Label(k.Kpi))}{Where(k.Source)} has met its target of {target}.",
                "on_track" => $"The {Lower(Format.Label(k.Kpi))}{Where(k.Source)} is on track for its target of {target}.",
                _ => $"The {Lower(Format.Label(k.Kpi))}{Where(k.Source)} is off track for its target of {target}"
                     + (t.Projected is not { } p ? "."
                         // A line through a falling ratio can project below 0 %: say what it means, not the number.
                         : (k.Unit == "ratio" && p is < 0 or > 1) || (k.Unit == "score" && p is < 0 or > 100) ? " (its 30-day trend does not reach it)."
                         : $" (its 30-day trend reaches {Format.Value(k.Unit, p)})."),
            });
        }
        return sentences;
    }

    private static string Verb(double change) => change > 0 ? "rose" : "fell";

    /// <summary>The size of a change in words: ratios in points ("12.0 points"), others in their unit.</summary>
    public static string Magnitude(string unit, double change)
    {
        var abs = Math.Abs(change);
        return unit switch
        {
            "ratio" => (abs * 100).ToString("0.0", CultureInfo.InvariantCulture) + " points",
            "days" => abs.ToString("0.0", CultureInfo.InvariantCulture) + " days",
            "minutes" => abs.ToString("0.0", CultureInfo.InvariantCulture) + " minutes",
            "count" or "users" or "currency" => abs.ToString("N0", CultureInfo.InvariantCulture),
            _ => abs.ToString("0.0", CultureInfo.InvariantCulture),
        };
    }

    private static string Lower(string label) => label.Length > 1 && char.IsUpper(label[0]) && !char.IsUpper(label[1])
        ? char.ToLowerInvariant(label[0]) + label[1..] : label;
}
