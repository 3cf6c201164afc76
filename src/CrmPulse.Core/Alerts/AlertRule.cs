using System.Text.RegularExpressions;

namespace CrmPulse.Core.Alerts;

/// <summary>
/// One alert rule of the rules file. Durations are <see cref="TimeSpan"/>s (the host's loader also reads "5m", "2h",
/// "7d"). A rule makes one alert instance per matching series (source and dimensions).
/// </summary>
public sealed partial class AlertRule
{
    /// <summary>Unique name: lower-case letters, digits, '-' and '_' (it becomes the <c>rule</c> label). Required.</summary>
    public string Name { get; set; } = "";

    /// <summary>above, below, drop, rise or absent. Required.</summary>
    public AlertKind Kind { get; set; }

    /// <summary>
    /// The KPI id of the catalog (or any id in the ledger, e.g. probe_up). For absent rules also "@sync": the
    /// source's last successful sync. Required.
    /// </summary>
    public string Kpi { get; set; } = "";

    /// <summary>Only this source's series; default null: every source.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// Which series: a series matches when it has exactly these dimension names, each with the given value or any
    /// value for "*" (team: "*" = one instance per team). Default empty: the roll-up series (no dimensions) only.
    /// </summary>
    public Dictionary<string, string> Dimensions { get; set; } = [];

    /// <summary>above/below: the limit in the KPI's unit. drop/rise: the relative change that fires, a fraction
    /// (0.25 = 25 % below or above the baseline). Required except for absent rules.</summary>
    public double? Threshold { get; set; }

    /// <summary>drop/rise: the length of one baseline period. Default 1 day. Baseline point k is the latest sample in
    /// (current − (k+1)·Period, current − k·Period].</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(1);

    /// <summary>drop/rise: N, the number of earlier periods whose median is the baseline. Default 7, 1 to 60.</summary>
    public int Periods { get; set; } = 7;

    /// <summary>drop/rise: the fewest baseline points to compare at all (fewer: the rule cannot tell and the instance
    /// keeps its state). Default null: <see cref="Periods"/>.</summary>
    public int? MinPeriods { get; set; }

    /// <summary>drop/rise: skip samples dated (UTC) on a Saturday, Sunday or configured holiday, in the current value
    /// and in the baseline. Default true.</summary>
    public bool SkipQuietDays { get; set; } = true;

    /// <summary>absent: the age of the newest sample beyond which the series counts as absent. Required for absent.</summary>
    public TimeSpan? StaleAfter { get; set; }

    /// <summary>How long the condition must hold before the alert fires (pending until then). Default 0: at once.</summary>
    public TimeSpan For { get; set; }

    /// <summary>Resend a firing alert after this long without another notification. Default null: never.</summary>
    public TimeSpan? RemindEvery { get; set; }

    /// <summary>info, warning or critical. Default warning.</summary>
    public string Severity { get; set; } = "warning";

    /// <summary>Extra labels sent with every notification (e.g. owner: revops).</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>The summary text, with {{placeholders}}: see <see cref="AlertTemplate"/>. Default: a text naming
    /// the rule, the series and the value.</summary>
    public string? Summary { get; set; }

    /// <summary>The severities a rule may have.</summary>
    public static readonly IReadOnlyList<string> Severities = ["info", "warning", "critical"];

    /// <summary>The id of the pseudo-KPI for a source's last successful sync (absent rules only).</summary>
    public const string SyncKpi = "@sync";

    /// <summary>Every problem of this rule, each prefixed with <paramref name="where"/>.</summary>
    public IReadOnlyList<string> Validate(string where)
    {
        var errors = new List<string>();
        if (!NamePattern().IsMatch(Name)) errors.Add($"{where}: name '{Name}' may hold only lower-case letters, digits, '-' and '_' and is required.");
        if (!Enum.IsDefined(Kind)) errors.Add($"{where}: kind must be above, below, drop, rise or absent.");
        if (string.IsNullOrWhiteSpace(Kpi)) errors.Add($"{where}: kpi is required.");
        else if (Kpi == SyncKpi && Kind != AlertKind.Absent) errors.Add($"{where}: kpi '{SyncKpi}' works with kind absent only.");
        if (!Severities.Contains(Severity)) errors.Add($"{where}: severity '{Severity}' must be one of {string.Join(", ", Severities)}.");
        if (For < TimeSpan.Zero) errors.Add($"{where}: for must not be negative, was {For}.");
        if (RemindEvery is { } r && r < TimeSpan.FromMinutes(1)) errors.Add($"{where}: remindEvery must be at least 1 minute, was {r}.");
        switch (Kind)
        {
            case AlertKind.Above or AlertKind.Below when Threshold is null:
                errors.Add($"{where}: threshold is required for kind {Kind.ToString().ToLowerInvariant()}.");
                break;
            case AlertKind.Drop or AlertKind.Rise:
                if (Threshold is not (> 0 and < 10)) errors.Add($"{where}: threshold must be a fraction above 0 (0.25 = 25 %), was {Threshold?.ToString() ?? "missing"}.");
                if (Period < TimeSpan.FromMinutes(1)) errors.Add($"{where}: period must be at least 1 minute, was {Period}.");
                if (Periods is < 1 or > 60) errors.Add($"{where}: periods must be between 1 and 60, was {Periods}.");
                if (MinPeriods is { } m && (m < 1 || m > Periods)) errors.Add($"{where}: minPeriods must be between 1 and periods ({Periods}), was {m}.");
                break;
            case AlertKind.Absent when StaleAfter is not { } s || s <= TimeSpan.Zero:
                errors.Add($"{where}: staleAfter (a positive duration) is required for kind absent.");
                break;
        }
        foreach (var (name, value) in Dimensions)
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(value)) errors.Add($"{where}: dimensions need a name and a value (\"*\" for any), got '{name}': '{value}'.");
        }
        if (Summary is not null) errors.AddRange(AlertTemplate.Check(Summary, this).Select(p => $"{where}: summary: {p}"));
        return errors;
    }

    /// <summary>drop/rise: the furthest baseline period looked at, 2·Periods + 2: enough to step over the weekends
    /// (and a few holidays or gaps) of daily periods without reading the whole history.</summary>
    public int MaxSteps => 2 * Periods + 2;

    /// <summary>How far back the ledger is read to evaluate this rule at one time.</summary>
    public TimeSpan Lookback => Kind switch
    {
        AlertKind.Drop or AlertKind.Rise => Period * (MaxSteps + 1),
        // The latest sample within a day (or the period, if longer): an older one says nothing about now.
        _ => Period > TimeSpan.FromDays(1) ? Period : TimeSpan.FromDays(1),
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
