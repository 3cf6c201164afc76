namespace CrmPulse.Core.Kpis;

/// <summary>
/// Logins and activities grouped by user once per KPI pass, with the adoption basis. Adoption and activity KPIs both
/// read it; building it is one pass over logins and one over activities (millions of them), so it is built once per
/// <see cref="KpiContext"/> and shared.
/// </summary>
internal sealed class UserActivityIndex
{
    /// <summary>Basis when the source gives login events: active means a successful login.</summary>
    public const string LoginBasis = "login";

    /// <summary>Basis when it gives none: active means owning an activity created in the window.</summary>
    public const string ActivityBasis = "activity";

    public static readonly TimeSpan Day = TimeSpan.FromDays(1);
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);

    private readonly KpiContext _context;
    private readonly Dictionary<string, UserEventStats> _byUser;

    private UserActivityIndex(KpiContext context)
    {
        _context = context;
        // The basis is a property of the source, not of as-of: one login event at any time means the source gives
        // logins, so a backfill at an earlier as-of stays on the same basis instead of flipping series.
        // API logins alone do not make a login basis: they say nothing about people using the CRM.
        Basis = context.Snapshot.Logins.Any(l => l.Interactive) ? LoginBasis : ActivityBasis;

        // Entries exist for known users only: events of unknown ids (deleted users) are skipped without allocating.
        _byUser = new Dictionary<string, UserEventStats>(context.UsersById.Count, StringComparer.Ordinal);
        foreach (var id in context.UsersById.Keys) _byUser[id] = new UserEventStats();

        var asOf = context.AsOf;
        foreach (var login in context.Snapshot.Logins)
        {
            if (!login.Succeeded || !login.Interactive || login.At > asOf) continue;
            if (_byUser.TryGetValue(login.UserId, out var stats)) stats.AddLogin(login.At, context);
        }
        // Activities as columns: each distinct owner id looked up once, instants compared as UTC ticks.
        var activities = context.Activities;
        var owners = activities.Owner.Codes;
        var statsOf = Array.ConvertAll(activities.Owner.Values, id => _byUser.GetValueOrDefault(id));
        var created = activities.Created.UtcTicks;
        var asOfTicks = asOf.UtcTicks;
        for (var i = 0; i < owners.Length; i++)
        {
            if (owners[i] < 0 || created[i] > asOfTicks) continue;
            statsOf[owners[i]]?.AddActivity(activities.Created.At(i), context);
        }
    }

    /// <summary>"login" or "activity".</summary>
    public string Basis { get; }

    /// <summary>The index of a context, built on first use.</summary>
    /// <remarks>Kept in the context (<see cref="KpiContext.Shared{T}"/>), so it lives exactly as long as its pass and
    /// is built once even when adoption and activity ask for it at the same time.</remarks>
    public static UserActivityIndex For(KpiContext context) => context.Shared("user_activity_index", () => new UserActivityIndex(context));

    /// <summary>A user's stats (all zero for an id that owns nothing).</summary>
    public UserEventStats StatsOf(string userId) =>
        _byUser.TryGetValue(userId, out var stats) ? stats : new UserEventStats();

    /// <summary>The user's latest event on the basis, at or before as-of (null: never active).</summary>
    public DateTimeOffset? LastSeen(string userId)
    {
        var stats = StatsOf(userId);
        return Basis == LoginBasis ? stats.LastLogin : stats.LastActivity;
    }

    /// <summary>
    /// True when the user was active in the trailing window. The latest event is at or before as-of, so the user has
    /// an event in (as-of − window, as-of] exactly when the latest one is in it.
    /// </summary>
    public bool IsActive(string userId, TimeSpan window) => LastSeen(userId) is { } t && _context.InWindow(t, window);
}
