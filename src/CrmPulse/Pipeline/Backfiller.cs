using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using CrmPulse.Storage;

namespace CrmPulse.Pipeline;

/// <summary>
/// Rebuilds history: for each day of a window, the KPIs the catalog marks rebuildable are computed from the mirror at
/// that day's 00:00 UTC and appended to the ledger with that timestamp (the outbox then publishes them). Each day is
/// recorded with its samples in one transaction, so an interrupted backfill resumes where it stopped and a second run
/// never doubles a sample.
/// </summary>
public sealed class Backfiller(SourceRegistry sources, IMirror mirror, ICrmStore store, TimeProvider time, ILogger<Backfiller> log)
{
    /// <summary>The as-of times of a window of <paramref name="days"/> days ending at <paramref name="anchor"/>'s day:
    /// 00:00 UTC of each day, oldest first, the last one the anchor's own midnight.</summary>
    public static IReadOnlyList<DateTimeOffset> Steps(DateTimeOffset anchor, int days)
    {
        var midnight = new DateTimeOffset(anchor.UtcDateTime.Date, TimeSpan.Zero);
        return Enumerable.Range(0, days).Select(i => midnight.AddDays(i - days + 1)).ToList();
    }

    /// <summary>
    /// Backfills <paramref name="days"/> days ending today for <paramref name="source"/>. Needs a synced mirror
    /// (returns false and logs when the source has never synced). Cancellation stops between days.
    /// </summary>
    public Task<bool> RunAsync(string source, int days, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken) =>
        RunWindowAsync(source, Steps(time.GetUtcNow(), days), progress, cancellationToken);

    /// <summary>
    /// The automatic backfill on a source's first run (SourceOptions.BackfillDays): its window is fixed the first time
    /// and later calls finish that same window; nothing to do once it is complete.
    /// </summary>
    public async Task<bool> RunFirstRunAsync(string source, CancellationToken cancellationToken)
    {
        var days = sources.Config(source).Options.BackfillDays;
        if (days <= 0) return true;
        var today = Steps(time.GetUtcNow(), 1)[0];
        var (anchor, planned) = await store.GetOrCreateBackfillPlanAsync(source, today, days, cancellationToken);
        return await RunWindowAsync(source, Steps(anchor, planned), new LogProgress(log), cancellationToken);
    }

    private async Task<bool> RunWindowAsync(string source, IReadOnlyList<DateTimeOffset> steps, IProgress<BackfillProgress>? progress,
        CancellationToken cancellationToken)
    {
        var state = (await mirror.GetSyncStatesAsync(cancellationToken)).FirstOrDefault(s => s.Source == source);
        if (state is null || state.ReadKinds.Count == 0)
        {
            log.LogWarning("Source {Source} has never synced; nothing to backfill from yet", source);
            return false;
        }
        if (state.LastError is { } error)
        {
            // A step, once done, is not rebuilt: history rebuilt now would lack what the failed kind holds.
            log.LogWarning("Backfill of {Source} waits for a successful sync; the last one failed: {Error}", source, error);
            return false;
        }
        var done = await store.GetBackfillStepsAsync(source, cancellationToken);
        var todo = steps.Where(s => !done.Contains(s)).ToList();
        if (todo.Count == 0) return true;
        log.LogInformation("Backfill of {Source}: {Todo} of {Total} day(s) to rebuild ({From:yyyy-MM-dd} to {To:yyyy-MM-dd})",
            source, todo.Count, steps.Count, steps[0], steps[^1]);
        var snapshot = await mirror.LoadSnapshotAsync(source, cancellationToken);
        var options = sources.Config(source).KpiOptions;
        var finished = steps.Count - todo.Count;
        long samples = 0;
        foreach (var asOf in todo)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Kinds never read (a file the source does not have) give no history either, as they give no KPIs.
            var result = KpiInputs.Keep(KpiEngine.Compute(snapshot, asOf, options, rebuildableOnly: true), state.ReadKinds, out _);
            // Per-user rows are rebuilt too (logins and activities up to asOf), so crm_user_activity has history.
            if (await store.AppendBackfillStepAsync(source, asOf, result.Samples, result.Users, time.GetUtcNow(), CancellationToken.None))
                samples += result.Samples.Count;
            finished++;
            progress?.Report(new BackfillProgress(source, finished, steps.Count, asOf, samples));
        }
        log.LogInformation("Backfill of {Source} complete: {Samples} sample(s) appended", source, samples);
        return true;
    }

    /// <summary>Log lines at every tenth of the way (and the last step), for the daemon and redirected output.</summary>
    private sealed class LogProgress(ILogger log) : IProgress<BackfillProgress>
    {
        private int _lastTenth = -1;

        public void Report(BackfillProgress value)
        {
            var tenth = value.Done * 10 / value.Total;
            if (tenth == _lastTenth && value.Done != value.Total) return;
            _lastTenth = tenth;
            log.LogInformation("Backfill of {Source}: {Done}/{Total} days (up to {AsOf:yyyy-MM-dd})", value.Source, value.Done, value.Total, value.AsOf);
        }
    }
}
