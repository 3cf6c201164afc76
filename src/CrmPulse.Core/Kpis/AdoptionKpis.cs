namespace CrmPulse.Core.Kpis;

/// <summary>
/// Usage and adoption, by team and overall (a sample without a team dimension is the whole org). Human users only:
/// integration users and users excluded by configuration never count. Activity on a user's part means a successful
/// login; when the source has no login events at all, a logged activity counts instead and the sample's basis says so.
/// </summary>
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
            "Licensed users who logged at least ContributorMinActivities (default 3) activities in 7 days ÷ licensed_users.", Team, true, TimeSpan.FromDays(7)),
        new("excluded_users", KpiFamily.Adoption, "users", KpiDirection.Neutral,
            "Integration users and users excluded by configuration (shown so the exclusion is visible); overall only.", [], false, Day),
    ];

    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
