using CrmPulse.Apis;

namespace CrmPulse.Tests.Reports;

public sealed class ReportPeriodTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("week", 2026, 3, 18, 2026, 3, 9, 2026, 3, 16)]    // Wednesday: this week from Monday the 16th
    [InlineData("week", 2026, 3, 22, 2026, 3, 9, 2026, 3, 16)]    // Sunday still belongs to the week of Monday the 16th
    [InlineData("week", 2026, 3, 16, 2026, 3, 9, 2026, 3, 16)]    // Monday itself starts it
    [InlineData("month", 2026, 1, 18, 2025, 12, 1, 2026, 1, 1)]   // January: the previous month is last December
    [InlineData("quarter", 2026, 2, 18, 2025, 10, 1, 2026, 1, 1)] // Q1: the previous quarter is Q4 of last year
    [InlineData("quarter", 2026, 12, 31, 2026, 7, 1, 2026, 10, 1)]
    public void The_current_period_contains_now_and_the_previous_one_ends_where_it_starts(
        string kind, int y, int m, int d, int py, int pm, int pd, int fy, int fm, int fd)
    {
        var now = Utc(y, m, d, 12);

        var period = ReportPeriod.Of(kind, now);

        Assert.Equal(new ReportPeriod(kind, Utc(py, pm, pd), Utc(fy, fm, fd), now), period);
    }

    [Fact]
    public void An_unknown_period_has_none()
    {
        Assert.Null(ReportPeriod.Of("year", Utc(2026, 3, 18)));
    }
}
