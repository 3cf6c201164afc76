namespace CrmPulse.Core.Kpis;

/// <summary>
/// What one user did up to as-of: successful logins and owned activities (by CreatedAt), as the latest instant and
/// counts in the trailing 7 and 30 days. Events after as-of never reach it.
/// </summary>
internal sealed class UserEventStats
{
    public DateTimeOffset? LastLogin { get; private set; }

    public int Logins7d { get; private set; }

    public int Logins30d { get; private set; }

    public DateTimeOffset? LastActivity { get; private set; }

    public int Activities7d { get; private set; }

    public int Activities30d { get; private set; }

    /// <summary>Records a successful login at or before as-of.</summary>
    public void AddLogin(DateTimeOffset at, KpiContext context)
    {
        if (LastLogin is not { } last || at > last) LastLogin = at;
        if (context.InWindow(at, UserActivityIndex.Week)) Logins7d++;
        if (context.InWindow(at, UserActivityIndex.Month)) Logins30d++;
    }

    /// <summary>Records an owned activity created at or before as-of.</summary>
    public void AddActivity(DateTimeOffset createdAt, KpiContext context)
    {
        if (LastActivity is not { } last || createdAt > last) LastActivity = createdAt;
        if (context.InWindow(createdAt, UserActivityIndex.Week)) Activities7d++;
        if (context.InWindow(createdAt, UserActivityIndex.Month)) Activities30d++;
    }
}
