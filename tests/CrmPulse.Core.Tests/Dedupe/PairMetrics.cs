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
}
