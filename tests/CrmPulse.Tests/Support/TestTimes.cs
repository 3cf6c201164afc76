namespace CrmPulse.Tests.Support;

/// <summary>
/// Fixed instants the in-process hosts run at, so no test depends on the time of day or the date it runs
/// (<see cref="Apis.TimeOfDayTests"/> runs the hand-computed org at several times of one day).
/// </summary>
public static class TestTimes
{
    /// <summary>A Tuesday afternoon, when the demo has already created the day's first contacts.</summary>
    public static readonly DateTimeOffset Afternoon = new(2026, 3, 10, 17, 40, 0, TimeSpan.Zero);

    /// <summary>The UTC midnight that starts that day: a demo anchored there holds exactly its configured records.</summary>
    public static readonly DateTimeOffset Midnight = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A clock standing at <paramref name="at"/> (timers stay real).</summary>
    public static FakeClock Clock(DateTimeOffset at) => new(at);
}
