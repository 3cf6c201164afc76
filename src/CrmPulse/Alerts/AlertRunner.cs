using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Metrics;
using CrmPulse.Storage;

namespace CrmPulse.Alerts;

/// <summary>
/// Evaluates the alert rules over the ledger after every KPI pass (and probe and backfill): one round at a time,
/// states restored from the store on the first round and stored after each, notifications queued on the
/// <see cref="AlertNotifier"/> (which never makes a round wait for a webhook), the firing gauge updated.
/// </summary>
public sealed class AlertRunner(
    AlertRuleSet rules,
    AlertsOptions options,
    ILedger ledger,
    IMirror mirror,
    ICrmStore store,
    SourceRegistry sources,
    AlertNotifier notifier,
    PulseMetrics metrics,
    TimeProvider time,
    ILogger<AlertRunner> log,
    Cluster.ClusterLocks? locks = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // A source that has never synced counts from the start of this process: a slow first sync is not "stale" at once.
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private AlertEngine? _engine;

    /// <summary>The rules in force.</summary>
    public AlertRuleSet Rules => rules;

    /// <summary>Loads the stored states (once) and shows them on the firing gauge, before the first round.</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EngineAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One round over every rule (or only the rules on the given KPIs) at the TimeProvider's now. Logs and
    /// skips a rule that fails; never throws except on cancellation.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken, IReadOnlyCollection<string>? onlyKpis = null)
    {
        await _gate.WaitAsync(cancellationToken);
        IAsyncDisposable? clusterWide = null;
        try
        {
            if (locks is { Clustered: true })
            {
                // A cluster-wide singleton: one node evaluates at a time, from the states the last round stored
                // (whichever node made it), so an alert fires and notifies once.
                clusterWide = await locks.AcquireAsync(Cluster.ClusterLocks.Alerts, cancellationToken);
                _engine = null;
            }
            var engine = await EngineAsync(cancellationToken);
            var now = time.GetUtcNow();
            var changed = new List<AlertInstance>();
            var removed = new List<string>();
            var events = new List<AlertEvent>();
            foreach (var rule in rules.Rules.Where(r => onlyKpis is null || onlyKpis.Contains(r.Kpi)))
            {
                try
                {
                    var samples = await SamplesAsync(rule, now, cancellationToken);
                    var round = engine.Evaluate(rule, samples, now, rule.Kpi == AlertRule.SyncKpi ? sources.Names.ToList() : null);
                    changed.AddRange(round.Changed);
                    removed.AddRange(round.Removed);
                    events.AddRange(round.Events);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    log.LogError(e, "Alert rule {Rule} could not be evaluated: {Error}", rule.Name, e.Message);
                }
            }
            await store.SaveAlertsAsync(changed, removed, now - options.KeepResolvedFor, cancellationToken);
            foreach (var e in events)
            {
                log.Log(e.Kind == AlertEventKind.Resolved ? LogLevel.Information : LogLevel.Warning,
                    "Alert {Event}: {Summary}", e.Kind.ToString().ToLowerInvariant(), e.Instance.Summary);
            }
            await notifier.QueueAsync(events, cancellationToken);
            PublishGauge(engine);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store that cannot write fails every round the same way: one line, no stack trace.
            log.LogError(e is StoreWriteException ? null : e, "Alert evaluation failed: {Error}", e.Message);
        }
        finally
        {
            if (clusterWide is not null) await clusterWide.DisposeAsync();
            _gate.Release();
        }
    }

    private async Task<AlertEngine> EngineAsync(CancellationToken cancellationToken)
    {
        if (_engine is not null) return _engine;
        _engine = new AlertEngine(rules, await store.LoadAlertsAsync(cancellationToken));
        PublishGauge(_engine);
        return _engine;
    }

    /// <summary>The samples a rule reads: the series over its lookback; for absent rules the latest sample of each
    /// series (or each source's last successful sync for "@sync", the start of this process for one never synced).</summary>
    private async Task<IReadOnlyList<KpiSample>> SamplesAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rule.Kind != AlertKind.Absent) return await ledger.SeriesAsync(rule.Kpi, rule.Source, now - rule.Lookback, now, cancellationToken);
        if (rule.Kpi == AlertRule.SyncKpi)
        {
            var synced = (await mirror.GetSyncStatesAsync(cancellationToken)).Where(s => s.LastSuccessAt is not null)
                .ToDictionary(s => s.Source, s => s.LastSuccessAt!.Value, StringComparer.Ordinal);
            return sources.Names.Select(name => synced.TryGetValue(name, out var at)
                ? new KpiSample(AlertRule.SyncKpi, name, Dimensions.None, 1, at)
                : new KpiSample(AlertRule.SyncKpi, name, Dimensions.None, 0, _started)).ToList();
        }
        return (await ledger.LatestAsync(rule.Source, cancellationToken)).Where(s => s.Kpi == rule.Kpi).ToList();
    }

    /// <summary>crmpulse_alerts_firing{rule,severity}: every rule has its series, 0 when nothing fires.</summary>
    private void PublishGauge(AlertEngine engine)
    {
        var firing = engine.Instances.Where(i => i.Status == AlertStatus.Firing).GroupBy(i => i.Rule).ToDictionary(g => g.Key, g => g.Count());
        foreach (var rule in rules.Rules) metrics.AlertsFiring.WithLabels(rule.Name, rule.Severity).Set(firing.GetValueOrDefault(rule.Name));
    }
}
