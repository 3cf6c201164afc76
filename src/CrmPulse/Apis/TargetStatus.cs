namespace CrmPulse.Apis;

/// <summary>Progress of a KPI series to its configured target.</summary>
/// <param name="Value">The target value.</param>
/// <param name="By">The date (UTC, inclusive) by which it should be met.</param>
/// <param name="Gap">Signed so that positive is better: value − target when higher is better, target − value when lower
/// is better. Met when ≥ 0.</param>
/// <param name="Status">"met", "on_track" (the 30-day linear trend reaches the target by the date) or "off_track".</param>
/// <param name="Projected">The trend's value at the end of <paramref name="By"/>, when there is a trend (two or more samples).</param>
public sealed record TargetStatus(double Value, DateOnly By, double Gap, string Status, double? Projected);
