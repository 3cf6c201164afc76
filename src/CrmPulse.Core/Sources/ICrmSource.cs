namespace CrmPulse.Core.Sources;

/// <summary>
/// A connector to one CRM (or a demo or a folder of exports). It pulls what changed since the watermarks it gave last
/// time; it never computes a KPI and never writes anywhere.
/// </summary>
public interface ICrmSource
{
    /// <summary>The configured name: the <c>source</c> tag on every sample.</summary>
    string Name { get; }

    /// <summary>The kind: Demo, File, HubSpot, Salesforce.</summary>
    string Kind { get; }

    /// <summary>Pulls the changes since <paramref name="watermarks"/> (empty on the first sync).</summary>
    /// <exception cref="SourceException">The source cannot be read at all (bad folder, authentication, API down).</exception>
    Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken);

    /// <summary>
    /// A link that opens the record in the CRM's own UI (drill-down), or null when the source cannot build one.
    /// <paramref name="objectType"/> is "contact", "company", "deal" or "task".
    /// </summary>
    Uri? LinkTo(string objectType, string recordId) => null;

    /// <summary>
    /// The CRM API usage of the latest pull, also when that pull failed (its requests, errors and latencies still
    /// happened: a failing API must show in crm_api_error_ratio). Null for sources without an API. The sync job reads
    /// it only after a failed pull; a successful pull reports its usage in <see cref="ChangeSet.ApiUsage"/>.
    /// </summary>
    ApiUsage? LastPullUsage => null;
}
