using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Model;

/// <summary>Instants held as narrow as their values allow (<see cref="InstantArray"/>) read back exactly as added.</summary>
public sealed class InstantColumnTests
{
    private const long Second = TimeSpan.TicksPerSecond, Millisecond = TimeSpan.TicksPerMillisecond;

    // Not on a whole second itself: the unit divides the distances from the base, not the ticks.
    private const long Base = 7;

    private static InstantColumn Column(params DateTimeOffset?[] instants)
    {
        var builder = new InstantColumn.Builder(capacity: 1);
        foreach (var at in instants) builder.Add(at);
        return builder.Build(instants.Length);
    }

    private static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    private static void AssertReadsBack(DateTimeOffset?[] instants, InstantColumn column)
    {
        Assert.Equal(instants.Length, column.UtcTicks.Length);
        for (var i = 0; i < instants.Length; i++)
        {
            Assert.Equal(instants[i]?.UtcTicks ?? InstantColumn.None, column.UtcTicks[i]);
            Assert.Equal(instants[i], column.AtOrNull(i));
            Assert.Equal(instants[i]?.Offset, column.AtOrNull(i)?.Offset); // equality of instants ignores the offset
        }
    }

    [Theory]
    [InlineData(Second, 1)]
    [InlineData(Second, 2)]
    [InlineData(Second, 3)]
    [InlineData(Second, 4)] // whole seconds over up to 136 years (Salesforce)
    [InlineData(Second, 5)] // the most seconds need: 2^40 s is beyond year 9999
    [InlineData(Millisecond, 1)]
    [InlineData(Millisecond, 2)]
    [InlineData(Millisecond, 3)]
    [InlineData(Millisecond, 4)]
    [InlineData(Millisecond, 5)] // milliseconds over up to 34 years (HubSpot)
    [InlineData(Millisecond, 6)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(1, 4)]
    [InlineData(1, 5)]
    [InlineData(1, 6)]
    [InlineData(1, 7)]
    [InlineData(1, 8)] // ticks over more than 228 years: the full ticks
    public void Each_unit_and_width_reads_back_the_same(long unit, int width)
    {
        // The widest distance the width holds (stored as distance + 1, 0 being None), or the latest instant there is.
        var steps = width == 8 ? long.MaxValue : (1L << (8 * width)) - 2;
        var top = Base + Math.Min(steps, (DateTime.MaxValue.Ticks - Base) / unit) * unit;
        DateTimeOffset?[] instants =
        [
            Utc(top), null, Utc(Base), Utc(Base + unit),
            // An offset kept beside the ticks.
            Utc(Base + (top - Base) / unit / 2 * unit).ToOffset(TimeSpan.FromMinutes(330)),
            Utc(top - unit), null,
        ];

        var column = Column(instants);

        Assert.Equal(width, column.UtcTicks.Width);
        Assert.Equal(unit, column.UtcTicks.Unit);
        AssertReadsBack(instants, column);
        if (steps < (DateTime.MaxValue.Ticks - Base) / unit)
        {
            // One step more no longer fits: a byte more.
            DateTimeOffset?[] wider = [Utc(Base), Utc(top + unit), null];
            var next = Column(wider);
            Assert.Equal(width + 1, next.UtcTicks.Width);
            AssertReadsBack(wider, next);
        }
    }

    [Fact]
    public void The_extremes_at_tick_precision_keep_full_ticks()
    {
        DateTimeOffset?[] instants =
        [
            DateTimeOffset.MaxValue, null, DateTimeOffset.MinValue, DateTimeOffset.MinValue.AddTicks(1),
            DateTimeOffset.MaxValue.AddTicks(-1), new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.FromHours(-5)),
        ];

        var column = Column(instants);

        Assert.Equal(8, column.UtcTicks.Width);
        Assert.Equal(1, column.UtcTicks.Unit);
        AssertReadsBack(instants, column);
    }

    [Fact]
    public void The_coarsest_unit_every_distance_allows_is_taken()
    {
        var t0 = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        // Whole seconds but one millisecond apart from the rest, then one tick apart.
        DateTimeOffset?[] seconds = [t0, t0.AddSeconds(59), null, t0.AddDays(-400)];
        DateTimeOffset?[] millis = [.. seconds, t0.AddMilliseconds(1)];
        DateTimeOffset?[] ticks = [.. millis, t0.AddTicks(-1)];

        Assert.Equal((Second, 4), (Column(seconds).UtcTicks.Unit, Column(seconds).UtcTicks.Width));
        Assert.Equal((Millisecond, 5), (Column(millis).UtcTicks.Unit, Column(millis).UtcTicks.Width));
        Assert.Equal((1L, 7), (Column(ticks).UtcTicks.Unit, Column(ticks).UtcTicks.Width));
        AssertReadsBack(seconds, Column(seconds));
        AssertReadsBack(millis, Column(millis));
        AssertReadsBack(ticks, Column(ticks));
    }

    [Fact]
    public void A_column_of_no_instant_is_one_byte_a_row_and_a_row_past_the_end_fails()
    {
        var none = Column(null, null, null);
        var one = Column(DateTimeOffset.MaxValue);
        var empty = Column();

        Assert.Equal(1, none.UtcTicks.Width);
        Assert.Equal([InstantColumn.None, InstantColumn.None, InstantColumn.None], Enumerable.Range(0, 3).Select(i => none.UtcTicks[i]));
        Assert.Equal(1, one.UtcTicks.Width);
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, one.UtcTicks[0]);
        Assert.Equal(0, empty.UtcTicks.Length);
        // The padding would read as None: a row past the end must fail as an array would.
        Assert.Throws<IndexOutOfRangeException>(() => none.UtcTicks[3]);
        Assert.Throws<IndexOutOfRangeException>(() => none.UtcTicks[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => empty.UtcTicks[0]);
    }
}
