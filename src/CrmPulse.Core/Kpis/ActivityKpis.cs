namespace CrmPulse.Core.Kpis;

/// <summary>Activity logged in the trailing 7 days, by team (the owner's team) and type, with roll-ups.</summary>
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
            "Activities created in 7 days by licensed users ÷ weekly_active_users (0 when no user was active).", ["team"], true, Week),
        new("deals_created_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Deals created in the trailing 7 days, by owner's team.", ["team"], true, Week),
        new("deals_won_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Deals closed-won in the trailing 7 days (ClosedAt, else close date), by owner's team.", ["team"], true, Week),
        new("contacts_created_7d", KpiFamily.Activity, "count", KpiDirection.HigherIsBetter,
            "Contacts created in the trailing 7 days, by owner's team.", ["team"], true, Week),
    ];

    public void Compute(KpiContext context, KpiOutput output)
    {
    }
}
