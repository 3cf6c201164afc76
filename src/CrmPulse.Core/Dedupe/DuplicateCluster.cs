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
}

/// <summary>A matched pair with its score (0..1) and the rule or comparison that decided it.</summary>
public sealed record DuplicatePair(string LeftId, string RightId, double Score, string Reason);
