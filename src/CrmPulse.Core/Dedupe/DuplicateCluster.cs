namespace CrmPulse.Core.Dedupe;

/// <summary>
/// Records of one object that are the same real person or organisation. The first id is the survivor (the record
/// to keep: the oldest by CreatedAt, then the smallest id); the others are the removable duplicates.
/// </summary>
/// <param name="Object">"contact" or "company".</param>
public sealed record DuplicateCluster(string Object, IReadOnlyList<string> RecordIds)
{
    public string SurvivorId => RecordIds[0];

    public IEnumerable<string> Duplicates => RecordIds.Skip(1);

    /// <summary>
    /// Why each duplicate (by id) belongs to the cluster: the fields its best match agreed on ("same e-mail + similar
    /// name"), prefixed with "via &lt;id&gt;: " when that match is with another duplicate rather than the survivor.
    /// Empty when the cluster was built without reasons.
    /// </summary>
    public IReadOnlyDictionary<string, string> Reasons { get; init; } = new Dictionary<string, string>();

    /// <summary>The reason for one duplicate, or "matched" when none is recorded.</summary>
    public string ReasonFor(string duplicateId) => Reasons.TryGetValue(duplicateId, out var r) ? r : "matched";
}

/// <summary>A matched pair with its score (0..1) and the rule or comparison that decided it.</summary>
public sealed record DuplicatePair(string LeftId, string RightId, double Score, string Reason);
