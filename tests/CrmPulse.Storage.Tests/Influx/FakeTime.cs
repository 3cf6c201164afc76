namespace CrmPulse.Storage.Tests.Influx;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class FakeTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
