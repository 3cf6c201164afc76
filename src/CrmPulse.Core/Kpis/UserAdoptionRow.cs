namespace CrmPulse.Core.Kpis;

/// <summary>One row of the per-user adoption table (never a Prometheus label: user ids are too many).</summary>
/// <param name="Status">"active" (activity within 30 days), "inactive" (earlier only), "never", or "excluded"
/// (integration or configured-excluded users, listed so the exclusion is visible).</param>
public sealed record UserAdoptionRow(
    string Source,
    string UserId,
    string Name,
    string? Email,
    string Team,
    DateTimeOffset? LastLogin,
    int Logins7d,
    int Logins30d,
    int Activities7d,
    int Activities30d,
    string Status,
    DateTimeOffset AsOf);
