namespace CrmPulse.Core.Alerts;

/// <summary>
/// Saturdays, Sundays and configured holidays, by UTC date: days when a CRM is quiet, skipped by drop and rise rules so
/// that a weekend never reads as a drop (and a Monday never as a rise).
/// </summary>
public sealed class QuietDays(IEnumerable<DateOnly> holidays)
{
    private readonly HashSet<DateOnly> _holidays = [.. holidays];

    /// <summary>Weekends only.</summary>
    public static readonly QuietDays WeekendsOnly = new([]);

    public bool IsQuiet(DateTimeOffset time)
    {
        var date = DateOnly.FromDateTime(time.UtcDateTime);
        return date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || _holidays.Contains(date);
    }
}
