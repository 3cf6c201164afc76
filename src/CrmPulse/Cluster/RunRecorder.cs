using CrmPulse.Options;
using CrmPulse.Storage;
using Quartz;

namespace CrmPulse.Cluster;

/// <summary>
/// Records every run of a CrmPulse job in the runs table (<see cref="IJobRuns"/>): its start before the job runs, its
/// end and outcome after. The outcome is what the job put in <see cref="IJobExecutionContext.Result"/> ("ok", "failed",
/// "not computed"), "failed" when it threw, "cancelled" when it was stopped. A store that cannot write costs the record,
/// never the run.
/// </summary>
public sealed class RunRecorder(IJobRuns runs, CrmPulseOptions options, ClusterMetrics metrics, TimeProvider time, ILogger<RunRecorder> log)
    : IJobListener
{
    /// <summary>The run id of each firing in progress, by its fire instance id.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _running = new(StringComparer.Ordinal);

    public string Name => "crmpulse-runs";

    /// <summary>"sync:demo" → ("sync", "demo"); null for a key without that shape.</summary>
    public static (string Job, string Source)? Parse(JobKey key)
    {
        var colon = key.Name.IndexOf(':');
        return colon <= 0 || colon == key.Name.Length - 1 ? null : (key.Name[..colon], key.Name[(colon + 1)..]);
    }

    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (Parse(context.JobDetail.Key) is not { } job) return;
        try
        {
            var id = await runs.StartRunAsync(job.Job, job.Source, options.Cluster.NodeName, context.Recovering, time.GetUtcNow(), cancellationToken);
            _running[context.FireInstanceId] = id;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("The start of {Job} could not be recorded in the runs table: {Error}", context.JobDetail.Key.Name, e.Message);
        }
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        if (Parse(context.JobDetail.Key) is not { } job) return;
        // A job stopped by the node's shutdown throws OperationCanceledException, which Quartz reports with no exception
        // (and reruns elsewhere): its signalled token, and no result of its own, say it was cancelled.
        var outcome = jobException is not null ? (jobException.InnerException is OperationCanceledException ? "cancelled" : "failed")
            : context.Result as string ?? (context.CancellationToken.IsCancellationRequested ? "cancelled" : "ok");
        metrics.JobRuns.WithLabels(options.Cluster.NodeName, job.Job, outcome).Inc();
        metrics.JobDuration.WithLabels(options.Cluster.NodeName, job.Job).Observe(context.JobRunTime.TotalSeconds);
        if (!_running.TryRemove(context.FireInstanceId, out var id)) return;
        try
        {
            // Not the job's token: a run cancelled by the stop is still recorded as ended.
            await runs.FinishRunAsync(id, outcome, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning("The end of {Job} could not be recorded in the runs table: {Error}", context.JobDetail.Key.Name, e.Message);
        }
    }
}
