namespace CrmPulse.Storage.Influx;

/// <summary>
/// Consecutive unsent ledger entries of one stream, as line protocol: samples with <c>seq</c> in
/// [<paramref name="From"/>, <paramref name="To"/>], or the per-user rows of the passes in that range.
/// </summary>
/// <param name="Stream"><see cref="Samples"/> or <see cref="Users"/>.</param>
/// <param name="From">First position (samples.seq or user_passes.pass) in the batch.</param>
/// <param name="To">Last position in the batch: the cursor moves here once InfluxDB acknowledges it.</param>
/// <param name="Lines">One line per point.</param>
public sealed record OutboxBatch(string Stream, long From, long To, IReadOnlyList<string> Lines)
{
    public const string Samples = "samples";
    public const string Users = "users";
}
