namespace CrmPulse.Core.Dedupe;

/// <summary>What one deduplication run found.</summary>
/// <param name="Pairs">Every compared pair scoring at or above the threshold (left id sorts before right id), by left
/// then right id.</param>
/// <param name="Clusters">The clusters those pairs join (two or more records, survivor first), by survivor id.</param>
/// <param name="Candidates">How many pairs blocking proposed and the scorer compared (the work done).</param>
public sealed record DedupeResult(IReadOnlyList<DuplicatePair> Pairs, IReadOnlyList<DuplicateCluster> Clusters, long Candidates);
