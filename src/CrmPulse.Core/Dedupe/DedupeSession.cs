namespace CrmPulse.Core.Dedupe;

/// <summary>
/// The incremental deduplication of one KPI pass: the states the store kept from the previous pass going in, the
/// results (clusters, new states and what changed, for the store to write) coming out.
/// </summary>
public sealed class DedupeSession
{
    /// <summary>The stored contact state, or null (a full match).</summary>
    public DedupeState? PreviousContacts { get; init; }

    /// <summary>The stored company state, or null (a full match).</summary>
    public DedupeState? PreviousCompanies { get; init; }

    /// <summary>Match everything again (a request; the result is the same, only the work differs).</summary>
    public bool Full { get; init; }

    /// <summary>What the pass found for contacts (null until the clusters were read).</summary>
    public IncrementalDedupeResult? Contacts { get; internal set; }

    /// <summary>What the pass found for companies (null until the clusters were read).</summary>
    public IncrementalDedupeResult? Companies { get; internal set; }
}
