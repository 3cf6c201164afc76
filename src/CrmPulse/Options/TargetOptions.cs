namespace CrmPulse.Options;

/// <summary>
/// One entry of CrmPulse:Targets: a KPI series should reach <see cref="Value"/> by <see cref="By"/>. The KPI's catalog
/// direction says whether "reach" means at least (higher is better) or at most (lower is better).
/// </summary>
public sealed class TargetOptions
{
    /// <summary>The KPI's catalog id. Required; its direction must not be neutral.</summary>
    public string? Kpi { get; set; }

    /// <summary>The series' dimensions (e.g. team: Sales), each one the KPI has. None: the roll-up.</summary>
    public Dictionary<string, string> Dimensions { get; set; } = [];

    /// <summary>The target value, in the KPI's unit. Required.</summary>
    public double? Value { get; set; }

    /// <summary>The date (yyyy-MM-dd, UTC, inclusive) by which the target should be met. Required.</summary>
    public DateOnly? By { get; set; }

    /// <summary>Only this source's series. Default: every source.</summary>
    public string? Source { get; set; }
}
