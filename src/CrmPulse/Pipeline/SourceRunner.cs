using System.Diagnostics;
using System.Collections.Concurrent;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Metrics;
using CrmPulse.Storage;

namespace CrmPulse.Pipeline;

/// <summary>
/// Runs the two steps of a source: sync (source → mirror) and KPI pass (mirror → samples, per-user rows and issues,
/// committed in one transaction → gauges).
/// The Quartz jobs and --once both call it. It logs and counts every failure once and never throws, except on
/// cancellation: one source failing never stops the others or the daemon.
/// </summary>
public sealed class SourceRunner(
    SourceRegistry sources,
    IMirror mirror,
    IKpiStore kpis,
    KpiGauges gauges,
    PulseMetrics metrics,
    TimeProvider time,
    ILogger<SourceRunner> log,
    ICrmStore? dedupeStore = null)
{
    private const int ProblemsLogged = 10;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastKpiPass = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _leftOut = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Error, DateTimeOffset At)> _lastKpiError = new(StringComparer.Ordinal);
    // The matcher's state of each source and object as this process last wrote it (see LoadDedupeAsync).
    private readonly ConcurrentDictionary<(string Source, string Object), DedupeState> _dedupeStates = new();

    /// <summary>When this process last completed a KPI pass for the source, if it did.</summary>
    public DateTimeOffset? LastKpiPass(string source) => _lastKpiPass.TryGetValue(source, out var t) ? t : null;

    /// <summary>Why the source's last KPI pass failed, while its latest pass is a failure (a success clears it).</summary>
    public (string Error, DateTimeOffset At)? LastKpiError(string source) => _lastKpiError.TryGetValue(source, out var e) ? e : null;

    public async Task<bool> SyncAsync(string source, CancellationToken cancellationToken)
    {
        var crm = sources.Source(source);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var watermarks = await mirror.GetWatermarksAsync(source, cancellationToken);
            var changes = await crm.PullAsync(watermarks, cancellationToken);
            // Each phone is judged once, as its record enters the mirror: a KPI pass reads the verdict instead of
            // parsing every number again (libphonenumber, about 5 µs a number).
            DataQualityChecks.JudgePhones(changes.Contacts, sources.Config(source).KpiOptions.DataQuality);
            var result = await mirror.ApplyAsync(source, changes, time.GetUtcNow(), cancellationToken);

            foreach (var group in CountByKind(changes)) metrics.RecordsSynced.WithLabels(source, PulseMetrics.ObjectLabel(group.Key)).Inc(group.Value);
            metrics.RecordsDeleted.WithLabels(source).Inc(result.Deleted);
            metrics.RecordsRejected.WithLabels(source).Inc(result.RejectedRows);
            metrics.SourceNotices.WithLabels(source).Inc(result.Notices);
            await UpdateMirrorGaugesAsync(source, cancellationToken);
            if (changes.ApiUsage is { } usage) await RecordApiUsageAsync(source, usage, cancellationToken);

            if (changes.Problems.Count > 0)
            {
                log.LogWarning("Source {Source}: {Rows} row(s) could not be read and were skipped (kept as stored where known). First problems: {Problems}",
                    source, result.RejectedRows, string.Join("; ", changes.Problems.Take(ProblemsLogged)));
            }
            if (changes.Notices.Count > 0)
            {
                log.LogInformation("Source {Source}: {Count} notice(s): {Notices}", source, changes.Notices.Count,
                    string.Join("; ", changes.Notices.Take(ProblemsLogged)));
            }
            if (result.Error is { } failure)
            {
                // The kinds that read cleanly are applied; the failed ones keep their stored records. The sync is still a
                // failure, visible on /api/sources, /readyz and --once, until the files are fixed.
                metrics.JobFailures.WithLabels(source, "sync").Inc();
                log.LogError("Source {Source} sync failed: {Error}. The stored records of the failed kind(s) are kept; {Upserted} upserted, {Deleted} deleted in the other kinds",
                    source, failure, result.Upserted, result.Deleted);
                return false;
            }
            metrics.JobLastSuccess.WithLabels(source, "sync").Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
            log.LogInformation("Source {Source} synced: {Upserted} upserted, {Deleted} deleted, {Rejected} rejected in {Elapsed:0.00} s",
                source, result.Upserted, result.Deleted, result.RejectedRows, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            metrics.JobFailures.WithLabels(source, "sync").Inc();
            log.LogError(e is Core.Sources.SourceException or StoreWriteException ? null : e, "Source {Source} sync failed: {Error}", source, e.Message);
            // The failed pull's requests and errors happened: a CRM API that fails must show in its error ratio.
            if (crm.LastPullUsage is { Requests: > 0 } failedUsage) await RecordApiUsageAsync(source, failedUsage, CancellationToken.None);
            try
            {
                await mirror.RecordFailureAsync(source, e.Message, time.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception inner)
            {
                log.LogError(inner is StoreWriteException ? null : inner, "Could not record the sync failure of {Source} in the store: {Error}", source, inner.Message);
            }
            return false;
        }
        finally
        {
            metrics.JobDuration.WithLabels(source, "sync").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Computes the KPIs of a source at now. Skipped (false) while the source has never synced: no invented zeros.</summary>
    public async Task<bool> ComputeKpisAsync(string source, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var state = (await mirror.GetSyncStatesAsync(cancellationToken)).FirstOrDefault(s => s.Source == source);
            if (state is null || state.ReadKinds.Count == 0)
            {
                log.LogDebug("Source {Source} has no successful sync yet; KPI pass skipped", source);
                return false;
            }
            log.LogDebug("Source {Source}: KPI pass started", source);
            var snapshot = await mirror.LoadSnapshotAsync(source, cancellationToken);
            var asOf = time.GetUtcNow();
            var options = sources.Config(source).KpiOptions;
            var dedupe = await LoadDedupeAsync(source, options, cancellationToken);
            var result = KeepWhatWasRead(source, state,
                KpiEngine.Compute(snapshot, asOf, options, cancellationToken: cancellationToken, dedupe: dedupe));
            // Samples, per-user rows and issues in one transaction: the drill-down always lists the stored counts' records.
            await kpis.CommitPassAsync(source, asOf, result, cancellationToken);
            await SaveDedupeAsync(source, dedupe, cancellationToken);
            gauges.Publish(source, result.Samples);
            metrics.SamplesAppended.WithLabels(source).Inc(result.Samples.Count);
            metrics.JobLastSuccess.WithLabels(source, "kpi").Set(asOf.ToUnixTimeMilliseconds() / 1000.0);
            _lastKpiPass[source] = asOf;
            if (_lastKpiError.TryRemove(source, out _)) log.LogInformation("Source {Source}: the KPI pass succeeded again", source);
            log.LogInformation("Source {Source}: {Samples} KPI samples and {Issues} record issues computed as of {AsOf:u} in {Elapsed:0.00} s",
                source, result.Samples.Count, result.Issues.Count, asOf, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.LogInformation("Source {Source}: KPI pass cancelled (the daemon is stopping); nothing of it was stored", source);
            throw;
        }
        catch (Exception e)
        {
            metrics.JobFailures.WithLabels(source, "kpi").Inc();
            _lastKpiError[source] = (e.Message, time.GetUtcNow());
            // A store that cannot write fails every pass the same way: one line each, without a stack trace.
            log.LogError(e is StoreWriteException ? null : e, "Source {Source} KPI pass failed, nothing of it was stored: {Error}", source, e.Message);
            return false;
        }
        finally
        {
            metrics.JobDuration.WithLabels(source, "kpi").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>The matcher states for an incremental deduplication (null: a full one, as configured or without a
    /// store): the ones this process kept from its last pass when the store still holds that generation, else the
    /// store's (a million records are read once per process, not once per pass).</summary>
    private async Task<DedupeSession?> LoadDedupeAsync(string source, KpiOptions options, CancellationToken cancellationToken)
    {
        if (dedupeStore is null || !options.Dedupe.Incremental) return null;
        async Task<DedupeState?> Load(string objectType)
        {
            try
            {
                var generation = await dedupeStore.DedupeGenerationAsync(source, objectType, cancellationToken);
                if (generation is null) return null;
                if (_dedupeStates.TryGetValue((source, objectType), out var kept) && kept.Generation == generation) return kept;
                return await dedupeStore.LoadDedupeStateAsync(source, objectType, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Without a state the pass matches in full (the same clusters) and writes its state whole.
                log.LogWarning(e is StoreWriteException ? null : e, "Source {Source}: the stored {Object} deduplication state could not be read, matching in full: {Error}",
                    source, objectType, e.Message);
                return null;
            }
        }
        return new DedupeSession { PreviousContacts = await Load("contact"), PreviousCompanies = await Load("company") };
    }

    /// <summary>Keeps what the pass's matcher found for the next pass, in the store and in memory. After the pass is
    /// committed: a state that is not written leaves the stored one, which the next pass still compares against correctly.</summary>
    private async Task SaveDedupeAsync(string source, DedupeSession? dedupe, CancellationToken cancellationToken)
    {
        if (dedupeStore is null || dedupe is null) return;
        foreach (var (objectType, previous, found) in new[] { ("contact", dedupe.PreviousContacts, dedupe.Contacts), ("company", dedupe.PreviousCompanies, dedupe.Companies) })
        {
            if (found is null) continue;
            if (!found.Change.IsEmpty)
            {
                try
                {
                    found.State.Generation = await dedupeStore.SaveDedupeStateAsync(source, objectType, found.State, found.Change,
                        previous?.Generation, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The pass is stored; only the next one's work grows: it compares against the stored state, still correct.
                    _dedupeStates.TryRemove((source, objectType), out _);
                    log.LogWarning(e is StoreWriteException ? null : e, "Source {Source}: the {Object} deduplication state could not be stored: {Error}",
                        source, objectType, e.Message);
                    continue;
                }
                log.LogInformation("Source {Source}: {Object} deduplication {How}: {Comparisons} pairs compared, {Clusters} clusters",
                    source, objectType, found.FullReason is { } why ? $"matched in full ({why})" : "incremental", found.Comparisons, found.Clusters.Count);
            }
            _dedupeStates[(source, objectType)] = found.State;
        }
    }

    /// <summary>The KPIs a source's last pass left out because a kind they rest on was never read (empty when none).</summary>
    public IReadOnlyList<string> LeftOutKpis(string source) => _leftOut.TryGetValue(source, out var ids) ? ids : [];

    /// <summary>
    /// The pass without the KPIs that rest on a kind never read (a broken or missing file, a kind the CRM refused): 0
    /// contacts is a fact only when contacts were read. Says which were left out, and why.
    /// </summary>
    private KpiResult KeepWhatWasRead(string source, SyncState state, KpiResult result)
    {
        var kept = KpiInputs.Keep(result, state.ReadKinds, out var leftOut);
        _leftOut[source] = leftOut;
        if (leftOut.Count > 0)
        {
            var missing = Enum.GetValues<ObjectKind>().Where(k => !state.ReadKinds.Contains(k))
                .Select(k => (Kind: PulseMetrics.ObjectLabel(k), Error: state.Kinds.GetValueOrDefault(k)?.Error)).ToList();
            // A kind the source never provides (a File source without logins.csv) is a fact of the setup, not a fault.
            log.Log(missing.Any(m => m.Error is not null) ? LogLevel.Warning : LogLevel.Information,
                "Source {Source}: left out {Count} KPI(s) that rest on kinds never read: {Kinds}. Left out: {Kpis}",
                source, leftOut.Count, string.Join(", ", missing.Select(m => m.Error is null ? $"{m.Kind} (never read)" : $"{m.Kind} ({m.Error})")),
                string.Join(", ", leftOut));
        }
        return kept;
    }

    /// <summary>
    /// Shows the latest stored pass of every configured source on /metrics at start-up, before the first new pass: each
    /// producer's latest values (the KPI pass, the CRM API usage of the syncs) under its own gauge key.
    /// </summary>
    public async Task RestoreGaugesAsync(CancellationToken cancellationToken)
    {
        var latest = await kpis.LatestValuesAsync(cancellationToken);
        var configured = sources.Names.ToHashSet(StringComparer.Ordinal);
        foreach (var producer in latest.Values.Where(v => configured.Contains(v.Sample.Source) && KpiCatalog.TryGet(v.Sample.Kpi, out _))
                     .GroupBy(v => v.Producer, StringComparer.Ordinal))
        {
            gauges.Publish(producer.Key, producer.Select(v => v.Sample));
        }
        foreach (var name in sources.Names) await UpdateMirrorGaugesAsync(name, cancellationToken);
    }

    private long _storeGaugesVersion = long.MinValue;

    /// <summary>
    /// Clustered, at each scrape: the store-wide gauges as the store has them, whichever node ran the pass or sync, so
    /// every node shows the same values (the KPI gauges, the mirror's record counts, and the last successful sync and
    /// pass of each source). The KPI gauges are read again only when the ledger moved since the last scrape.
    /// </summary>
    public async Task RefreshStoreGaugesAsync(CancellationToken cancellationToken)
    {
        var version = await kpis.LedgerVersionAsync(cancellationToken);
        if (version != Interlocked.Read(ref _storeGaugesVersion))
        {
            var latest = await kpis.LatestValuesAsync(cancellationToken);
            var configured = sources.Names.ToHashSet(StringComparer.Ordinal);
            var values = latest.Values.Where(v => configured.Contains(v.Sample.Source) && KpiCatalog.TryGet(v.Sample.Kpi, out _)).ToList();
            foreach (var producer in values.GroupBy(v => v.Producer, StringComparer.Ordinal))
                gauges.Publish(producer.Key, producer.Select(v => v.Sample));
            // A source's pass is its own producer; its samples carry the pass's time.
            foreach (var pass in values.Where(v => configured.Contains(v.Producer)).GroupBy(v => v.Producer, StringComparer.Ordinal))
                metrics.JobLastSuccess.WithLabels(pass.Key, "kpi").Set(pass.Max(v => v.Sample.Time).ToUnixTimeMilliseconds() / 1000.0);
            Interlocked.Exchange(ref _storeGaugesVersion, latest.Version);
        }
        foreach (var state in await mirror.GetSyncStatesAsync(cancellationToken))
        {
            if (!sources.Contains(state.Source)) continue;
            foreach (var kind in Enum.GetValues<ObjectKind>())
                metrics.MirrorRecords.WithLabels(state.Source, PulseMetrics.ObjectLabel(kind)).Set(state.RecordCounts.GetValueOrDefault(kind));
            if (state.LastSuccessAt is { } synced) metrics.JobLastSuccess.WithLabels(state.Source, "sync").Set(synced.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    /// <summary>
    /// The crm_api_* samples of one sync (ledger and gauges). Published under their own gauge key, so a KPI pass
    /// (published under the source's name) and a sync never remove each other's series.
    /// </summary>
    private async Task RecordApiUsageAsync(string source, Core.Sources.ApiUsage usage, CancellationToken cancellationToken)
    {
        var samples = IntegrationKpis.FromApiUsage(source, usage, time.GetUtcNow());
        if (samples.Count == 0) return;
        try
        {
            await kpis.CommitProducedAsync(Producers.CrmApi(source), samples, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The sync itself is committed; losing one API-usage sample must not report it as failed.
            log.LogError(e is StoreWriteException ? null : e, "Source {Source}: the CRM API usage of this sync could not be stored: {Error}", source, e.Message);
            return;
        }
        gauges.Publish(Producers.CrmApi(source), samples);
        metrics.SamplesAppended.WithLabels(source).Inc(samples.Count);
    }

    private async Task UpdateMirrorGaugesAsync(string source, CancellationToken cancellationToken)
    {
        var state = (await mirror.GetSyncStatesAsync(cancellationToken)).FirstOrDefault(s => s.Source == source);
        if (state is null) return;
        foreach (var kind in Enum.GetValues<ObjectKind>())
            metrics.MirrorRecords.WithLabels(source, PulseMetrics.ObjectLabel(kind)).Set(state.RecordCounts.GetValueOrDefault(kind));
    }

    private static IEnumerable<KeyValuePair<ObjectKind, int>> CountByKind(Core.Sources.ChangeSet c) =>
    [
        new(ObjectKind.User, c.Users.Count), new(ObjectKind.Login, c.Logins.Count), new(ObjectKind.Contact, c.Contacts.Count),
        new(ObjectKind.Company, c.Companies.Count), new(ObjectKind.Deal, c.Deals.Count), new(ObjectKind.Activity, c.Activities.Count),
    ];
}
