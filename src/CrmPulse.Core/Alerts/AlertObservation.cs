using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Alerts;

/// <summary>
/// What one evaluation of a rule found for one series.
/// </summary>
/// <param name="Source">The series' source.</param>
/// <param name="Dimensions">The series' dimensions.</param>
/// <param name="Active">True when the condition holds, false when it does not, null when it cannot be told (too few
/// baseline points, a zero baseline): the instance keeps its state.</param>
/// <param name="Value">The current value (null for an absent series).</param>
/// <param name="Baseline">The baseline median (drop and rise rules).</param>
/// <param name="At">The time of the sample the value comes from (the latest sample for absent rules, if any).</param>
public sealed record AlertObservation(string Source, Dimensions Dimensions, bool? Active, double? Value, double? Baseline, DateTimeOffset? At)
{
    /// <summary>The instance key: rule, source and dimensions ("adoption-drop|demo|team=Sales").</summary>
    public string KeyFor(string rule) => AlertInstance.MakeKey(rule, Source, Dimensions);
}
