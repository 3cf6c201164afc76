namespace CrmPulse.Sources.Demo;

/// <summary>Time arithmetic of the demo: everything is relative to the anchor and kept to whole seconds, as CRMs do.</summary>
internal static class DemoTime
{
    private const long SecondsPerDay = 86_400;

    /// <summary>The anchor plus a (possibly negative, fractional) number of days, truncated to the second.</summary>
    public static DateTimeOffset At(DateTimeOffset anchor, double days) =>
        anchor.AddTicks((long)Math.Floor(days * SecondsPerDay) * TimeSpan.TicksPerSecond);

    /// <summary>Day <paramref name="day"/> at <paramref name="hours"/> hours after its midnight.</summary>
    public static DateTimeOffset At(DateTimeOffset anchor, int day, double hours) => At(anchor, day + hours / 24);

    /// <summary>The day number (relative to the anchor) that contains <paramref name="t"/>.</summary>
    public static int DayOf(DateTimeOffset anchor, DateTimeOffset t) =>
        (int)Math.Floor((t - anchor).Ticks / (double)TimeSpan.TicksPerDay);

    public static bool IsWeekend(DateTimeOffset anchor, int day) =>
        anchor.AddDays(day).UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>A day's part of event ids: "h12" for 12 days before the anchor, "d3" for 3 days after.</summary>
    public static string Tag(int day) => day < 0 ? $"h{-day}" : $"d{day}";

    /// <summary>Uniform time between two instants, to the second.</summary>
    public static DateTimeOffset Between(DemoRandom rng, DateTimeOffset from, DateTimeOffset to)
    {
        var seconds = Math.Max(0, (long)((to - from).TotalSeconds));
        return from.AddTicks((long)(rng.NextDouble() * seconds) * TimeSpan.TicksPerSecond);
    }

    public static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
