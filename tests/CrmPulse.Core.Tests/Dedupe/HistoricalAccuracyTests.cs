using CrmPulse.Core.Dedupe;
using Xunit.Abstractions;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>
/// Accuracy of the contact matcher on a stand-in for Splink's historical_50k (<see cref="HistoricalData"/>: historical
/// people with heavy corruption, about 50,000 records), unsupervised and with the default options, as
/// <see cref="AccuracyTests"/> measures the labelled files: pairwise precision, recall and F1, and where the misses and
/// the wrong pairs come from.
/// </summary>
public sealed class HistoricalAccuracyTests(ITestOutputHelper output)
{
    // Measured (seed 17, 5,200 people, 50,955 records, 304,641 true pairs; README "Deduplication"): precision 0.9967,
    // recall 0.8555, F1 0.9207; blocking proposes 75.4 % of the true pairs (MatcherVersion 9; seeds 23 and 31 give F1
    // 0.9165 and 0.9183; versions 7 and 8 gave 0.9974 / 0.7880 / 0.8804, version 6 0.9994 / 0.6582 / 0.7937 and 69.0 %).
    // A change to the scoring should be judged on other seeds too, not only on this one. The floors sit just under them, so a change
    // that costs accuracy on this kind of data fails; the generator and the matcher are deterministic (fixed seeds), so
    // the figures only move when the code does. Issue 17's goal for the reviewer's historical data is F1 0.88.
    [Fact]
    public void Matcher_reaches_the_measured_precision_and_f1_on_the_historical_stand_in()
    {
        var path = Path.Combine(Path.GetTempPath(), $"crmpulse-historical-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        try
        {
            HistoricalData.WriteCsv(path, HistoricalData.Generate(people: 5200, seed: 17));
            var (people, entityOf) = HistoricalData.Load(path);
            var m = Measure(people, entityOf, HistoricalData.Options());
            Assert.True(m.Precision >= 0.996, $"precision {m.Precision:F4} < 0.996");
            Assert.True(m.F1 >= 0.919, $"F1 {m.F1:F4} < 0.919");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private (double Precision, double Recall, double F1) Measure(List<PersonRecord> people, Dictionary<string, string> entityOf, DedupeOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Deduplicator.MatchPeople(people, options);
        var seconds = clock.Elapsed.TotalSeconds;
        var (precision, recall, f1, truePairs, predicted) = PairMetrics.Measure(result.Clusters, entityOf);

        // Where each true pair that was missed, and each wrong pair, came from.
        var index = people.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var extras = options.Extras();
        var prepared = people.Select(p => new PreparedPerson(p, PreparedPerson.CompanyKey(p), null, extras)).ToArray();
        var (pairs, count) = BlockMatcher.Candidates(prepared.Length, PreparedPerson.MaxKeys, (i, keys) => prepared[i].AddKeys(keys),
            options.MaxBlockSize, options.LargeBlockWindow, i => prepared[i].SortKey());
        var proposed = new HashSet<long>(pairs.Take(count), BlockMatcher.PairHash.Instance);
        var matched = result.Pairs.Select(p => Pack(index[p.LeftId], index[p.RightId])).ToHashSet(BlockMatcher.PairHash.Instance);
        var clusterOf = new Dictionary<int, int>();
        for (var c = 0; c < result.Clusters.Count; c++)
        {
            foreach (var id in result.Clusters[c].RecordIds) clusterOf[index[id]] = c;
        }
        var patterns = new Dictionary<string, long>();
        long keptByBlocking = 0, neverProposed = 0, scoredTooLow = 0, keptApart = 0;
        foreach (var members in people.Select((p, i) => (Entity: entityOf[p.Id], i)).GroupBy(x => x.Entity, x => x.i))
        {
            var list = members.ToList();
            for (var x = 0; x < list.Count; x++)
            {
                for (var y = x + 1; y < list.Count; y++)
                {
                    var pair = Pack(list[x], list[y]);
                    if (proposed.Contains(pair)) keptByBlocking++;
                    if (clusterOf.TryGetValue(list[x], out var cx) && clusterOf.TryGetValue(list[y], out var cy) && cx == cy) continue;
                    if (!proposed.Contains(pair))
                    {
                        neverProposed++;
                        var key = Pattern(people[list[x]], people[list[y]]);
                        patterns[key] = patterns.GetValueOrDefault(key) + 1;
                    }
                    else if (!matched.Contains(pair)) scoredTooLow++;
                    else keptApart++;
                }
            }
        }
        long wrongMatched = 0, wrongChained = 0, wrongClusters = 0;
        foreach (var cluster in result.Clusters)
        {
            var ids = cluster.RecordIds.Select(id => index[id]).ToList();
            var before = wrongMatched + wrongChained;
            for (var x = 0; x < ids.Count; x++)
            {
                for (var y = x + 1; y < ids.Count; y++)
                {
                    if (entityOf[people[ids[x]].Id] == entityOf[people[ids[y]].Id]) continue;
                    if (matched.Contains(Pack(ids[x], ids[y]))) wrongMatched++; else wrongChained++;
                }
            }
            if (wrongMatched + wrongChained > before) wrongClusters++;
        }

        foreach (var (pattern, n) in patterns.OrderByDescending(p => p.Value).Take(8)) output.WriteLine($"  never proposed {n}: {pattern} (= agree, x differ, - missing on a side)");
        var missed = truePairs - (long)Math.Round(recall * truePairs);
        output.WriteLine($"historical stand-in: records {people.Count}, people {entityOf.Values.Distinct().Count()}, true pairs {truePairs}, " +
                         $"candidates {result.Candidates}, kept by blocking {100.0 * keptByBlocking / truePairs:F1} %, matched pairs {result.Pairs.Count}, " +
                         $"predicted pairs {predicted}, {seconds:F1} s");
        output.WriteLine($"precision {precision:F4}, recall {recall:F4}, F1 {f1:F4}");
        output.WriteLine($"missed true pairs {missed}: blocking never proposed {neverProposed}, proposed but scored under the threshold {scoredTooLow}, " +
                         $"matched but kept apart by clustering {keptApart}");
        output.WriteLine($"wrong pairs {wrongMatched + wrongChained} in {wrongClusters} clusters: matched directly {wrongMatched}, through the cluster (chaining) {wrongChained}");
        return (precision, recall, f1);
    }

    private static string Pattern(PersonRecord a, PersonRecord b)
    {
        static string Cmp(string? x, string? y) => x is null || y is null ? "-" : x == y ? "=" : "x";
        return $"first{Cmp(a.FirstName, b.FirstName)} last{Cmp(a.LastName, b.LastName)} dob{Cmp(a.BirthDate, b.BirthDate)} " +
               $"year{Cmp(a.BirthDate?[..4], b.BirthDate?[..4])} place{Cmp(a.City, b.City)} postcode{Cmp(a.Postcode, b.Postcode)} " +
               $"outward{Cmp(a.Postcode?.Split(' ')[0], b.Postcode?.Split(' ')[0])}";
    }

    private static long Pack(int i, int j) => i < j ? (long)i << 32 | (uint)j : (long)j << 32 | (uint)i;
}
