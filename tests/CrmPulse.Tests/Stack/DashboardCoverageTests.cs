using CrmPulse.Core.Kpis;
using CrmPulse.Core.Reconciliation;

namespace CrmPulse.Tests.Stack;

/// <summary>
/// What the dashboards show and how they are laid out: every KPI of the catalog has a panel (or is left out on purpose,
/// with the reason), and no two panels of a dashboard cover the same cells.
/// </summary>
public sealed class DashboardCoverageTests
{
    /// <summary>KPIs no dashboard shows, on purpose, each with the reason.</summary>
    private static readonly Dictionary<string, string> LeftOut = new()
    {
        [ReconciliationKpis.Missing] = Reconciliation,
        [ReconciliationKpis.Extra] = Reconciliation,
        [ReconciliationKpis.Matched] = Reconciliation,
        [ReconciliationKpis.LostAssociations] = Reconciliation,
        [ReconciliationKpis.EmptiedProperties] = Reconciliation,
        [ReconciliationKpis.Delta] = Reconciliation,
        [SyncHealth.FieldMismatches] = Reconciliation,
        [SyncHealth.PendingChanges] = Reconciliation,
        [SyncHealth.PendingAgeMax] = Reconciliation,
        [SyncHealth.LagMedian] = Reconciliation,
        [SyncHealth.Duplicates] = Reconciliation,
    };

    private const string Reconciliation =
        "computed for a reconciliation pair of two sources (a migration, or two systems an integration keeps in step), "
        + "not for a source, and read on the console's /reconciliation page and /api/reconciliation; the dashboards follow "
        + "one source over time (and the stack has no pair to prove a panel's query on)";

    [Fact]
    public void Every_kpi_of_the_catalog_is_shown_by_a_dashboard_panel_or_left_out_with_a_reason()
    {
        var shown = StackFiles.PanelQueries().SelectMany(StackFiles.KpisShown).ToHashSet();

        var missing = KpiCatalog.All.Select(d => d.Id).Where(id => !shown.Contains(id) && !LeftOut.ContainsKey(id)).ToList();

        Assert.True(missing.Count == 0, "No dashboard panel shows: " + string.Join(", ", missing));
        // The list stays true: only catalog KPIs, none a panel shows after all, each with its reason.
        Assert.All(LeftOut, x =>
        {
            Assert.True(KpiCatalog.TryGet(x.Key, out _), $"{x.Key} is not in the catalog");
            Assert.False(shown.Contains(x.Key), $"{x.Key} is left out but a panel shows it");
            Assert.False(string.IsNullOrWhiteSpace(x.Value));
        });
    }

    [Fact]
    public void A_kpi_counts_as_shown_only_when_a_query_reads_it_from_its_own_measurement_gauge_or_api_parameter()
    {
        DashboardQuery[] queries =
        [
            new("x.json", "influx", "influxdb", "SELECT last(\"win_rate\") AS \"w\", last(\"open_deals\") FROM \"crm_outcome\" WHERE $timeFilter"),
            new("x.json", "subquery", "influxdb", "SELECT sum(\"orphan_records\") FROM (SELECT last(\"orphan_records\") AS \"orphan_records\" FROM \"crm_data_quality\")"),
            new("x.json", "prometheus", "prometheus", "max(crmpulse_data_quality_score_ratio) and crmpulse_job_failures_total"),
            new("x.json", "api", "api", "/api/kpis/latest?kpi=nps&source=${source}"),
            new("x.json", "issues", "api", "/api/pipeline/issues?source=${source}&kind=dead_accounts"),
        ];

        var shown = queries.Select(q => string.Join(",", StackFiles.KpisShown(q))).ToList();

        // open_deals lives in crm_pipeline, so reading it from crm_outcome shows nothing; a record list is no KPI.
        Assert.Equal(["win_rate", "orphan_records", "data_quality_score", "nps", ""], shown);
    }

    public static TheoryData<string> Dashboards() => new(StackFiles.DashboardFiles);

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void No_two_panels_of_a_dashboard_overlap_and_every_panel_fits_the_grid(string dashboard)
    {
        var boxes = StackFiles.GridBoxes(StackFiles.Dashboard(dashboard)).ToList();

        var problems = StackFiles.LayoutProblems(boxes);

        Assert.True(boxes.Count > 5);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Overlapping_and_out_of_grid_panels_are_reported_and_touching_ones_are_not()
    {
        StackFiles.GridBox[] boxes =
        [
            new("a", 0, 0, 12, 8),
            new("right of a", 12, 0, 12, 8),  // shares an edge with a
            new("below a", 0, 8, 12, 4),      // shares an edge with a
            new("over a and below a", 6, 7, 4, 2),
            new("too wide", 20, 20, 6, 2),
        ];

        var problems = StackFiles.LayoutProblems(boxes);

        Assert.Equal(
        [
            "'too wide' at x=20 y=20 w=6 h=2 is not inside the 24-column grid",
            "'a' and 'over a and below a' overlap",
            "'below a' and 'over a and below a' overlap",
        ], problems);
    }
}
