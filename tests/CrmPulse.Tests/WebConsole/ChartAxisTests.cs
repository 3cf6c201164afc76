using CrmPulse.WebConsole.Charts;

namespace CrmPulse.Tests.WebConsole;

/// <summary>The y range of a line chart: room around the data, never past a ratio's 1 or a score's 100, counts from 0.</summary>
public sealed class ChartAxisTests
{
    [Theory]
    // A score of 100 all month: ±10 % room would reach 110; the axis stops at 100 and keeps its height below.
    [InlineData("score", 100, 100, 80, 100)]
    // Every user active every week: 0.8..1, not 0.9..1.1.
    [InlineData("ratio", 1, 1, 0.8, 1)]
    // Nobody active: 0..1, not -1..1.
    [InlineData("ratio", 0, 0, 0, 1)]
    // 0.2..0.95: 10 % of the span (0.075) each side would end at 1.025; the overflow moves to the bottom: 0.1..1.
    [InlineData("ratio", 0.2, 0.95, 0.1, 1)]
    // 40..60 is well inside: 10 % of the span each side.
    [InlineData("score", 40, 60, 38, 62)]
    // Counts start at 0: 0..5.5 for values 3..5.
    [InlineData("count", 3, 5, 0, 5.5)]
    // A constant count of 5: from 0 (span 5), plus 10 % on top.
    [InlineData("count", 5, 5, 0, 5.5)]
    // Milliseconds have no top.
    [InlineData("milliseconds", 100, 300, 0, 330)]
    public void The_axis_has_room_and_stays_within_the_units_range(string unit, double min, double max, double lo, double hi)
    {
        var (y0, y1) = LineChart.Axis(min, max, unit);

        Assert.Equal(lo, y0, 9);
        Assert.Equal(hi, y1, 9);
    }
}
