using CrmPulse.Apis;

namespace CrmPulse.Reports;

/// <summary>
/// Everything the leadership report shows, computed once and rendered the same way for the page, the HTML file, the
/// PDF and the e-mail: the API's leadership summary, each KPI's value at the end of the last periods (its trend), the
/// largest mover of each team, and the narrative written from those numbers.
/// </summary>
public sealed record ReportModel(LeadershipReport Summary, string? Source, DateTimeOffset GeneratedAt,
    IReadOnlyList<ReportModel.Trend> Trends, IReadOnlyList<ReportModel.TeamMover> TeamMovers, IReadOnlyList<string> Narrative)
{
    /// <summary>One period's value: the roll-up's latest sample in [Start, End) (the current period: up to now).</summary>
    public sealed record PeriodPoint(DateTimeOffset Start, string Label, double? Value);

    /// <summary>A KPI's values over the last periods, oldest first, the current one last.</summary>
    public sealed record Trend(string Kpi, string Source, string Unit, IReadOnlyList<PeriodPoint> Points);

    /// <summary>The leadership KPI of a team that changed most (relative to its previous period's value).</summary>
    public sealed record TeamMover(string Source, string Team, string Kpi, string Unit, string Direction, double Previous, double Current,
        double Change, double ChangeRatio);
}
