namespace CrmPulse.Storage;

/// <summary>One stored audit: its period, its source and the audit itself as JSON.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Source">The source it covers, or null for every source.</param>
/// <param name="From">First day of the period (UTC).</param>
/// <param name="To">Last day of the period (UTC, inclusive).</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="Json">The audit as JSON (null in listings, which leave it out).</param>
public sealed record StoredAudit(long Id, string? Source, DateOnly From, DateOnly To, DateTimeOffset CreatedAt, string? Json);
