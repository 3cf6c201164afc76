using System.Globalization;
using CrmPulse.Apis;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;

namespace CrmPulse.Reports;

/// <summary>Builds the report's model from the ledger: the one generator behind the /report page, `crmpulse report`
/// and the scheduled deliveries.</summary>
public sealed class ReportBuilder(ILedger ledger, TargetBook targets, TimeProvider time)
{
    /// <summary>How many periods the trends show, the current one included.</summary>
    public const int Periods = 6;

    public async Task<ReportModel> BuildAsync(ReportPeriod period, string? source, CancellationToken ct)
    {
        var summary = await LeadershipReport.BuildAsync(ledger, targets, period, source, ct);
        var starts = Enumerable.Range(0, Periods).Select(i => Start(period, Periods - 1 - i)).ToList(); // oldest first
        var trends = new List<ReportModel.Trend>();
        var movers = new List<ReportModel.TeamMover>();
        foreach (var kpi in LeadershipReport.LeadershipKpis)
        {
            if (!KpiCatalog.TryGet(kpi, out var def)) continue;
            var samples = await ledger.SeriesAsync(kpi, source, starts[0], period.To, ct);
            foreach (var bySource in samples.GroupBy(s => s.Source).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var rollup = bySource.Where(s => s.Dimensions.Count == 0).ToList();
                if (rollup.Count > 0)
                {
                    var points = starts.Select((start, i) =>
                    {
                        var end = i + 1 < starts.Count ? starts[i + 1] : period.To;
                        return new ReportModel.PeriodPoint(start, Label(period.Kind, start), Last(rollup, start, end, i + 1 == starts.Count)?.Value);
                    }).ToList();
                    trends.Add(new ReportModel.Trend(kpi, bySource.Key, def.Unit, points));
                }
                if (def.Direction == KpiDirection.Neutral) continue;
                foreach (var team in bySource.Where(s => s.Dimensions.Count == 1 && s.Dimensions["team"] is not null).GroupBy(s => s.Dimensions["team"]!))
                {
                    var current = Last(team, period.From, period.To, true);
                    var previous = Last(team, period.PreviousFrom, period.From, false);
                    if (current is null || previous is null || previous.Value == 0 || current.Value == previous.Value) continue;
                    var change = current.Value - previous.Value;
                    movers.Add(new ReportModel.TeamMover(bySource.Key, team.Key, kpi, def.Unit, KpiApi.ToSnake(def.Direction), previous.Value, current.Value,
                        change, change / Math.Abs(previous.Value)));
                }
            }
        }
        // Per team, its largest relative change among the leadership KPIs; teams by the size of that change.
        var perTeam = movers.GroupBy(m => (m.Source, m.Team))
            .Select(g => g.OrderByDescending(m => Math.Abs(m.ChangeRatio)).ThenBy(m => m.Kpi, StringComparer.Ordinal).First())
            .OrderByDescending(m => Math.Abs(m.ChangeRatio)).ThenBy(m => m.Team, StringComparer.Ordinal).ToList();
        return new ReportModel(summary, source, time.GetUtcNow(), trends, perTeam, ReportNarrative.Write(summary, movers));
    }

    /// <summary>The start of the period <paramref name="back"/> periods before the current one.</summary>
    internal static DateTimeOffset Start(ReportPeriod period, int back) => period.Kind switch
    {
        "week" => period.From.AddDays(-7 * back),
        "quarter" => period.From.AddMonths(-3 * back),
        _ => period.From.AddMonths(-back),
    };

    internal static string Label(string kind, DateTimeOffset start) => kind switch
    {
        "week" => "wk " + start.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture),
        "quarter" => $"Q{(start.Month - 1) / 3 + 1} {start.Year}",
        _ => start.UtcDateTime.ToString("MMM yyyy", CultureInfo.InvariantCulture),
    };

    private static KpiSample? Last(IEnumerable<KpiSample> samples, DateTimeOffset from, DateTimeOffset to, bool inclusiveEnd) =>
        samples.Where(s => s.Time >= from && (s.Time < to || (inclusiveEnd && s.Time == to))).MaxBy(s => s.Time);
}
