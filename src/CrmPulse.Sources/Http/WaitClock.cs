namespace CrmPulse.Sources.Http;

/// <summary>
/// A clock whose timers wait through a given function: the retry strategy's back-off waits then go through the source's
/// wait (Task.Delay on the real clock in production; tests record the waits and go on at once). Time is read from
/// <paramref name="time"/>. Only for the retry pipeline: timeouts need a clock whose timers really run.
/// </summary>
internal sealed class WaitClock(TimeProvider time, Func<TimeSpan, CancellationToken, Task> wait) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override long GetTimestamp() => time.GetTimestamp();

    public override long TimestampFrequency => time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => time.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new WaitTimer(callback, state, dueTime, wait);

    /// <summary>A one-shot timer (the retry's waits never repeat): fires once after the wait unless disposed first.</summary>
    private sealed class WaitTimer : ITimer
    {
        private readonly CancellationTokenSource _stop = new();

        public WaitTimer(TimerCallback callback, object? state, TimeSpan dueTime, Func<TimeSpan, CancellationToken, Task> wait)
        {
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            _ = Fire();

            async Task Fire()
            {
                try
                {
                    await wait(dueTime, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (!_stop.IsCancellationRequested) callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose() => _stop.Cancel();

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
