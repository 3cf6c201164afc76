using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Store;

/// <summary>
/// KPI passes as units: each is committed whole or not at all, and the latest pass of each producer (see
/// <see cref="Producers"/>) is what "latest" means: the values it produced, nothing older, nothing it no longer produces.
/// </summary>
public interface IKpiStore
{
    /// <summary>
    /// Commits one KPI pass of <paramref name="source"/> in ONE transaction: its samples, per-user rows and issues
    /// (replacing the source's), and its samples as the source's latest values (replacing its previous pass's).
    /// Either all of it is stored or nothing. Cancellation before the commit stores nothing.
    /// </summary>
    Task CommitPassAsync(string source, DateTimeOffset asOf, KpiResult result, CancellationToken cancellationToken);

    /// <summary>
    /// Commits samples the host produced outside a KPI pass (the CRM API usage of a sync, one probe) in one transaction,
    /// as the latest values of <paramref name="producer"/> (replacing what it produced before).
    /// </summary>
    Task CommitProducedAsync(string producer, IReadOnlyList<KpiSample> samples, CancellationToken cancellationToken);

    /// <summary>A number that changes whenever samples are appended or latest values replaced (by any process).</summary>
    Task<long> LedgerVersionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The latest values of every producer, each with the series' sample one KPI period earlier (at or before the
    /// latest's time minus the KPI's period), read in one query, with the ledger version they belong to.
    /// </summary>
    Task<LatestValueSet> LatestValuesAsync(CancellationToken cancellationToken);
}

/// <summary>A latest value: the producer whose latest pass wrote it, the sample, and the previous period's sample.</summary>
public sealed record StoredLatest(string Producer, KpiSample Sample, KpiSample? Previous);

/// <summary>The latest values as of ledger version <paramref name="Version"/>.</summary>
public sealed record LatestValueSet(long Version, IReadOnlyList<StoredLatest> Values);
