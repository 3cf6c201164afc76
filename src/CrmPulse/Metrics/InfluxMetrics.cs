using Prometheus;

namespace CrmPulse.Metrics;

/// <summary>
/// The InfluxDB outbox on /metrics: is history reaching InfluxDB, and how far behind is it? The last error's text is on
/// GET /api/publishers/influxdb (a text label here would make a new series per message).
/// </summary>
public sealed class InfluxMetrics
{
    public InfluxMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        BacklogSamples = factory.CreateGauge("crmpulse_influx_backlog_samples",
            "Ledger samples not yet acknowledged by InfluxDB.");
        BacklogUserRows = factory.CreateGauge("crmpulse_influx_backlog_user_rows",
            "Per-user rows not yet acknowledged by InfluxDB.");
        OldestUnsentAge = factory.CreateGauge("crmpulse_influx_oldest_unsent_sample_age_seconds",
            "Age of the oldest unsent sample (now minus its as-of time), in seconds; 0 when nothing is pending.");
        PointsWritten = factory.CreateCounter("crmpulse_influx_points_written_total",
            "Points InfluxDB acknowledged.");
        WriteFailures = factory.CreateCounter("crmpulse_influx_write_failures_total",
            "Write attempts that failed and will be retried (429, 5xx, network errors, timeouts).");
        ParkedBatches = factory.CreateGauge("crmpulse_influx_parked_batches",
            "Batches InfluxDB refused for good (4xx) and that were parked in the store.");
        LastSuccess = factory.CreateGauge("crmpulse_influx_last_success_timestamp_seconds",
            "Unix time InfluxDB last acknowledged a batch.");
        LastError = factory.CreateGauge("crmpulse_influx_last_error_timestamp_seconds",
            "Unix time of the last failed or refused write.");
    }

    public Gauge BacklogSamples { get; }
    public Gauge BacklogUserRows { get; }
    public Gauge OldestUnsentAge { get; }
    public Counter PointsWritten { get; }
    public Counter WriteFailures { get; }
    public Gauge ParkedBatches { get; }
    public Gauge LastSuccess { get; }
    public Gauge LastError { get; }
}
