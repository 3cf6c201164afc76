using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// One user of the demo org and how they behave day by day. Login and activity rates are functions of the day
/// only (no state), so any day can be generated alone and always comes out the same.
/// </summary>
internal sealed class DemoUserPlan
{
    /// <summary>Day number (relative to the anchor) from which the adoption dip applies to the dip team.</summary>
    public const int DipStartDay = -21;

    /// <summary>Weekend login probability of an engaged user: weekends are quiet but not empty.</summary>
    private const double WeekendLogin = 0.05;

    public required int Index { get; init; }
    public required CrmUser User { get; set; }

    /// <summary>Null for integration users.</summary>
    public DemoTeam? Team { get; init; }

    /// <summary>Chance of logging in on a workday, team factor included.</summary>
    public double WorkdayLogin { get; init; }

    /// <summary>Personal multiplier of the team's activity weight (some people log more than others).</summary>
    public double ActivityFactor { get; init; } = 1;

    /// <summary>
    /// Last day the user logs in (inactive users, deactivated users), or null. On that day they do log in, so an
    /// inactive user has always been active before.
    /// </summary>
    public int? LastDay { get; init; }

    /// <summary>A licensed user who never logs in (a seat bought for nothing).</summary>
    public bool NeverLogsIn { get; init; }

    /// <summary>A day on which this never-logged-in user tried and failed to log in (a trap for login counts).</summary>
    public int? FailedLoginDay { get; init; }

    /// <summary>A dip-team member who stops using the CRM when the dip starts; the others halve their use.</summary>
    public bool Disengaged { get; init; }

    public bool IsIntegration => User.IsIntegration;

    /// <summary>Chance that this human user logs in on <paramref name="day"/>.</summary>
    public double LoginProbability(int day, bool weekend)
    {
        if (IsIntegration || NeverLogsIn) return 0;
        if (LastDay is { } last)
        {
            if (day > last) return 0;
            if (day == last) return 1;
        }
        var p = weekend ? WeekendLogin : WorkdayLogin;
        if (InDip(day)) p = Disengaged ? 0 : p / 2;
        return p;
    }

    /// <summary>Relative number of activities this user logs on a day they log in.</summary>
    public double ActivityWeight(int day)
    {
        if (Team is null) return 0;
        var w = Team.ActivityWeight * ActivityFactor;
        return InDip(day) ? w / 2 : w;
    }

    private bool InDip(int day) => Team is { IsDipTeam: true } && day >= DipStartDay;
}
