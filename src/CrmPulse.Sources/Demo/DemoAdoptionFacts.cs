namespace CrmPulse.Sources.Demo;

/// <summary>
/// Adoption of one team (or of the whole org) at the anchor, counted from the generated users and logins with the
/// adoption KPIs' definitions: licensed = active human users; "active in N days" = a successful login in
/// (anchor − N days, anchor]; contributors = licensed users with at least 3 activities created in 7 days.
/// </summary>
/// <param name="Licensed">licensed_users.</param>
/// <param name="DailyActive">daily_active_users.</param>
/// <param name="WeeklyActive">weekly_active_users.</param>
/// <param name="MonthlyActive">monthly_active_users.</param>
/// <param name="NeverLoggedIn">users_never_logged_in (failed attempts do not count as logins).</param>
/// <param name="Inactive30d">users_inactive_30d: logged in before, not in the last 30 days.</param>
/// <param name="ActiveContributors">Licensed users with at least 3 activities in 7 days (the default ContributorMinActivities).</param>
/// <param name="Activities7d">Activities created in 7 days by these licensed users (numerator of activities_per_active_user).</param>
public sealed record DemoAdoptionFacts(
    int Licensed,
    int DailyActive,
    int WeeklyActive,
    int MonthlyActive,
    int NeverLoggedIn,
    int Inactive30d,
    int ActiveContributors,
    int Activities7d)
{
    /// <summary>weekly_active_ratio: WeeklyActive ÷ Licensed (0 without licensed users).</summary>
    public double WeeklyActiveRatio => Ratio(WeeklyActive, Licensed);

    /// <summary>monthly_active_ratio: MonthlyActive ÷ Licensed.</summary>
    public double MonthlyActiveRatio => Ratio(MonthlyActive, Licensed);

    /// <summary>stickiness_ratio: DailyActive ÷ MonthlyActive (0 when nobody was active in 30 days).</summary>
    public double StickinessRatio => Ratio(DailyActive, MonthlyActive);

    /// <summary>active_contributor_ratio: ActiveContributors ÷ Licensed.</summary>
    public double ActiveContributorRatio => Ratio(ActiveContributors, Licensed);

    /// <summary>activities_per_active_user: Activities7d ÷ WeeklyActive (0 when nobody was active).</summary>
    public double ActivitiesPerActiveUser => Ratio(Activities7d, WeeklyActive);

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
