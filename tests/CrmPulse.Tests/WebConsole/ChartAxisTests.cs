using CrmPulse.WebConsole;
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

    [Theory]
    // 0..5.5 over four steps is 1.375 each: the next round step is 2, and the axis widens to 0..6 (0, 2, 4, 6).
    [InlineData("count", 3, 5, 0, 6, 2)]
    // 0..9.9: 2.475 a step; 2.5 is not a whole count, so 5 (0, 5, 10).
    [InlineData("users", 2, 9, 0, 10, 5)]
    // 0.1..1: 0.225 a step, so 0.25, from 0 (0 %, 25 %, 50 %, 75 %, 100 %), still not past 1.
    [InlineData("ratio", 0.2, 0.95, 0, 1, 0.25)]
    // 0.8..1: 0.05 a step exactly.
    [InlineData("ratio", 1, 1, 0.8, 1, 0.05)]
    // 38..62: 6 a step, so 10, widened to 30..70.
    [InlineData("score", 40, 60, 30, 70, 10)]
    // 0..330: 82.5 a step, so 100, up to 400.
    [InlineData("milliseconds", 100, 300, 0, 400, 100)]
    // 95.114 %..95.186 %: a quarter of the span is below the 0.1 % a label shows, so one step of 0.1 %: 95.1 %, 95.2 %.
    [InlineData("ratio", 0.9512, 0.9518, 0.951, 0.952, 0.001)]
    public void Grid_lines_sit_on_round_steps(string unit, double min, double max, double lo, double hi, double step)
    {
        var (y0, y1, s) = LineChart.Ticks(min, max, unit);

        Assert.Equal(lo, y0, 9);
        Assert.Equal(hi, y1, 9);
        Assert.Equal(step, s, 9);
    }

    [Theory]
    [InlineData("count")]
    [InlineData("ratio")]
    [InlineData("score")]
    [InlineData("minutes")]
    [InlineData("milliseconds")]
    [InlineData("currency")]
    public void No_two_labels_read_the_same_and_each_shows_its_line_exactly(string unit)
    {
        var random = new Random(17);
        for (var n = 0; n < 2_000; n++)
        {
            var scale = unit switch { "ratio" => 1, "score" => 100, _ => Math.Pow(10, random.Next(0, 7)) };
            var a = random.NextDouble() * scale;
            var b = random.Next(4) == 0 ? a : random.NextDouble() * scale;
            var (y0, y1, step) = LineChart.Ticks(Math.Min(a, b), Math.Max(a, b), unit);

            var lines = (int)Math.Round((y1 - y0) / step);
            Assert.InRange(lines, 1, 6);
            Assert.True(y0 <= Math.Min(a, b) && y1 >= Math.Max(a, b), $"{unit} {a}..{b}: axis {y0}..{y1}");
            var labels = Enumerable.Range(0, lines + 1).Select(i => Format.Value(unit, y0 + step * i)).ToList();
            Assert.Equal(labels.Count, labels.Distinct().Count());
            for (var i = 0; i <= lines; i++)
            {
                // "95.1 %", "1,200 ms", "12.5 min": the number a reader sees is the grid line's value, not a rounding of it.
                var shown = double.Parse(new string(labels[i].Where(c => char.IsDigit(c) || c is '.' or '-').ToArray()),
                    System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(y0 + step * i, unit == "ratio" ? shown / 100 : shown, 6);
            }
        }
    }
}
