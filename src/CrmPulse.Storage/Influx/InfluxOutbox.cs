namespace CrmPulse.Storage.Influx;

/// <summary>
/// The durable outbox over the ledger: sends unsent samples (then per-user rows) to InfluxDB in append order, in
/// batches, and moves the store's cursor only after InfluxDB acknowledged a batch, so an outage of any length or a
/// crash loses nothing (a batch in flight at a crash is sent again, and overwrites itself: same series, same timestamp).
/// A retryable failure (429, 5xx, network) stops the drain and sets a backoff, honouring Retry-After; a batch refused
/// for good (other 4xx) is parked in the store and the drain goes on. One instance per process; not thread-safe.
/// </summary>
public sealed class InfluxOutbox(ICrmStore store, InfluxWriter writer, InfluxDbOptions options, TimeProvider time)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private int _failures;

    /// <summary>Where the points go (no secrets).</summary>
    public string Target => writer.Target;

    /// <summary>No attempt before this time (the backoff after a failure); null when none is pending.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    /// <summary>
    /// The reason of the failed or refused write that is still current (the server's words): null when none happened
    /// yet, and cleared by the next acknowledged write, so an admin never reads a past outage as a present one (its time
    /// stays in crmpulse_influx_last_error_timestamp_seconds; refused batches stay in the store's parked list).
    /// </summary>
    public string? LastError { get; private set; }

    /// <summary>When <see cref="LastError"/> happened; null with it.</summary>
    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <summary>When the last write failed or was refused, current or past (not cleared by a recovery).</summary>
    public DateTimeOffset? LastFailureAt { get; private set; }

    /// <summary>When InfluxDB last acknowledged a batch.</summary>
    public DateTimeOffset? LastSuccessAt { get; private set; }

    /// <summary>Points acknowledged by InfluxDB since this process started.</summary>
    public long WrittenTotal { get; private set; }

    /// <summary>Failed write attempts (retried later) since this process started.</summary>
    public long FailedAttemptsTotal { get; private set; }

    /// <summary>Batches parked since this process started.</summary>
    public long ParkedTotal { get; private set; }

    /// <summary>
    /// Sends batches until the backlog is empty or a write fails in a way worth retrying. Does nothing while the backoff
    /// of the last failure runs (see <see cref="NextAttemptAt"/>).
    /// </summary>
    public async Task<OutboxDrain> DrainAsync(CancellationToken cancellationToken)
    {
        if (NextAttemptAt is { } next && time.GetUtcNow() < next)
            return new OutboxDrain(0, 0, null, next - time.GetUtcNow(), []);
        var written = 0;
        var rejections = new List<InfluxWriteResult>();
        while (true)
        {
            var batch = await store.ReadOutboxAsync(options.BatchSize, cancellationToken);
            if (batch is null)
            {
                NextAttemptAt = null;
                return new OutboxDrain(written, rejections.Count, null, null, rejections);
            }
            var result = await writer.WriteAsync(batch.Lines, InfluxSchema.Precision, cancellationToken);
            switch (result.Outcome)
            {
                case InfluxWriteOutcome.Written:
                    await store.AcknowledgeOutboxAsync(batch, CancellationToken.None);
                    _failures = 0;
                    written += batch.Lines.Count;
                    WrittenTotal += batch.Lines.Count;
                    if (batch.Lines.Count > 0)
                    {
                        LastSuccessAt = time.GetUtcNow();
                        (LastError, LastErrorAt) = (null, null); // recovered
                    }
                    break;
                case InfluxWriteOutcome.Rejected:
                    // Sending it again would fail the same way: record it and move on, so one bad point never blocks
                    // the history behind it.
                    await store.ParkOutboxAsync(batch, result.StatusCode, result.Reason ?? "rejected", time.GetUtcNow(), CancellationToken.None);
                    ParkedTotal++;
                    rejections.Add(result);
                    Fail(result);
                    break;
                default:
                    _failures++;
                    FailedAttemptsTotal++;
                    Fail(result);
                    var delay = result.RetryAfter ?? Backoff(_failures);
                    NextAttemptAt = time.GetUtcNow() + delay;
                    return new OutboxDrain(written, rejections.Count, result, delay, rejections);
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s, … up to MaxRetryDelay.</summary>
    public TimeSpan Backoff(int failures)
    {
        var seconds = FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.MaxRetryDelay.TotalSeconds));
    }

    private void Fail(InfluxWriteResult result)
    {
        LastError = result.Reason;
        LastErrorAt = LastFailureAt = time.GetUtcNow();
    }
}
