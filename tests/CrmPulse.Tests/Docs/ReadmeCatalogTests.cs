using CrmPulse.Tests.Support;
using System.Text.RegularExpressions;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Tests.Docs;

/// <summary>The catalog is the single source of names: the README documents every KPI and names none that does not exist.</summary>
public sealed partial class ReadmeCatalogTests
{
    private static string Readme() => RepoRoot.ReadAllText("README.md");

    /// <summary>KPI ids as the README's KPI tables write them: the first cell, in backticks (several joined by " / ").</summary>
    private static HashSet<string> DocumentedKpis() =>
        TableFirstCell().Matches(Readme()).SelectMany(m => Backticked().Matches(m.Groups[1].Value).Select(b => b.Groups[1].Value)).ToHashSet();

    [Fact]
    public void Every_catalog_kpi_is_documented_in_the_readme()
    {
        var missing = KpiCatalog.All.Select(d => d.Id).Where(id => !DocumentedKpis().Contains(id)).ToList();

        Assert.True(missing.Count == 0, $"README.md does not document: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_readme_names_no_kpi_the_catalog_lacks()
    {
        var unknown = DocumentedKpis().Where(id => !id.StartsWith("crmpulse_", StringComparison.Ordinal) && !KpiCatalog.TryGet(id, out _)
            && !id.Contains('.') && !id.Contains('/') && !id.Contains(':')).ToList();

        Assert.True(unknown.Count == 0, $"README.md names KPIs the catalog lacks: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_crmpulse_metric_the_readme_names_exists()
    {
        var readme = Readme();
        var (start, end) = RenamedSection(readme);
        // The renamed table's old names are gone on purpose: everything else must exist.
        var metrics = CrmPulseMetric().Matches(readme[..start] + readme[end..]).Select(m => m.Value).Distinct().ToList();
        var known = KpiCatalog.All.Select(d => d.MetricName).Concat(
        [
            "crmpulse_job_duration_seconds", "crmpulse_job_failures_total", "crmpulse_job_last_success_timestamp_seconds",
            "crmpulse_source_records_synced_total", "crmpulse_source_records_deleted_total", "crmpulse_source_records_rejected_total",
            "crmpulse_source_notices_total",
            "crmpulse_source_mirror_records", "crmpulse_ledger_samples_appended_total", "crmpulse_build_info",
            "crmpulse_influx_backlog_samples", "crmpulse_influx_backlog_user_rows", "crmpulse_influx_oldest_unsent_sample_age_seconds",
            "crmpulse_influx_points_written_total", "crmpulse_influx_write_failures_total", "crmpulse_influx_parked_batches",
            "crmpulse_influx_last_success_timestamp_seconds", "crmpulse_influx_last_error_timestamp_seconds",
            "crmpulse_alerts_firing",
            "crmpulse_cluster_node_info", "crmpulse_cluster_job_runs_total", "crmpulse_cluster_job_duration_seconds", "crmpulse_cluster_members",
            "crmpulse_cluster_member_last_checkin_timestamp_seconds",
        ]).ToHashSet();

        Assert.NotEmpty(metrics);
        Assert.All(metrics.Where(m => m != "crmpulse_"), m => Assert.True(known.Contains(m), $"README.md names metric {m}, which CrmPulse does not produce."));
    }

    [Fact]
    public void The_renamed_metrics_table_lists_every_kpi_whose_metric_name_changed_old_to_new()
    {
        var readme = Readme();
        var (start, end) = RenamedSection(readme);
        var rows = RenamedRow().Matches(readme[start..end]).ToDictionary(m => m.Groups[1].Value, m => (New: m.Groups[2].Value, Value: m.Groups[3].Value));
        // The names of the previous version: crmpulse_<family>_<id>, in the catalog's units.
        // The reconciliation family came after the renaming: its KPIs never had another name.
        var renamed = KpiCatalog.All.Where(d => d.Family != KpiFamily.Reconciliation && $"crmpulse_{d.Family.Tag()}_{d.Id}" != d.MetricName).ToList();

        Assert.Equal(renamed.Select(d => $"crmpulse_{d.Family.Tag()}_{d.Id}").Order(), rows.Keys.Order());
        Assert.All(renamed, d =>
        {
            var row = rows[$"crmpulse_{d.Family.Tag()}_{d.Id}"];
            Assert.Equal(d.MetricName, row.New);
            Assert.Equal(d.MetricValue(1) == 1, row.Value == "unchanged");
        });
        Assert.Contains("crmpulse_integration_integration_freshness", rows.Keys);
        Assert.Contains("`job` of the three `crmpulse_job_*` metrics is now `job_type`", readme[start..end]);
    }

    private static (int Start, int End) RenamedSection(string readme)
    {
        var start = readme.IndexOf("### Renamed metrics", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section 'Renamed metrics'.");
        var end = readme.IndexOf("\n#", start + 3, StringComparison.Ordinal);
        return (start, end < 0 ? readme.Length : end);
    }

    [GeneratedRegex(@"^\| `(crmpulse_[a-z0-9_]+)` \| `(crmpulse_[a-z0-9_]+)` \| ([^|]+?) \|$", RegexOptions.Multiline)]
    private static partial Regex RenamedRow();

    [GeneratedRegex(@"^\| (`[a-z0-9_]+`(?: / `[a-z0-9_]+`)*) \|", RegexOptions.Multiline)]
    private static partial Regex TableFirstCell();

    [GeneratedRegex("`([a-z0-9_]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"crmpulse_[a-z0-9_]+")]
    private static partial Regex CrmPulseMetric();
}
