namespace CrmPulse.Core.Store;

/// <summary>What applying a change set did.</summary>
/// <param name="Upserted">Records inserted or updated.</param>
/// <param name="Deleted">Records removed (explicit deletions plus those missing from complete kinds).</param>
/// <param name="Problems">Problems reported by the source for this sync.</param>
public sealed record ApplyResult(int Upserted, int Deleted, int Problems)
{
    /// <summary>Rows or records the source skipped (a row with several problems counts once).</summary>
    public int RejectedRows { get; init; }

    /// <summary>Notices of this sync: read with a caveat, nothing skipped.</summary>
    public int Notices { get; init; }

    /// <summary>Why the sync counts as failed although the other kinds were applied (each failed kind's file, line and
    /// reason), or null when no kind failed.</summary>
    public string? Error { get; init; }
}
