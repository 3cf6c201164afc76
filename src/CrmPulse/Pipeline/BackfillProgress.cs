namespace CrmPulse.Pipeline;

/// <summary>Where a backfill of one source stands.</summary>
/// <param name="Done">Steps (days) in the ledger, including those a previous run did.</param>
/// <param name="Total">Steps of the window.</param>
/// <param name="AsOf">The step just finished.</param>
/// <param name="Samples">Samples appended by this run so far.</param>
public sealed record BackfillProgress(string Source, int Done, int Total, DateTimeOffset AsOf, long Samples);
