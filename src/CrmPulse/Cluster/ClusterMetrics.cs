using CrmPulse.Options;
using CrmPulse.Storage;
using Prometheus;

namespace CrmPulse.Cluster;

/// <summary>
/// The cluster's series on /metrics: which node answers (crmpulse_cluster_node_info), the members Quartz knows and their
/// last check-in (read from the store at each scrape, clustered only), and the job runs this node made. Every node
/// reports the members, so a scrape of any node shows a dead one (its check-in stops moving, then it leaves).
/// </summary>
public sealed class ClusterMetrics
{
    private readonly Gauge _members;
    private readonly Gauge _lastCheckin;

    public ClusterMetrics(CollectorRegistry registry, CrmPulseOptions options, IJobRuns runs, ILogger<ClusterMetrics> log)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var node = options.Cluster.NodeName;
        factory.CreateGauge("crmpulse_cluster_node_info",
            "The node that answers this scrape (CrmPulse:Cluster:NodeName) and whether it runs clustered; the value is always 1.",
            ["node", "clustered"]).WithLabels(node, options.Cluster.Enabled ? "true" : "false").Set(1);
        JobRuns = factory.CreateCounter("crmpulse_cluster_job_runs_total",
            "Runs of scheduled jobs this node made, per job type and outcome (ok, failed, not computed, cancelled).",
            ["node", "job_type", "outcome"]);
        JobDuration = factory.CreateHistogram("crmpulse_cluster_job_duration_seconds",
            "Duration of the scheduled jobs this node ran, per job type, in seconds (summed over the nodes: the cluster's work).",
            ["node", "job_type"], new HistogramConfiguration { Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        _members = factory.CreateGauge("crmpulse_cluster_members",
            "Nodes of the cluster as Quartz records them (qrtz_scheduler_state); a dead node leaves once another has recovered its jobs.");
        _lastCheckin = factory.CreateGauge("crmpulse_cluster_member_last_checkin_timestamp_seconds",
            "Unix time of each member's last check-in with the cluster.", ["node"]);
        if (!options.Cluster.Enabled) return;
        registry.AddBeforeCollectCallback(async ct =>
        {
            try
            {
                var members = await runs.ClusterMembersAsync(ct);
                _members.Set(members.Count);
                foreach (var labels in _lastCheckin.GetAllLabelValues().ToList())
                {
                    if (!members.Any(m => m.Node == labels[0])) _lastCheckin.RemoveLabelled(labels);
                }
                foreach (var m in members) _lastCheckin.WithLabels(m.Node).Set(m.LastCheckinAt.ToUnixTimeMilliseconds() / 1000.0);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store's failure shows on /readyz; the scrape still answers with the last values.
                log.LogDebug(e, "Cluster members could not be read for /metrics: {Error}", e.Message);
            }
        });
    }

    /// <summary>crmpulse_cluster_job_runs_total{node, job_type, outcome}.</summary>
    public Counter JobRuns { get; }

    /// <summary>crmpulse_cluster_job_duration_seconds{node, job_type}.</summary>
    public Histogram JobDuration { get; }
}
