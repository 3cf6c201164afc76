namespace CrmPulse.Core.Store;

/// <summary>How one kind of records (users, contacts, …) of a source stands in the mirror.</summary>
/// <param name="ReadAt">When a sync last read the kind successfully; null when it never has, so the mirror holds nothing
/// trustworthy for it and the KPIs that rest on it are left out.</param>
/// <param name="Error">Why the kind's last read failed (file, line and reason), or null when its last read succeeded. The
/// stored records are those of the last successful read.</param>
/// <param name="ErrorAt">When that failed read happened.</param>
public sealed record KindState(DateTimeOffset? ReadAt, string? Error, DateTimeOffset? ErrorAt);
