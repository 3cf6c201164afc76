using CrmPulse.Core.Model;
using Prometheus;

namespace CrmPulse.Metrics;

/// <summary>
/// The daemon's own metrics, per source and job type ("sync", "kpi" or "probe"). They answer "is it running, and is it
/// fresh?" even when every KPI looks fine. Defined once here, on the host's registry. The label is job_type, not job:
/// Prometheus' own job label names the scrape target, and a metric's own job label would need honor_labels.
/// </summary>
public sealed class PulseMetrics
{
    public PulseMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        JobDuration = factory.CreateHistogram("crmpulse_job_duration_seconds",
            "Duration of CrmPulse jobs (sync, kpi) per source, in seconds.",
            ["source", "job_type"], new HistogramConfiguration { Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        JobFailures = factory.CreateCounter("crmpulse_job_failures_total",
            "Jobs that failed, per source and job type.", ["source", "job_type"]);
        JobLastSuccess = factory.CreateGauge("crmpulse_job_last_success_timestamp_seconds",
            "Unix time of the last successful run of the job type for the source.", ["source", "job_type"]);
        RecordsSynced = factory.CreateCounter("crmpulse_source_records_synced_total",
            "Records upserted into the mirror by syncs, per source and object.", ["source", "object"]);
        RecordsDeleted = factory.CreateCounter("crmpulse_source_records_deleted_total",
            "Records removed from the mirror by syncs, per source.", ["source"]);
        RecordsRejected = factory.CreateCounter("crmpulse_source_records_rejected_total",
            "Rows or records a source skipped because they could not be read (a row with several bad cells counts once), per source.", ["source"]);
        SourceNotices = factory.CreateCounter("crmpulse_source_notices_total",
            "Notices of syncs: read with a caveat, no record skipped (a field the CRM hides, a value counted as empty, a full resync), per source.", ["source"]);
        MirrorRecords = factory.CreateGauge("crmpulse_source_mirror_records",
            "Records held in the mirror after the last sync, per source and object.", ["source", "object"]);
        SamplesAppended = factory.CreateCounter("crmpulse_ledger_samples_appended_total",
            "KPI samples appended to the ledger, per source.", ["source"]);
        AlertsFiring = factory.CreateGauge("crmpulse_alerts_firing",
            "Alert instances firing now, per rule and severity.", ["rule", "severity"]);
        BuildInfo = factory.CreateGauge("crmpulse_build_info", "CrmPulse build information; the value is always 1.", ["version"]);
        BuildInfo.WithLabels(typeof(PulseMetrics).Assembly.GetName().Version?.ToString() ?? "0").Set(1);
    }

    public Histogram JobDuration { get; }
    public Counter JobFailures { get; }
    public Gauge JobLastSuccess { get; }
    public Counter RecordsSynced { get; }
    public Counter RecordsDeleted { get; }
    public Counter RecordsRejected { get; }
    public Counter SourceNotices { get; }
    public Gauge MirrorRecords { get; }
    public Counter SamplesAppended { get; }
    public Gauge BuildInfo { get; }
    public Gauge AlertsFiring { get; }

    /// <summary>The object label for a kind: user, login, contact, company, deal, activity.</summary>
    public static string ObjectLabel(ObjectKind kind) => kind.ToString().ToLowerInvariant();
}
