using System.Collections.Concurrent;
using System.Diagnostics;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Reconciliation;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Metrics;

namespace CrmPulse.Reconciliation;

/// <summary>
/// The pair pass: reads the two sources' mirrors, reconciles them and commits the samples and issues in one transaction
/// under the pair's name (its <c>source</c> tag), then shows them on /metrics. It runs after both sources have synced
/// (skipped before: no invented gaps), reconciles only the objects both sources have read, and never throws except on
/// cancellation: a failing pair never stops the sources or the daemon.
/// </summary>
public sealed class ReconciliationRunner(
    IReadOnlyList<ReconciliationPair> pairs,
    SourceRegistry sources,
    IMirror mirror,
    IKpiStore kpis,
    KpiGauges gauges,
    PulseMetrics metrics,
    TimeProvider time,
    ILogger<ReconciliationRunner> log)
{
    private readonly ConcurrentDictionary<string, PairStatus> _status = new(StringComparer.Ordinal);

    /// <summary>The host's clock now.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The configured pairs, in configuration order.</summary>
    public IReadOnlyList<ReconciliationPair> Pairs => pairs;

    public ReconciliationPair? Pair(string name) => pairs.FirstOrDefault(p => p.Name == name);

    /// <summary>What this process knows of a pair's last pass: when, and why it failed or was skipped.</summary>
    public PairStatus Status(string name) => _status.GetValueOrDefault(name) ?? new PairStatus(null, null, null, []);

    /// <summary>Runs one pass of <paramref name="name"/>; false when it was skipped or failed (the reason is in its status).</summary>
    public async Task<bool> RunAsync(string name, CancellationToken cancellationToken)
    {
        var pair = Pair(name) ?? throw new ArgumentException($"No reconciliation pair '{name}'.", nameof(name));
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (snapshots, readable, problem) = await LoadAsync(pair, cancellationToken);
            if (snapshots is null)
            {
                log.LogInformation("Reconciliation {Pair}: pass skipped: {Reason}", name, problem);
                _status[name] = Status(name) with { Skipped = problem };
                return false;
            }
            var asOf = time.GetUtcNow();
            var findings = ReconciliationKpis.Reconcile(readable!, snapshots.Value.Old, snapshots.Value.New, asOf, sources.Config(pair.NewSource).KpiOptions.Dedupe);
            await kpis.CommitPassAsync(pair.Name, asOf, findings.Kpis, cancellationToken);
            gauges.Publish(Producers.KpiPass(pair.Name), findings.Kpis.Samples);
            metrics.SamplesAppended.WithLabels(pair.Name).Inc(findings.Kpis.Samples.Count);
            metrics.JobLastSuccess.WithLabels(pair.Name, "reconciliation").Set(asOf.ToUnixTimeMilliseconds() / 1000.0);
            var leftOut = pair.Objects.Keys.Where(o => !readable!.Objects.ContainsKey(o)).ToList();
            _status[name] = new PairStatus(asOf, null, null, leftOut);
            log.LogInformation("Reconciliation {Pair} ({Old} → {New}): {Missing} missing, {Extra} extra, {Lost} lost associations, {Emptied} emptied properties, {Delta} after the cut-over, in {Elapsed:0.00} s",
                name, pair.OldSource, pair.NewSource, findings.Missing.Count, findings.Extra.Count, findings.LostAssociations.Count,
                findings.EmptiedProperties.Count, findings.Delta.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            metrics.JobFailures.WithLabels(pair.Name, "reconciliation").Inc();
            _status[name] = Status(name) with { Error = e.Message, Skipped = null };
            log.LogError(e is StoreWriteException ? null : e, "Reconciliation {Pair} failed, nothing of it was stored: {Error}", name, e.Message);
            return false;
        }
        finally
        {
            metrics.JobDuration.WithLabels(pair.Name, "reconciliation").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// Both mirrors and the pair narrowed to the objects both sources have read; null with the reason while a source has
    /// never synced or no object was read on both sides.
    /// </summary>
    public async Task<((CrmSnapshot Old, CrmSnapshot New)? Snapshots, ReconciliationPair? Readable, string? Problem)> LoadAsync(
        ReconciliationPair pair, CancellationToken cancellationToken)
    {
        var states = await mirror.GetSyncStatesAsync(cancellationToken);
        var oldState = states.FirstOrDefault(s => s.Source == pair.OldSource);
        var newState = states.FirstOrDefault(s => s.Source == pair.NewSource);
        foreach (var (side, state) in new[] { (pair.OldSource, oldState), (pair.NewSource, newState) })
        {
            if (state is null || state.ReadKinds.Count == 0) return (null, null, $"source '{side}' has not synced yet");
        }
        var objects = pair.Objects.Where(o => oldState!.ReadKinds.Contains(KindOf(o.Key)) && newState!.ReadKinds.Contains(KindOf(o.Key)))
            .ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
        if (objects.Count == 0) return (null, null, "no reconciled object was read by both sources");
        var left = pair.Objects.Keys.Where(o => !objects.ContainsKey(o)).ToList();
        if (left.Count > 0)
            log.LogWarning("Reconciliation {Pair}: {Objects} left out: not read by both {Old} and {New}", pair.Name, string.Join(", ", left), pair.OldSource, pair.NewSource);
        var old = await mirror.LoadSnapshotAsync(pair.OldSource, cancellationToken);
        var @new = await mirror.LoadSnapshotAsync(pair.NewSource, cancellationToken);
        return ((old, @new), pair with { Objects = objects }, null);
    }

    /// <summary>Shows each pair's latest stored pass on /metrics at start-up, before its first new pass.</summary>
    public async Task RestoreGaugesAsync(CancellationToken cancellationToken)
    {
        if (pairs.Count == 0) return;
        var names = pairs.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var latest = await kpis.LatestValuesAsync(cancellationToken);
        foreach (var producer in latest.Values.Where(v => names.Contains(v.Producer) && KpiCatalog.TryGet(v.Sample.Kpi, out _)).GroupBy(v => v.Producer, StringComparer.Ordinal))
            gauges.Publish(producer.Key, producer.Select(v => v.Sample));
    }

    private static ObjectKind KindOf(string objectType) => objectType switch
    {
        "contact" => ObjectKind.Contact,
        "company" => ObjectKind.Company,
        _ => ObjectKind.Deal,
    };
}

/// <summary>A pair's last pass in this process: when it succeeded, why the latest one failed or was skipped, and the
/// objects it left out (not read by both sources).</summary>
public sealed record PairStatus(DateTimeOffset? LastPassAt, string? Error, string? Skipped, IReadOnlyList<string> LeftOut);
