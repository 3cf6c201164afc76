using System.Diagnostics;
using System.Globalization;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Benchmarks;

/// <summary>
/// --dedupe-only: the contact deduplication at three sizes and its accuracy on the planted duplicates, as section 2 of
/// Program.cs measures them, without the KPI pass rounds (minutes at full scale on a busy machine). Only the contacts and
/// companies are generated (<see cref="OrgGenerator.GenerateContacts"/>), an org of its own at each size.
/// </summary>
internal static class DedupeOnly
{
    public static int Run(int seed, double scale, bool misses = false)
    {
        var (clusters, generator, contacts, companies) = MeasureContacts(seed, scale, whole: null);
        if (misses) PrintMisses(generator, contacts, companies, clusters);
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

    private static long WorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }

    /// <summary>Resets the process's peak working set (Linux: VmHWM, which PeakWorkingSet64 reads), so that the next
    /// peak is the dedupe's own; false where that is not possible.</summary>
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");

    /// <summary>The dedupe options measured: the defaults, with --weights fixed|fitted (DedupeOptions.Weights),
    /// --fitted-threshold X and --max-block N (DedupeOptions.MaxBlockSize) when given.</summary>
    public static DedupeOptions Options()
    {
        var args = Environment.GetCommandLineArgs();
        var at = Array.IndexOf(args, "--weights");
        var options = new DedupeOptions();
        if (at >= 0 && at + 1 < args.Length) options.Weights = Enum.Parse<DedupeWeights>(args[at + 1], ignoreCase: true);
        var t = Array.IndexOf(args, "--fitted-threshold");
        if (t >= 0 && t + 1 < args.Length) options.FittedThreshold = double.Parse(args[t + 1], CultureInfo.InvariantCulture);
        var b = Array.IndexOf(args, "--max-block");
        if (b >= 0 && b + 1 < args.Length) options.MaxBlockSize = int.Parse(args[b + 1], CultureInfo.InvariantCulture);
        return options;
    }

    /// <summary>One size's figures.</summary>
    private sealed record Size(int Contacts, double Wall, double Cpu, DedupeTrace Trace, long Before, long PeakExtra, long Allocated);

    /// <summary>
    /// Contact deduplication alone at a quarter, half and all of the scale, each on an org generated at that size (the
    /// same generator settings, so duplicates are planted at the same rate and names are as common: a prefix of one
    /// org would hold a quarter of the planted pairs at a quarter of the size, fewer than their share). Per size: wall,
    /// CPU, candidates, the largest block, the phases, the dedupe's peak memory, the planted pairs' precision and recall;
    /// then the growth between sizes. Returns the clusters of the largest size with its generator, contacts and companies.
    /// </summary>
    /// <param name="whole">The largest size already generated (section 2's org), or null to generate it here.</param>
    public static (IReadOnlyList<DuplicateCluster> Clusters, OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies)
        MeasureContacts(int seed, double scale, (OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies)? whole)
    {
        var options = Options();
        Console.WriteLine($"Contact weights: {options.Weights} (fitted threshold {options.FittedThreshold}), blocks over {options.MaxBlockSize} " +
                          $"windowed ({options.LargeBlockWindow}); an org generated at each size");
        var figures = new List<Size>();
        IReadOnlyList<DuplicateCluster> clusters = [];
        (OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies) org = default!;
        var sw = new Stopwatch();
        foreach (var share in new[] { 0.25, 0.5, 1.0 })
        {
            org = share == 1.0 && whole is { } w ? w : Generate(seed, scale * share);
            var companyNames = org.Companies.Where(c => c.Name is not null).ToDictionary(c => c.Id, c => c.Name!);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var before = WorkingSet();
            var peakKnown = ResetPeak();
            var trace = new DedupeTrace();
            sw.Restart();
            var cpu = Cpu();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            clusters = Deduplicator.FindContactClusters(org.Contacts, companyNames, options, trace);
            var size = new Size(org.Contacts.Count, sw.Elapsed.TotalSeconds, Cpu() - cpu, trace, before, peakKnown ? Peak() - before : -1,
                GC.GetTotalAllocatedBytes(precise: true) - allocated);
            figures.Add(size);
            var n = size.Contacts;
            Console.WriteLine($"Dedupe {n,9:N0} contacts: {size.Wall,6:F2} s wall, {size.Cpu,6:F2} s CPU ({size.Cpu / n * 1e6:F1} ms CPU per 1,000); " +
                              $"{trace.Candidates:N0} candidates ({(double)trace.Candidates / n:F1} per record), largest block {trace.LargestBlock:N0} " +
                              $"({trace.WindowedKeys:N0} keys in windowed blocks), {trace.Matches:N0} matches, {clusters.Count:N0} clusters, " +
                              $"{clusters.Sum(c => c.RecordIds.Count - 1):N0} removable");
            Console.WriteLine($"    results digest: matches {trace.MatchDigest:X16}, clusters {trace.ClusterDigest:X16}; " +
                              $"score phase {trace.Cpu.FirstOrDefault(c => c.Phase == "score").CpuSeconds / Math.Max(1, trace.Candidates) * 1e6:F3} µs CPU per candidate");
            Console.WriteLine($"    phases (wall): prepare {size.Wall - trace.BlockSeconds - trace.FitSeconds - trace.ScoreSeconds - trace.ClusterSeconds:F2} s, " +
                              $"keys and candidates {trace.BlockSeconds:F2} s, fit {trace.FitSeconds:F2} s, score {trace.ScoreSeconds:F2} s, " +
                              $"cluster {trace.ClusterSeconds:F2} s; CPU: {string.Join(", ", trace.Cpu.Select(c => $"{c.Phase} {c.CpuSeconds:F2} s"))}");
            // The working set before holds the org (and what the GC kept committed from earlier sizes, which the dedupe
            // may reuse): the peak over it is a floor of the dedupe's own memory; the allocations are its volume.
            Console.WriteLine($"    memory: working set before {Mb(size.Before)}, process peak during the dedupe " +
                              (size.PeakExtra >= 0 ? $"{Mb(size.Before + size.PeakExtra)} (+{Mb(size.PeakExtra)}, {Mb((long)(size.PeakExtra * 1e6 / n))} per million)" : "unknown") +
                              $"; allocated {Mb(size.Allocated)} ({Mb((long)(size.Allocated * 1e6 / n))} per million)");
            Console.Write("    ");
            PrintAccuracy(org.Generator, clusters);
        }
        for (var k = 1; k < figures.Count; k++)
        {
            var (a, b) = (figures[k - 1], figures[k]);
            var perRecord = b.Cpu / b.Contacts / (a.Cpu / a.Contacts);
            Console.WriteLine($"Growth {a.Contacts:N0} → {b.Contacts:N0} (×{(double)b.Contacts / a.Contacts:F2} records): wall ×{b.Wall / a.Wall:F2}, " +
                              $"CPU ×{b.Cpu / a.Cpu:F2}, candidates ×{(double)b.Trace.Candidates / a.Trace.Candidates:F2}, " +
                              $"CPU per record ×{perRecord:F2}, candidates per record ×{(double)b.Trace.Candidates / b.Contacts / ((double)a.Trace.Candidates / a.Contacts):F2}");
        }
        Console.WriteLine("(×1.00 per record is linear; goals: CPU per record ≤ ×1.25 per doubling, 1,000,000 contacts in ≤ 60 s)");
        return (clusters, org.Generator!, org.Contacts!, org.Companies!);
    }

    private static (OrgGenerator, IReadOnlyList<Contact>, IReadOnlyList<Company>) Generate(int seed, double scale)
    {
        var generator = new OrgGenerator(seed, scale);
        var (contacts, companies) = generator.GenerateContacts();
        return (generator, contacts, companies);
    }

    /// <summary>Each record's planted entity (the original's id), for the records the generator planted.</summary>
    public static Dictionary<string, string> Entities(OrgGenerator generator)
    {
        var entity = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in generator.ContactTruth) foreach (var id in group) entity.TryAdd(id, group[0]);
        return entity;
    }

    /// <summary>
    /// Accuracy against the planted duplicates (pairs inside predicted clusters vs planted pairs; look-alikes the
    /// generator did not plant count as false positives), printed; returns each record's planted entity.
    /// </summary>
    public static Dictionary<string, string> PrintAccuracy(OrgGenerator generator, IReadOnlyList<DuplicateCluster> clusters)
    {
        var entity = Entities(generator);
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
    private static void PrintMisses(OrgGenerator generator, IReadOnlyList<Contact> contacts, IReadOnlyList<Company> companies, IReadOnlyList<DuplicateCluster> clusters)
    {
        var options = new DedupeOptions();
        var companyNames = companies.Where(c => c.Name is not null).ToDictionary(c => c.Id, c => c.Name!);
        var byId = contacts.ToDictionary(c => c.Id, c => PersonRecord.FromContact(c, c.CompanyId is null ? null : companyNames.GetValueOrDefault(c.CompanyId)), StringComparer.Ordinal);
        var whole = Deduplicator.MatchPeople(contacts.Select(c => byId[c.Id]).ToList(), options);
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
        var entity = Entities(generator);
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
