using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Activity logged in the trailing 7 days, by team (the owner's team) and type, with roll-ups.</summary>
/// <remarks>
/// <para>Windows are trailing: a record counts when as-of − 7 days &lt; its instant ≤ as-of (activities, deals and
/// contacts by CreatedAt; won deals by ClosedAt, else their close date at 00:00 UTC). Later records are ignored.</para>
/// <para>Counts take every owner: unowned records and records of unknown owners go to team "unassigned", records of
/// integration, excluded or deactivated users to that user's team (the work happened). Only
/// activities_per_active_user restricts its numerator to licensed users, since its denominator counts only them.</para>
/// <para>So that series do not vanish, zeros are emitted for every team with a licensed user and, for
/// activities_logged_7d, for every activity type in every emitted team; a team without licensed users appears only
/// when it has something to count. activities_per_active_user is emitted overall and per team with licensed users,
/// and carries the adoption basis its denominator rests on.</para>
/// </remarks>
public sealed class ActivityKpis : IKpiFamily
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    public KpiFamily Family => KpiFamily.Activity;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("activities_logged_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Activities (calls, emails, meetings, tasks, notes) created in the trailing 7 days, by type and owner's team; a sample without type is all types, without team all teams.",
            ["team", "type"], true, Week),
        new("activities_per_active_user", KpiFamily.Activity, "activities_per_user", KpiDirection.HigherIsBetter,
            "Activities created in 7 days by licensed users ÷ weekly_active_users, on the adoption basis the sample carries (0 when no user was active).", ["team"], true, Week),
        new("deals_created_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Deals created in the trailing 7 days, by owner's team.", ["team"], true, Week),
        new("deals_won_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Deals closed-won in the trailing 7 days (ClosedAt, else close date), by owner's team.", ["team"], true, Week),
        new("contacts_created_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Contacts created in the trailing 7 days, by owner's team.", ["team"], true, Week),
    ];

    private static readonly int TypeCount = ActivityTypes.All.Count;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">An activity in the window has an undefined type.</exception>
    public void Compute(KpiContext context, KpiOutput output)
    {
        var licensedTeams = context.Licensed.Select(u => context.TeamOf(u.Id)).ToHashSet(StringComparer.Ordinal);
        AddActivities(context, output, licensedTeams);

        // From the deals' and contacts' columns: the window (asOf − 7 days, asOf] of InWindow, as UTC ticks.
        var (from, to) = ((context.AsOf - Week).UtcTicks, context.AsOf.UtcTicks);
        var deals = context.Deals;
        AddCounts(output, "deals_created_7d", licensedTeams,
            Enumerable.Range(0, deals.Count).Where(i => deals.Created.UtcTicks[i] is var t && t > from && t <= to)
                .Select(i => context.TeamOf(deals.Owner[i])));
        AddCounts(output, "deals_won_7d", licensedTeams,
            Enumerable.Range(0, deals.Count).Where(i => deals.IsWon[i] && deals.ClosedTicks(i) is var t && t != InstantColumn.None && t > from && t <= to)
                .Select(i => context.TeamOf(deals.Owner[i])));
        var contacts = context.Contacts;
        AddCounts(output, "contacts_created_7d", licensedTeams,
            Enumerable.Range(0, contacts.Count).Where(i => contacts.Created.UtcTicks[i] is var t && t > from && t <= to)
                .Select(i => context.TeamOf(contacts.Owner[i])));
    }

    /// <summary>activities_logged_7d (grid and roll-ups) and activities_per_active_user, from one pass over activities.</summary>
    private static void AddActivities(KpiContext context, KpiOutput output, HashSet<string> licensedTeams)
    {
        // counts[team][(int)type]: ActivityTypes.All is the enum's values in order, 0..TypeCount-1.
        var counts = licensedTeams.ToDictionary(t => t, _ => new int[TypeCount], StringComparer.Ordinal);
        var licensedByTeam = licensedTeams.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        var licensedTotal = 0;
        // Activities as columns: the window on UTC ticks (KpiContext.InWindow), each distinct owner's team and licence
        // looked up once.
        var activities = context.Activities;
        var created = activities.Created.UtcTicks;
        var (start, end) = ((context.AsOf - Week).UtcTicks, context.AsOf.UtcTicks);
        var owners = activities.Owner.Codes;
        var teamOf = Array.ConvertAll(activities.Owner.Values, context.TeamOf);
        var licensed = Array.ConvertAll(activities.Owner.Values, context.LicensedIds.Contains);
        var noTeam = context.TeamOf(null);
        for (var i = 0; i < created.Length; i++)
        {
            if (created[i] <= start || created[i] > end) continue;
            var type = (int)activities.Types[i];
            if ((uint)type >= (uint)TypeCount)
            {
                throw new InvalidOperationException(
                    $"Activity '{activities.Ids[i]}' of source '{context.Source}' has undefined type {type}.");
            }
            var owner = owners[i];
            var team = owner >= 0 ? teamOf[owner] : noTeam;
            if (!counts.TryGetValue(team, out var row)) counts[team] = row = new int[TypeCount];
            row[type]++;
            if (owner >= 0 && licensed[owner])
            {
                licensedByTeam[team]++;
                licensedTotal++;
            }
        }

        var teams = counts.Keys.Order(StringComparer.Ordinal).ToList();
        const string kpi = "activities_logged_7d";
        output.Add(kpi, counts.Values.Sum(r => r.Sum()), Dimensions.None);
        for (var i = 0; i < TypeCount; i++)
        {
            output.Add(kpi, counts.Values.Sum(r => r[i]), Dimensions.Of(("type", ActivityTypes.All[i].Tag())));
        }
        foreach (var team in teams) output.Add(kpi, counts[team].Sum(), Dimensions.Of(("team", team)));
        foreach (var team in teams)
        {
            for (var i = 0; i < TypeCount; i++)
            {
                output.Add(kpi, counts[team][i], Dimensions.Of(("team", team), ("type", ActivityTypes.All[i].Tag())));
            }
        }

        AddPerActiveUser(context, output, licensedTeams, licensedByTeam, licensedTotal);
    }

    /// <summary>activities_per_active_user: licensed users' activities in the week ÷ weekly active users, per team.</summary>
    private static void AddPerActiveUser(KpiContext context, KpiOutput output, HashSet<string> licensedTeams,
        Dictionary<string, int> licensedByTeam, int licensedTotal)
    {
        var index = UserActivityIndex.For(context);
        var weeklyByTeam = licensedTeams.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        var weeklyTotal = 0;
        foreach (var user in context.Licensed)
        {
            if (!index.IsActive(user.Id, Week)) continue;
            weeklyByTeam[context.TeamOf(user.Id)]++;
            weeklyTotal++;
        }
        output.Add("activities_per_active_user", Ratio(licensedTotal, weeklyTotal), Dimensions.None, index.Basis);
        foreach (var team in licensedTeams.Order(StringComparer.Ordinal))
        {
            output.Add("activities_per_active_user", Ratio(licensedByTeam[team], weeklyByTeam[team]),
                Dimensions.Of(("team", team)), index.Basis);
        }
    }

    /// <summary>A per-team count with its overall roll-up; every team with licensed users appears, with 0 if need be.</summary>
    private static void AddCounts(KpiOutput output, string kpi, HashSet<string> licensedTeams, IEnumerable<string> teamOfEach)
    {
        var byTeam = licensedTeams.ToDictionary(t => t, _ => 0, StringComparer.Ordinal);
        var total = 0;
        foreach (var team in teamOfEach)
        {
            byTeam[team] = byTeam.GetValueOrDefault(team) + 1;
            total++;
        }
        output.Add(kpi, total, Dimensions.None);
        foreach (var team in byTeam.Keys.Order(StringComparer.Ordinal)) output.Add(kpi, byTeam[team], Dimensions.Of(("team", team)));
    }

    /// <summary>When a won deal was won: ClosedAt, else its close date at 00:00 UTC (null when it has neither).</summary>
    public static DateTimeOffset? WonAt(Deal deal) =>
        deal.ClosedAt ?? (deal.CloseDate is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
