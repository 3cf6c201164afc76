using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>Pairwise precision, recall and F1 of predicted clusters against the true entity of each record.</summary>
internal static class PairMetrics
{
    public static (double Precision, double Recall, double F1, long TruePairs, long PredictedPairs) Measure(
        IReadOnlyList<DuplicateCluster> clusters, IReadOnlyDictionary<string, string> entityOf)
    {
        // True pairs: n(n−1)/2 per entity. Predicted pairs: the same inside each predicted cluster.
        long truePairs = entityOf.Values.GroupBy(e => e).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        long predicted = 0, correct = 0;
        foreach (var cluster in clusters)
        {
            var n = cluster.RecordIds.Count;
            predicted += (long)n * (n - 1) / 2;
            correct += cluster.RecordIds.GroupBy(id => entityOf[id]).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        }
        var precision = predicted == 0 ? 0 : (double)correct / predicted;
        var recall = truePairs == 0 ? 0 : (double)correct / truePairs;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return (precision, recall, f1, truePairs, predicted);
    }

    /// <summary>The share of the true pairs that blocking proposes (the README accuracy table's "true pairs kept by
    /// blocking"): the most recall any scoring could reach without clusters joining pairs blocking missed.</summary>
    public static double KeptByBlocking(IReadOnlyList<PersonRecord> people, IReadOnlyDictionary<string, string> entityOf, DedupeOptions options)
    {
        var extras = options.Extras();
        var prepared = people.Select(p => new PreparedPerson(p, PreparedPerson.CompanyKey(p), null, extras)).ToArray();
        var (pairs, count) = BlockMatcher.Candidates(prepared.Length, PreparedPerson.MaxKeys, (i, keys) => prepared[i].AddKeys(keys),
            options.MaxBlockSize, options.LargeBlockWindow, i => prepared[i].SortKey());
        var proposed = new HashSet<long>(pairs.Take(count), BlockMatcher.PairHash.Instance);
        long truePairs = 0, kept = 0;
        foreach (var members in people.Select((p, i) => (Entity: entityOf[p.Id], i)).GroupBy(x => x.Entity, x => x.i))
        {
            var list = members.ToList();
            for (var x = 0; x < list.Count; x++)
            {
                for (var y = x + 1; y < list.Count; y++)
                {
                    truePairs++;
                    // Candidates are packed smaller index first (BlockMatcher.Candidates); the group is in index order.
                    if (proposed.Contains((long)list[x] << 32 | (uint)list[y])) kept++;
                }
            }
        }
        return truePairs == 0 ? 0 : (double)kept / truePairs;
    }
}
