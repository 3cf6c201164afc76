using CrmPulse.Metrics;
using CrmPulse.Storage;
using CrmPulse.Storage.Influx;

namespace CrmPulse.Publishing;

/// <summary>
/// Drives the InfluxDB outbox: drains it every FlushEvery, waits out the backoff
/// after a failure, logs an outage once when it starts and once when it ends, logs each reason InfluxDB gives for
/// refusing a batch once, and keeps the outbox gauges current. Registered only when InfluxDb is enabled.
/// </summary>
public sealed class InfluxPublisher(
    InfluxOutbox outbox,
    ICrmStore store,
    InfluxDbOptions options,
    InfluxMetrics metrics,
    TimeProvider time,
    ILogger<InfluxPublisher> log,
    Cluster.ClusterLocks? locks = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _reasonsLogged = new(StringComparer.Ordinal);
    private bool _failing;

    public InfluxOutbox Outbox => outbox;

    /// <summary>The loop of the hosted service: until stopped.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("Publishing KPI history to InfluxDB at {Target}", outbox.Target);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var drain = await DrainOnceAsync(stoppingToken);
                wait = drain.RetryIn ?? options.FlushEvery;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store itself failed (disk full, locked): try again on the next tick.
                log.LogError(e, "InfluxDB outbox could not read or update the store: {Error}", e.Message);
                wait = options.FlushEvery;
            }
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// For the one-shot commands (--once, backfill): drains until the outbox is empty or a write fails (no waiting out a
    /// backoff: what is left goes out with the daemon). Returns the points written and a one-line summary.
    /// </summary>
    public async Task<(long Written, string Summary)> DrainAllAsync(CancellationToken cancellationToken)
    {
        long written = 0;
        while (true)
        {
            var drain = await DrainOnceAsync(cancellationToken);
            written += drain.Written;
            if (drain.Failure is not null || drain.RetryIn is not null || (drain.Written == 0 && drain.Parked == 0)) break;
        }
        var status = await store.GetOutboxStatusAsync(cancellationToken);
        var summary = $"InfluxDB ({outbox.Target}): {written} point(s) written; {status.PendingSamples} sample(s) still pending"
            + (status.PendingSamples == 0 || outbox.LastError is null ? "." : $"; last error: {outbox.LastError}. The daemon sends the rest when InfluxDB answers.");
        return (written, summary);
    }

    /// <summary>
    /// One drain, logged and counted; one at a time (the loop and the commands share it), and in a cluster one node at a
    /// time: the others find the drainer's lock taken and write nothing (an empty drain). The cursor moves only after
    /// InfluxDB acknowledged a batch, so a drainer that dies mid-batch leaves it to the next (InfluxDB stores a point
    /// written twice once: same series, same time).
    /// </summary>
    public async Task<OutboxDrain> DrainOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        IAsyncDisposable? drainer = null;
        try
        {
            if (locks is not null && (drainer = await locks.TryAcquireAsync(Cluster.ClusterLocks.Outbox, cancellationToken)) is null)
            {
                await UpdateGaugesAsync(cancellationToken);
                return new OutboxDrain(0, 0, null, null, []);
            }
            var drain = await outbox.DrainAsync(cancellationToken);
            Report(drain);
            await UpdateGaugesAsync(cancellationToken);
            return drain;
        }
        finally
        {
            if (drainer is not null) await drainer.DisposeAsync();
            _gate.Release();
        }
    }

    private void Report(OutboxDrain drain)
    {
        if (drain.Written > 0) metrics.PointsWritten.Inc(drain.Written);
        if (outbox.LastSuccessAt is { } ok) metrics.LastSuccess.Set(ok.ToUnixTimeMilliseconds() / 1000.0);
        if (outbox.LastFailureAt is { } bad) metrics.LastError.Set(bad.ToUnixTimeMilliseconds() / 1000.0);
        foreach (var group in drain.Rejections.GroupBy(r => r.Reason ?? "rejected"))
        {
            // Logged once per distinct reason: a bad token must not flood the log with one line per batch.
            if (_reasonsLogged.Add(group.Key))
                log.LogError("InfluxDB refused {Count} batch(es) for good and they were parked (see /api/publishers/influxdb): {Reason}", group.Count(), group.Key);
            else
                log.LogDebug("InfluxDB refused {Count} more batch(es) for the same reason: {Reason}", group.Count(), group.Key);
        }
        if (drain.Failure is { } failure)
        {
            metrics.WriteFailures.Inc();
            if (!_failing)
                log.LogWarning("InfluxDB write failed, the samples stay in the outbox and will be retried in {Delay}: {Reason}", drain.RetryIn, failure.Reason);
            _failing = true;
        }
        else if (drain.Written > 0 || drain.Parked > 0)
        {
            if (_failing) log.LogInformation("InfluxDB is reachable again; the backlog is being sent");
            _failing = false;
            log.LogDebug("InfluxDB acknowledged {Points} point(s)", drain.Written);
        }
    }

    private async Task UpdateGaugesAsync(CancellationToken cancellationToken)
    {
        var status = await store.GetOutboxStatusAsync(cancellationToken);
        metrics.BacklogSamples.Set(status.PendingSamples);
        metrics.BacklogUserRows.Set(status.PendingUserRows);
        metrics.ParkedBatches.Set(status.ParkedBatches);
        metrics.OldestUnsentAge.Set(status.OldestPendingSampleTime is { } t ? Math.Max(0, (time.GetUtcNow() - t).TotalSeconds) : 0);
    }
}
