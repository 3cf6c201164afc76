namespace CrmPulse.Sources.Demo;

/// <summary>
/// How one team of the demo org behaves. The numbers are chosen so the teams look different on a dashboard:
/// sales call and e-mail a lot, Customer Success meets and owns renewals, Marketing and Partnerships log in less.
/// </summary>
/// <param name="Name">The team name (the KPIs' team dimension).</param>
/// <param name="Share">Relative head count: users are split over the teams in proportion to it.</param>
/// <param name="StartHour">UTC hour at which the team's working day starts (Sales NA works US hours).</param>
/// <param name="LoginFactor">Multiplies each member's workday login probability.</param>
/// <param name="ActivityWeight">Relative number of activities a member logs on a day they log in.</param>
/// <param name="TypeMix">Relative weights of call, e-mail, meeting, task, note (the order of ActivityType).</param>
/// <param name="Pipeline">The pipeline of the deals its members own ("sales", "renewals"), or null when they own none.</param>
internal sealed record DemoTeam(
    string Name,
    int Share,
    double StartHour,
    double LoginFactor,
    double ActivityWeight,
    double[] TypeMix,
    string? Pipeline)
{
    /// <summary>The team whose adoption drops over the last 21 days before the anchor.</summary>
    public const string DipTeamName = "Customer Success";

    /// <summary>
    /// Every team, in the order <see cref="DemoSourceOptions.Teams"/> takes them. Customer Success comes second so
    /// that the dip exists with any allowed number of teams.
    /// </summary>
    public static readonly IReadOnlyList<DemoTeam> All =
    [
        new("Sales EMEA", 38, 8.0, 1.00, 1.3, [0.35, 0.35, 0.10, 0.12, 0.08], "sales"),
        new(DipTeamName, 30, 9.0, 1.00, 1.0, [0.15, 0.35, 0.25, 0.15, 0.10], "renewals"),
        new("Sales NA", 42, 13.0, 1.00, 1.3, [0.35, 0.35, 0.10, 0.12, 0.08], "sales"),
        new("Marketing", 24, 8.5, 0.85, 0.5, [0.02, 0.50, 0.10, 0.18, 0.20], null),
        new("Partnerships", 18, 10.0, 0.80, 0.7, [0.15, 0.35, 0.30, 0.10, 0.10], "sales"),
    ];

    public bool IsDipTeam => Name == DipTeamName;
}
