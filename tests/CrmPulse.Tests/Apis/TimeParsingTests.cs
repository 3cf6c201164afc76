using CrmPulse.Apis;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Tests.Apis;

public sealed class TimeParsingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-03-01T00:00:00Z", "2026-03-01T00:00:00+00:00")]
    [InlineData("2026-03-01T02:00:00+02:00", "2026-03-01T00:00:00+00:00")]
    [InlineData("1772323200000", "2026-03-01T00:00:00+00:00")]
    [InlineData("now", "2026-03-10T12:00:00+00:00")]
    [InlineData("now-7d", "2026-03-03T12:00:00+00:00")]
    [InlineData("now-90m", "2026-03-10T10:30:00+00:00")]
    public void Times_parse_to_the_right_instant(string text, string expected)
    {
        Assert.True(TimeParsing.TryParseTime(text, Now, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("now-7x")]
    [InlineData("")]
    [InlineData("99999999999999999")]
    [InlineData("now-1000000d")]          // before year 1: used to throw (a 500)
    [InlineData("now-99999999d")]
    [InlineData("now-739685d")]           // half a day before 0001-01-01 as seen from 2026-03-10 12:00
    public void Bad_times_are_rejected(string text) => Assert.False(TimeParsing.TryParseTime(text, Now, out _));

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86400)]
    [InlineData("1w", 604800)]
    [InlineData("01:00:00", 3600)]
    [InlineData("10675199d", 922337193600)]
    public void Durations_parse(string text, double seconds)
    {
        Assert.True(TimeParsing.TryParseDuration(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("soon")]
    public void Bad_durations_are_rejected(string text) => Assert.False(TimeParsing.TryParseDuration(text, out _));

    [Fact]
    public void Stepped_points_keep_the_last_sample_of_each_step_stamped_at_its_start()
    {
        var from = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        KpiSample At(int minutes, double v) => new("licensed_users", "s", Dimensions.None, v, from.AddMinutes(minutes));
        // Steps of 1 h from 00:00: [00:00,01:00) holds 1 (00:00) and 2 (00:59) -> 2; [01:00,02:00) holds 3 (01:00) -> 3;
        // [02:00,03:00) is empty -> no point; [03:00,04:00) holds 4 (03:30) -> 4.
        var points = KpiApi.Points([At(0, 1), At(59, 2), At(60, 3), At(210, 4)], from, TimeSpan.FromHours(1));

        var hour = 3_600_000L;
        var start = from.ToUnixTimeMilliseconds();
        Assert.Equal([[2, start], [3, start + hour], [4, start + 3 * hour]], points.Select(p => p.ToArray()).ToArray());
    }

    [Theory]
    [InlineData("99999999d")]   // longer than a TimeSpan: used to throw (a 500)
    [InlineData("10675200d")]
    [InlineData("1e9w")]
    [InlineData("0s")]
    public void Durations_beyond_range_or_not_positive_are_rejected(string text) => Assert.False(TimeParsing.TryParseDuration(text, out _));

    [Fact]
    public void The_earliest_time_reachable_from_now_is_year_1() =>
        Assert.True(TimeParsing.TryParseTime("now-739684d", Now, out var t) && t.Year == 1);
}
