namespace CrmPulse.Core.Kpis;

/// <summary>
/// Day counting for pipeline ages: calendar days, or business days (Monday to Friday minus holidays). Dates are UTC
/// dates, whatever offset an instant carries, so that every source and every host counts the same days.
/// </summary>
internal sealed class BusinessCalendar(bool businessDays, IEnumerable<DateOnly> holidays)
{
    private readonly HashSet<DateOnly> _holidays = [.. holidays];

    public static BusinessCalendar For(PipelineOptions options) => new(options.BusinessDays, options.Holidays);

    public bool CountsBusinessDays => businessDays;

    public bool IsBusinessDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(date);

    /// <summary>
    /// The age of <paramref name="from"/> at <paramref name="to"/> in days: exact elapsed days (fractional) on the
    /// calendar; with business days, the number of business dates d with date(from) &lt; d ≤ date(to) (whole days:
    /// a Friday-afternoon event is 1 business day old on Monday).
    /// </summary>
    public double Age(DateTimeOffset from, DateTimeOffset to)
    {
        if (!businessDays) return (to - from).TotalDays;
        var start = UtcDate(from);
        var end = UtcDate(to);
        var count = 0;
        for (var d = start.AddDays(1); d <= end; d = d.AddDays(1))
        {
            if (IsBusinessDay(d)) count++;
        }
        return count;
    }

    /// <summary>True when <paramref name="t"/> is less than <paramref name="days"/> days old at <paramref name="asOf"/>
    /// (and not later than it): on the calendar, asOf − days &lt; t ≤ asOf, the usual trailing window.</summary>
    public bool Within(DateTimeOffset t, DateTimeOffset asOf, int days) => t <= asOf && Age(t, asOf) < days;

    public static DateOnly UtcDate(DateTimeOffset t) => DateOnly.FromDateTime(t.UtcDateTime);
}
