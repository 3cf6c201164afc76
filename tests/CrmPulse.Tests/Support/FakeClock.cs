namespace CrmPulse.Tests.Support;

/// <summary>A clock the test sets: only GetUtcNow is faked (timers stay real).</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
