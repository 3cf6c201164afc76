namespace CrmPulse.Core.Store;

/// <summary>What applying a change set did.</summary>
/// <param name="Upserted">Records inserted or updated.</param>
/// <param name="Deleted">Records removed (explicit deletions plus those missing from complete kinds).</param>
/// <param name="Problems">Problems reported by the source for this sync.</param>
public sealed record ApplyResult(int Upserted, int Deleted, int Problems);
