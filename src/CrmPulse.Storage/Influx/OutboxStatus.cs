namespace CrmPulse.Storage.Influx;

/// <summary>What the InfluxDB outbox holds, read from the store.</summary>
/// <param name="PendingSamples">Samples in the ledger not yet acknowledged by InfluxDB (the backlog).</param>
/// <param name="PendingUserRows">Per-user rows not yet acknowledged.</param>
/// <param name="OldestPendingSampleTime">The as-of time of the oldest unsent sample, null when none is pending.</param>
/// <param name="ParkedBatches">Batches InfluxDB refused for good and that were skipped.</param>
/// <param name="ParkedPoints">Points in those batches.</param>
/// <param name="LastParkedReason">The server's reason for the latest parked batch.</param>
/// <param name="LastParkedAt">When the latest batch was parked.</param>
public sealed record OutboxStatus(
    long PendingSamples,
    long PendingUserRows,
    DateTimeOffset? OldestPendingSampleTime,
    long ParkedBatches,
    long ParkedPoints,
    string? LastParkedReason,
    DateTimeOffset? LastParkedAt);
