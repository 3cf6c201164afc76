namespace CrmPulse.Core.Kpis;

/// <summary>
/// Usage and adoption, by team and overall (a sample without a team dimension is the whole org). Human users only:
/// integration users and users excluded by configuration never count. Activity on a user's part means a successful
/// login; when the source has no login events at all, a logged activity counts instead and the sample's basis says so.
/// </summary>
/// <remarks>
/// <para>Basis: "login" when the snapshot holds at least one interactive login event (any user, any time, failed ones
/// too: the source gives logins), otherwise "activity". API and integration logins (<see cref="Model.LoginEvent.Interactive"/>
/// false) never make anyone active; they are counted apart in api_logins_30d and api_login_users_30d, whoever made them. It is decided per snapshot, not per as-of, so a backfill never flips a
/// series' basis. Failed logins never make anyone active. On activity basis, "active" means owning an activity whose
/// CreatedAt lies in the window. Every adoption sample carries the basis.</para>
/// <para>Windows are trailing: an event at t counts when as-of − window &lt; t ≤ as-of; events after as-of are ignored.
/// Each KPI is emitted once overall (no dimensions) and once per team with at least one licensed user (team
/// "unassigned" for users without one), with the team's licensed users as denominator; excluded_users is overall only.
/// A ratio with a zero denominator is 0.</para>
/// <para>Per-user rows: one per licensed or excluded user (deactivated users that are not excluded are left out), in
/// snapshot order. LastLogin is the latest successful login at or before as-of (activity basis: the latest activity's
/// CreatedAt). Excluded users get status "excluded" whatever they did.</para>
/// </remarks>
public sealed class AdoptionKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly string[] Team = ["team"];

    public KpiFamily Family => KpiFamily.Adoption;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("licensed_users", KpiFamily.Adoption, "users", KpiDirection.Neutral,
            "Active (not deactivated) human users: integration and excluded users are not counted.", Team, false, Day),
        new("daily_active_users", KpiFamily.Adoption, "users", KpiDirection.HigherIsBetter,
            "Licensed users with a successful login (or, on activity basis, a logged activity) in the trailing 1 day.", Team, true, Day),
        new("weekly_active_users", KpiFamily.Adoption, "users", KpiDirection.HigherIsBetter,
            "Licensed users active in the trailing 7 days.", Team, true, TimeSpan.FromDays(7)),
        new("monthly_active_users", KpiFamily.Adoption, "users", KpiDirection.HigherIsBetter,
            "Licensed users active in the trailing 30 days.", Team, true, TimeSpan.FromDays(30)),
        new("weekly_active_ratio", KpiFamily.Adoption, "ratio", KpiDirection.HigherIsBetter,
            "weekly_active_users ÷ licensed_users (0 when there are no licensed users).", Team, true, TimeSpan.FromDays(7)),
        new("monthly_active_ratio", KpiFamily.Adoption, "ratio", KpiDirection.HigherIsBetter,
            "monthly_active_users ÷ licensed_users (0 when there are no licensed users).", Team, true, TimeSpan.FromDays(30)),
        new("stickiness_ratio", KpiFamily.Adoption, "ratio", KpiDirection.HigherIsBetter,
            "daily_active_users ÷ monthly_active_users (DAU/MAU; 0 when nobody was active in 30 days).", Team, true, Day),
        new("users_never_logged_in", KpiFamily.Adoption, "users", KpiDirection.LowerIsBetter,
            "Licensed users with no successful login (activity basis: no logged activity) up to as-of.", Team, true, TimeSpan.FromDays(7)),
        new("users_inactive_30d", KpiFamily.Adoption, "users", KpiDirection.LowerIsBetter,
            "Licensed users who were active before but not in the trailing 30 days (never-active users are not included).", Team, true, TimeSpan.FromDays(7)),
        new("active_contributor_ratio", KpiFamily.Adoption, "ratio", KpiDirection.HigherIsBetter,
            "Licensed users owning at least ContributorMinActivities (default 3) activities created in the trailing 7 days (on either basis) ÷ licensed_users.", Team, true, TimeSpan.FromDays(7)),
        new("excluded_users", KpiFamily.Adoption, "users", KpiDirection.Neutral,
            "Integration users and users excluded by configuration, deactivated ones included (shown so the exclusion is visible); overall only.", [], false, Day),
        new("api_logins_30d", KpiFamily.Adoption, "count", KpiDirection.Neutral,
            "Successful API and integration logins (not interactive) in the trailing 30 days, by any user; never counted as use; overall only.", [], true, Day),
        new("api_login_users_30d", KpiFamily.Adoption, "users", KpiDirection.Neutral,
            "Users with a successful API or integration login in the trailing 30 days (integration and excluded users included); overall only.", [], true, Day),
    ];

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">ContributorMinActivities is below 1.</exception>
    public void Compute(KpiContext context, KpiOutput output)
    {
        var minActivities = context.Options.ContributorMinActivities;
        if (minActivities < 1)
        {
            // 0 would make every licensed user a contributor: a ratio that is always 1 says nothing.
            throw new ArgumentOutOfRangeException(nameof(context),
                $"KpiOptions.ContributorMinActivities must be at least 1, was {minActivities} (source '{context.Source}').");
        }

        var index = UserActivityIndex.For(context);
        var overall = new Tally();
        var byTeam = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var user in context.Licensed)
        {
            var team = context.TeamOf(user.Id);
            if (!byTeam.TryGetValue(team, out var teamTally)) byTeam[team] = teamTally = new Tally();
            overall.Add(user.Id, index, minActivities);
            teamTally.Add(user.Id, index, minActivities);
        }

        Emit(output, overall, Dimensions.None, index.Basis);
        foreach (var (team, tally) in byTeam) Emit(output, tally, Dimensions.Of(("team", team)), index.Basis);
        output.Add("excluded_users", context.Excluded.Count, index.Basis);
        AddApiLogins(context, output, index.Basis);

        AddUserRows(context, index, output);
    }

    private static void Emit(KpiOutput output, Tally t, Dimensions dims, string basis)
    {
        output.Add("licensed_users", t.Licensed, dims, basis);
        output.Add("daily_active_users", t.Daily, dims, basis);
        output.Add("weekly_active_users", t.Weekly, dims, basis);
        output.Add("monthly_active_users", t.Monthly, dims, basis);
        output.Add("weekly_active_ratio", Ratio(t.Weekly, t.Licensed), dims, basis);
        output.Add("monthly_active_ratio", Ratio(t.Monthly, t.Licensed), dims, basis);
        output.Add("stickiness_ratio", Ratio(t.Daily, t.Monthly), dims, basis);
        output.Add("users_never_logged_in", t.Never, dims, basis);
        output.Add("users_inactive_30d", t.Inactive, dims, basis);
        output.Add("active_contributor_ratio", Ratio(t.Contributors, t.Licensed), dims, basis);
    }

    /// <summary>Successful non-interactive logins in the trailing 30 days, and the users who made them.</summary>
    private static void AddApiLogins(KpiContext context, KpiOutput output, string basis)
    {
        var count = 0;
        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var login in context.Snapshot.Logins)
        {
            if (login.Interactive || !login.Succeeded || !context.InWindow(login.At, UserActivityIndex.Month)) continue;
            count++;
            users.Add(login.UserId);
        }
        output.Add("api_logins_30d", count, basis);
        output.Add("api_login_users_30d", users.Count, basis);
    }

    private static void AddUserRows(KpiContext context, UserActivityIndex index, KpiOutput output)
    {
        var excludedIds = new HashSet<string>(context.Excluded.Select(u => u.Id), StringComparer.Ordinal);
        foreach (var user in context.Snapshot.Users)
        {
            var excluded = excludedIds.Contains(user.Id);
            if (!excluded && !context.LicensedIds.Contains(user.Id)) continue;
            var stats = index.StatsOf(user.Id);
            var lastSeen = index.LastSeen(user.Id);
            var status = excluded ? "excluded"
                : index.IsActive(user.Id, UserActivityIndex.Month) ? "active"
                : lastSeen is null ? "never"
                : "inactive";
            output.Users.Add(new UserAdoptionRow(context.Source, user.Id, user.Name, user.Email, context.TeamOf(user.Id),
                lastSeen, stats.Logins7d, stats.Logins30d, stats.Activities7d, stats.Activities30d, status, context.AsOf));
        }
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    /// <summary>Counts of one group of licensed users (the org or one team).</summary>
    private sealed class Tally
    {
        public int Licensed, Daily, Weekly, Monthly, Never, Inactive, Contributors;

        public void Add(string userId, UserActivityIndex index, int minActivities)
        {
            Licensed++;
            if (index.IsActive(userId, UserActivityIndex.Day)) Daily++;
            if (index.IsActive(userId, UserActivityIndex.Week)) Weekly++;
            if (index.IsActive(userId, UserActivityIndex.Month)) Monthly++;
            else if (index.LastSeen(userId) is null) Never++;
            else Inactive++;
            if (index.StatsOf(userId).Activities7d >= minActivities) Contributors++;
        }
    }
}
