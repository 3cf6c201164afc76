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
    public static int Run(OrgGenerator generator, CrmSnapshot snapshot)
    {
        var clusters = MeasureContacts(snapshot);
        PrintAccuracy(generator, clusters);
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
}
