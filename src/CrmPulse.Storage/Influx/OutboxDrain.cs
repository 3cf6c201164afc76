namespace CrmPulse.Storage.Influx;

/// <summary>What one <see cref="InfluxOutbox.DrainAsync"/> did.</summary>
/// <param name="Written">Points InfluxDB acknowledged.</param>
/// <param name="Parked">Batches refused for good and skipped (see <paramref name="Rejections"/>).</param>
/// <param name="Failure">The failed write that stopped the drain (to be retried), null when the backlog is empty.</param>
/// <param name="RetryIn">When a failure stopped the drain: how long to wait before the next attempt.</param>
/// <param name="Rejections">The reasons of the parked batches, for the log.</param>
public sealed record OutboxDrain(int Written, int Parked, InfluxWriteResult? Failure, TimeSpan? RetryIn, IReadOnlyList<InfluxWriteResult> Rejections);
