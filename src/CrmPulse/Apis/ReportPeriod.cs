namespace CrmPulse.Apis;

/// <summary>
/// A calendar period of the leadership report in UTC: the current one [From, now] and the one before it
/// [PreviousFrom, From). Weeks start on Monday; quarters in January, April, July and October.
/// </summary>
public sealed record ReportPeriod(string Kind, DateTimeOffset PreviousFrom, DateTimeOffset From, DateTimeOffset To)
{
    public static readonly IReadOnlyList<string> Kinds = ["week", "month", "quarter"];

    /// <summary>The period of <paramref name="kind"/> that contains <paramref name="now"/>, or null for an unknown kind.</summary>
    public static ReportPeriod? Of(string kind, DateTimeOffset now)
    {
        var day = now.UtcDateTime.Date;
        DateTime from, previous;
        switch (kind)
        {
            case "week":
                from = day.AddDays(-(((int)day.DayOfWeek + 6) % 7)); // Monday = 0 … Sunday = 6
                previous = from.AddDays(-7);
                break;
            case "month":
                from = new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                previous = from.AddMonths(-1);
                break;
            case "quarter":
                from = new DateTime(day.Year, (day.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, DateTimeKind.Utc);
                previous = from.AddMonths(-3);
                break;
            default:
                return null;
        }
        return new ReportPeriod(kind, new DateTimeOffset(previous, TimeSpan.Zero), new DateTimeOffset(from, TimeSpan.Zero), now);
    }
}
