using System.Diagnostics;
using System.Globalization;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Benchmarks;

/// <summary>
/// --dedupe-only: the contact deduplication at three sizes and its accuracy on the planted duplicates, as section 2 of
/// Program.cs measures them, without the KPI pass rounds (minutes at full scale on a busy machine).
/// </summary>
internal static class DedupeOnly
{
    public static int Run(OrgGenerator generator, CrmSnapshot snapshot, bool misses = false)
    {
        var clusters = MeasureContacts(snapshot);
        PrintAccuracy(generator, clusters);
        if (misses) PrintMisses(generator, snapshot, clusters);
        Console.WriteLine($"Process peak working set: {Mb(Peak())}");
        return 0;
    }

    private static double Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    private static long Peak()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");

    /// <summary>The dedupe options measured: the defaults, with --weights fixed|fitted (DedupeOptions.Weights) when given.</summary>
    public static DedupeOptions Options()
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, "--weights");
        var options = new DedupeOptions();
        if (at >= 0 && at + 1 < args.Length) options.Weights = Enum.Parse<DedupeWeights>(args[at + 1], ignoreCase: true);
        var t = Array.IndexOf(args, "--fitted-threshold");
        if (t >= 0 && t + 1 < args.Length) options.FittedThreshold = double.Parse(args[t + 1], CultureInfo.InvariantCulture);
        return options;
    }

    /// <summary>Contact deduplication alone at a quarter, half and all of the contacts, printed with the growth of its
    /// CPU time (2.00 is linear); returns the clusters of the whole set.</summary>
    public static IReadOnlyList<DuplicateCluster> MeasureContacts(CrmSnapshot snapshot)
    {
        var companyNames = snapshot.Companies.Where(c => c.Name is not null).ToDictionary(c => c.Id, c => c.Name!);
        Console.WriteLine($"Contact weights: {Options().Weights} (fitted threshold {Options().FittedThreshold})");
        var sizes = new[] { snapshot.Contacts.Count / 4, snapshot.Contacts.Count / 2, snapshot.Contacts.Count };
        var times = new List<double>();
        IReadOnlyList<DuplicateCluster> clusters = [];
        var sw = new Stopwatch();
        foreach (var size in sizes)
        {
            var contacts = snapshot.Contacts.Take(size).ToList();
            GC.Collect();
            sw.Restart();
            var cpu = Cpu();
            clusters = Deduplicator.FindContactClusters(contacts, companyNames, Options());
            times.Add(Cpu() - cpu);
            Console.WriteLine($"Dedupe {size,9:N0} contacts: {sw.Elapsed.TotalSeconds,6:F2} s wall, {times[^1],6:F2} s CPU, {clusters.Count:N0} clusters, " +
                              $"{clusters.Sum(c => c.RecordIds.Count - 1):N0} removable; peak working set {Mb(Peak())}");
        }
        Console.WriteLine($"Growth of CPU time: ×{times[1] / times[0]:F2} from {sizes[0]:N0} to {sizes[1]:N0}, ×{times[2] / times[1]:F2} from {sizes[1]:N0} to {sizes[2]:N0} " +
                          $"(2.00 is linear; goal: 1,000,000 in ≤ 60 s at full scale)");
        return clusters;
    }

    /// <summary>
    /// Accuracy against the planted duplicates (pairs inside predicted clusters vs planted pairs; look-alikes the
    /// generator did not plant count as false positives), printed; returns each record's planted entity.
    /// </summary>
    public static Dictionary<string, string> PrintAccuracy(OrgGenerator generator, IReadOnlyList<DuplicateCluster> clusters)
    {
        var entity = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in generator.ContactTruth) foreach (var id in group) entity.TryAdd(id, group[0]);
        long truePairs = generator.ContactTruth.GroupBy(g => entity[g[0]]).Sum(g => { var k = g.SelectMany(x => x).Distinct().Count(); return (long)k * (k - 1) / 2; });
        long predicted = 0, correct = 0;
        foreach (var c in clusters)
        {
            var n = c.RecordIds.Count;
            predicted += (long)n * (n - 1) / 2;
            correct += c.RecordIds.Where(entity.ContainsKey).GroupBy(id => entity[id]).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        }
        var precision = predicted == 0 ? 0 : (double)correct / predicted;
        var recall = truePairs == 0 ? 0 : (double)correct / truePairs;
        Console.WriteLine($"Planted duplicates found: precision {precision:F4}, recall {recall:F4}, F1 {2 * precision * recall / (precision + recall):F4} " +
                          $"({truePairs:N0} planted pairs, {predicted:N0} predicted)");
        return entity;
    }

    /// <summary>
    /// --dedupe-misses: why each planted pair left apart was missed, by the generator's kind of copy: blocking gave the
    /// two no shared key; they share one but score under the threshold; they match alone but were not compared in the
    /// whole run (a large block's window passed them by); or they matched and clustering refused the join. Then the
    /// false pairs. A few examples of each, with both records as the matcher reads them.
    /// </summary>
    private static void PrintMisses(OrgGenerator generator, CrmSnapshot snapshot, IReadOnlyList<DuplicateCluster> clusters)
    {
        var options = new DedupeOptions();
        var companyNames = snapshot.Companies.Where(c => c.Name is not null).ToDictionary(c => c.Id, c => c.Name!);
        var byId = snapshot.Contacts.ToDictionary(c => c.Id, c => PersonRecord.FromContact(c, c.CompanyId is null ? null : companyNames.GetValueOrDefault(c.CompanyId)), StringComparer.Ordinal);
        var whole = Deduplicator.MatchPeople(snapshot.Contacts.Select(c => byId[c.Id]).ToList(), options);
        var matched = whole.Pairs.Select(p => (p.LeftId, p.RightId)).ToHashSet();
        var clusterOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < clusters.Count; k++) foreach (var id in clusters[k].RecordIds) clusterOf[id] = k;
        // The kind of copy (OrgGenerator.Mutate: k % 6) by the copy's id.
        var kindOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < generator.ContactTruth.Count; k++) kindOf[generator.ContactTruth[k][1]] = k % 6;
        string[] kinds = ["last-name typo", "swapped names", "e-mail spaces, phone format", "first-name typo, no e-mail", "nickname", "other e-mail"];
        var counts = new Dictionary<(string Cause, int Kind), int>();
        var examples = new Dictionary<string, List<string>>();
        static string Show(PersonRecord r) => $"{r.Id} [{r.FirstName}|{r.LastName}|{r.Email}|{r.Phone}|{r.CompanyId}|{r.City}|{r.Postcode}]";
        foreach (var group in generator.ContactTruth)
        {
            var (a, b) = (byId[group[0]], byId[group[1]]);
            if (clusterOf.TryGetValue(a.Id, out var ca) && clusterOf.TryGetValue(b.Id, out var cb) && ca == cb) continue;
            var alone = Deduplicator.MatchPeople([a, b], new DedupeOptions { Threshold = 1e-9, MinLinkShare = 0 });
            var score = alone.Pairs.Count == 0 ? (double?)null : alone.Pairs[0].Score;
            var key = string.CompareOrdinal(a.Id, b.Id) <= 0 ? (a.Id, b.Id) : (b.Id, a.Id);
            var cause = alone.Candidates == 0 ? "no shared key" : score < options.Threshold ? "scored too low"
                : !matched.Contains(key) ? "not compared (large block)" : "clustering refused";
            var kind = kindOf[b.Id];
            counts[(cause, kind)] = counts.GetValueOrDefault((cause, kind)) + 1;
            var list = examples.TryGetValue(cause, out var l) ? l : examples[cause] = [];
            if (counts[(cause, kind)] <= 4) list.Add($"{kinds[kind]}: {Show(a)} / {Show(b)} score {score:F3}");
        }
        Console.WriteLine("Planted pairs missed, by cause and kind of copy:");
        foreach (var g in counts.GroupBy(c => c.Key.Cause))
        {
            Console.WriteLine($"  {g.Key}: {g.Sum(c => c.Value)} ({string.Join(", ", g.OrderBy(c => c.Key.Kind).Select(c => $"{kinds[c.Key.Kind]} {c.Value}"))})");
            foreach (var e in examples[g.Key]) Console.WriteLine($"    {e}");
        }
        var entity = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in generator.ContactTruth) foreach (var id in group) entity.TryAdd(id, group[0]);
        var wrong = 0;
        foreach (var p in whole.Pairs)
        {
            if (clusterOf.TryGetValue(p.LeftId, out var cl) && clusterOf.TryGetValue(p.RightId, out var cr) && cl == cr
                && (!entity.TryGetValue(p.LeftId, out var el) || !entity.TryGetValue(p.RightId, out var er) || el != er))
            {
                if (wrong++ < 12) Console.WriteLine($"  false pair: {Show(byId[p.LeftId])} / {Show(byId[p.RightId])} {p.Score:F3} {p.Reason}");
            }
        }
        Console.WriteLine($"False pairs among the matches, in one cluster: {wrong}; candidates compared: {whole.Candidates:N0}");
    }
}
