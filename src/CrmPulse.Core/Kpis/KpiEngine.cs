using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>The KPI engine: (mirror snapshot, asOf, options) → samples. Pure; the same code for every source.</summary>
/// <remarks>
/// The families run on every core (each family into its own output), while the duplicate clusters are found in the
/// background from the start of a full pass (a full match of many contacts runs first, alone: see <see cref="Compute"/>).
/// The result does not depend on that: the outputs are joined in catalog order, and what families share
/// (<see cref="KpiContext.Shared{T}"/>, the clusters) is built once, whichever family asks first, by deterministic code.
/// </remarks>
public static class KpiEngine
{
    /// <summary>Computes every family of the catalog (or only <paramref name="rebuildableOnly"/> KPIs for past dates).</summary>
    /// <remarks>Cancellation is checked before each family: a daemon that stops does not finish a pass nobody will store.</remarks>
    /// <param name="dedupe">The stored matcher states, for an incremental deduplication (<see cref="KpiContext"/>).</param>
    public static KpiResult Compute(CrmSnapshot snapshot, DateTimeOffset asOf, KpiOptions options, bool rebuildableOnly = false,
        CancellationToken cancellationToken = default, DedupeSession? dedupe = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = new KpiContext(snapshot, asOf, options, dedupe);
        // A past date only gets rebuildable KPIs: a family with none (data quality, duplicates) is not run at all,
        // so a backfill does not pay for deduplication at every step.
        var families = KpiCatalog.Families.Where(f => !rebuildableOnly || f.Definitions.Any(d => d.Rebuildable)).ToArray();
        var outputs = families.Select(_ => new KpiOutput(snapshot.Source, asOf)).ToArray();
        // A past date (backfill) gets no duplicate KPIs, so only a full pass starts the matcher early. The families that
        // read the clusters run once they are there: waiting inside them would hold a worker thread that the
        // matcher's own parallel loops need.
        var clustering = rebuildableOnly ? null : context.StartClustering();
        if (clustering is not null && context.MatchesContactsInFull && snapshot.Contacts.Count >= LargeFullMatch)
        {
            // A full match of many contacts holds a few hundred MB (prepared contacts, key chunks, candidate pairs:
            // large arrays, garbage at its end that only a gen-2 collection frees). Beside the families, those arrays
            // and the families' results made the pass's peak together; run first without a collection, the families
            // would fill new memory on top of its garbage. So it runs first, then one blocking collection (about 0.2 s
            // at a million contacts, once per full match; the pass had a gen-2 collection anyway) frees it before the
            // families build their results: the peak at a million contacts is 0.2 GB lower (README "Benchmarks").
            clustering.WaitAsync(cancellationToken).GetAwaiter().GetResult(); // a daemon that stops does not wait for the match
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
        else if (clustering is not null && snapshot.Contacts.Count >= LargeFullMatch)
        {
            // An incremental match runs beside the families. A pass has no gen-2 collection of its own, so the garbage of
            // the match and of the families run so far (arrays of 3 MB and more among it, freed only by a gen-2
            // collection) would stay while the later families add theirs and the results grow. When the match ends, a
            // background collection (no pause to speak of: the families go on) frees it for the later families to reuse:
            // at a million contacts the pass's peak is 35-40 MB lower (its heap at the end 50 MB), at no CPU time the
            // benchmark could tell from its spread between runs (README "Benchmarks").
            _ = clustering.ContinueWith(static _ => GC.Collect(2, GCCollectionMode.Forced, blocking: false, compacting: false),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        var indexes = Enumerable.Range(0, families.Length).ToArray();
        Run(families, outputs, context, indexes.Where(i => !ReadsClusters(families[i])), cancellationToken);
        clustering?.GetAwaiter().GetResult();
        Run(families, outputs, context, indexes.Where(i => ReadsClusters(families[i])), cancellationToken);

        var output = new KpiOutput(snapshot.Source, asOf);
        foreach (var o in outputs)
        {
            output.Samples.AddRange(o.Samples);
            output.Users.AddRange(o.Users);
            if (!rebuildableOnly) output.Issues.AddRange(o.Issues);
        }
        IReadOnlyList<KpiSample> samples = output.Samples;
        if (rebuildableOnly)
        {
            samples = samples.Where(s => KpiCatalog.Get(s.Kpi).Rebuildable).ToList();
        }
        return new KpiResult(samples, output.Users, rebuildableOnly ? [] : output.Issues);
    }

    /// <summary>From this many contacts a full match runs before the families, followed by a collection (see
    /// <see cref="Compute"/>); below it, its garbage is small and the families run beside it.</summary>
    private const int LargeFullMatch = 100_000;

    /// <summary>Computes the families at <paramref name="indexes"/> on every core, each into its own output.</summary>
    private static void Run(IKpiFamily[] families, KpiOutput[] outputs, KpiContext context, IEnumerable<int> indexes,
        CancellationToken cancellationToken)
    {
        try
        {
            // Taken one at a time in catalog order by whichever worker is free.
            Parallel.ForEach(Partitioner.Create(indexes, EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                i => families[i].Compute(context, outputs[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); // the family's own exception, as when run one by one
        }
    }

    /// <summary>The families that read <see cref="KpiContext.ContactClusters"/> or <see cref="KpiContext.CompanyClusters"/>.</summary>
    private static bool ReadsClusters(IKpiFamily family) => family is DataQualityScoreKpis or DuplicateKpis or IntegrationKpis;
}
