using CrmPulse.Core.Sources;
using CrmPulse.Sources.ActiveCampaign;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>A fake ActiveCampaign, a source pointed at it, a memory mirror, and the waits the source asked for.</summary>
internal sealed class ActiveCampaignHarness : IDisposable
{
    public const string TokenEnv = "CRMPULSE_TEST_ACTIVECAMPAIGN_TOKEN";

    private ActiveCampaignSource? _source;

    static ActiveCampaignHarness()
    {
        // Every test uses the same, obviously fake token, so setting it process-wide is safe under parallel tests.
        Environment.SetEnvironmentVariable(TokenEnv, FakeActiveCampaign.Token);
    }

    public ActiveCampaignHarness()
    {
        Options = new ActiveCampaignSourceOptions { BaseUrl = Server.BaseUrl, TokenEnv = TokenEnv, RequestTimeout = TimeSpan.FromSeconds(20) };
    }

    public FakeActiveCampaign Server { get; } = new();

    public ActiveCampaignSourceOptions Options { get; }

    public WaitRecordingClock Clock { get; } = new(new DateTimeOffset(2024, 11, 1, 12, 0, 0, TimeSpan.Zero));

    public MemoryMirror Mirror { get; } = new();

    public ActiveCampaignSource Source => _source ??= new ActiveCampaignSource("ac", Options, Clock);

    /// <summary>Pulls with the mirror's watermarks and applies the result, as the host does.</summary>
    public async Task<ChangeSet> SyncAsync()
    {
        var changes = await Source.PullAsync(Mirror.Watermarks, CancellationToken.None);
        Mirror.Apply(changes);
        return changes;
    }

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// A clock that says what the test tells it to, and whose timers fire at once: every wait (pacing, Retry-After,
/// back-off) is recorded instead of slept.
/// </summary>
internal sealed class WaitRecordingClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public List<TimeSpan> Waits { get; } = [];

    public override DateTimeOffset GetUtcNow() => Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan) return base.CreateTimer(callback, state, dueTime, period);
        lock (Waits) Waits.Add(dueTime);
        return base.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
