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
    /// <summary>How the generated orgs' names fill as the org grows (--dedupe-density).</summary>
    public enum NameDensity
    {
        /// <summary>The 1,800 last names of a million contacts at every smaller size (the default, as before): name
        /// blocks fill as the org grows, as a real population's commonest names do.</summary>
        Fixed,

        /// <summary>1,800 last names per million contacts at every size (<see cref="BenchNames.LastNamesFor"/>): every
        /// size has the million-contact org's contacts per name, so the growth is the matcher's own.</summary>
        Constant,
    }

    /// <summary>--dedupe-density fixed|constant|both: the series to measure (the default: fixed), or null with the
    /// message saying what is wrong.</summary>
    public static NameDensity[]? Densities(string[] args, out string? error)
    {
        error = null;
        var at = Array.IndexOf(args, "--dedupe-density");
        if (at < 0) return [NameDensity.Fixed];
        var value = at + 1 < args.Length ? args[at + 1] : null;
        NameDensity[]? densities = value?.ToLowerInvariant() switch
        {
            "fixed" => [NameDensity.Fixed],
            "constant" => [NameDensity.Constant],
            "both" => [NameDensity.Fixed, NameDensity.Constant],
            _ => null,
        };
        if (densities is null) error = $"--dedupe-density: '{value}' is not fixed, constant or both";
        return densities;
    }

    public static int Run(int seed, double scale, IReadOnlyList<NameDensity> densities, bool misses = false)
    {
        var last = MeasureContacts(seed, scale, densities[0], whole: null);
        foreach (var density in densities.Skip(1)) last = MeasureContacts(seed, scale, density, whole: null);
        if (misses) PrintMisses(last.Generator, last.Contacts, last.Companies, last.Clusters);
        Console.WriteLine($"Process peak working set: {Mb(Peak())}");
        return 0;
    }

    /// <summary>Whether <see cref="WarmUp"/> has run in this process.</summary>
    private static bool _warm;

    /// <summary>
    /// Deduplicates a tiny org 40 times, then an org of the smallest measured size (another seed), contacts and
    /// companies, unmeasured, before the sizes. The first dedupe in a process also compiles the matcher (about 1.5 s of CPU) and grows the GC heap:
    /// measured, it made the smallest size look slow and the growth to the next look better than linear (×0.56 on
    /// 2026-12-04). An org of 50,000 deduplicated twice, or one of the first size once, left the first size 15–20 %
    /// dearer than the same size again (load 30): tier-1 compilation during it, as a run without tiered compilation
    /// (DOTNET_TieredCompilation=0) showed. Hence the tiny org's 40 rounds, and the first size's org for the heap.
    /// </summary>
    private static void WarmUp(int seed, double scale)
    {
        if (_warm) return;
        _warm = true;
        var tiny = Generate(seed + 1, 0.002, NameDensity.Fixed);
        var org = Generate(seed + 1, scale * Shares[0], NameDensity.Fixed);
        var cpu = Cpu();
        var sw = Stopwatch.StartNew();
        // A method is compiled again with full optimisation after 30 calls; the matcher's methods that run once per
        // dedupe would reach that only during the measured sizes, on a background thread whose CPU the process's
        // figures include. A tiny org (2,000 contacts: fitted weights) 40 times takes them there first.
        for (var round = 0; round < 40; round++)
        {
            Deduplicator.FindContactClusters(tiny.Contacts, EmptyNames, Options(), new DedupeTrace());
            Deduplicator.FindCompanyClusters(tiny.Companies, new DedupeOptions(), new DedupeTrace());
        }
        Deduplicator.FindContactClusters(org.Contacts, EmptyNames, Options(), new DedupeTrace());
        Deduplicator.FindCompanyClusters(org.Companies, new DedupeOptions(), new DedupeTrace());
        // Tier-1 code is compiled on a background thread after a short delay: let it finish outside the measures.
        WaitForCompilation();
        Console.WriteLine($"Warm-up (not measured): {tiny.Contacts.Count:N0} contacts and {tiny.Companies.Count:N0} companies deduplicated 40 times, then " +
                          $"{org.Contacts.Count:N0} and {org.Companies.Count:N0} once (another seed) " +
                          $"so that the sizes below run compiled code on a grown heap: {Cpu() - cpu:F2} s CPU, {sw.Elapsed.TotalSeconds:F2} s wall");
    }

    private static readonly Dictionary<string, string> EmptyNames = new(StringComparer.Ordinal);

    /// <summary>Waits until the JIT has compiled no new method for a quarter of a second (tiering's background
    /// recompilation is done), at most 10 s. It looks at the count every 25 ms: the runtime gives no in-process notice
    /// that compilation has gone quiet (only runtime events, which would need a listener for one number), and the wait
    /// ends on the condition, not after a fixed time.</summary>
    private static void WaitForCompilation()
    {
        var deadline = Stopwatch.StartNew();
        var (compiled, quietSince) = (System.Runtime.JitInfo.GetCompiledMethodCount(), Stopwatch.StartNew());
        while (quietSince.ElapsedMilliseconds < 250 && deadline.Elapsed.TotalSeconds < 10)
        {
            Thread.Sleep(25);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != compiled) (compiled, quietSince) = (now, Stopwatch.StartNew());
        }
    }

    private static double Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>The process's CPU seconds in the kernel (on Linux mostly page faults: first touches of memory the GC
    /// committed), part of <see cref="Cpu"/>.</summary>
    private static double KernelCpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.PrivilegedProcessorTime.TotalSeconds;
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

    /// <summary>One size's figures: the contacts' (<paramref name="Trace"/>) and the companies' (<paramref name="CompanyTrace"/>).</summary>
    private sealed record Size(int Contacts, double Wall, double Cpu, DedupeTrace Trace, long Before, long PeakExtra, long Allocated,
        double KernelCpu, double GcPause, int Gen2, int Companies, double CompanyWall, double CompanyCpu, DedupeTrace CompanyTrace)
    {
        /// <summary>Each phase's CPU seconds: the preparation of the records (before the matcher's "start" mark), then
        /// the matcher's phases (<see cref="DedupeTrace.Cpu"/>).</summary>
        public IEnumerable<(string Phase, double Cpu)> Phases(double cpuBefore) =>
            Trace.Cpu.Prepend(("prepare", Trace.StartCpu - cpuBefore));
    }

    /// <summary>The sizes measured, as shares of the scale: each doubles the one before.</summary>
    private static readonly double[] Shares = [0.25, 0.5, 1.0];

    /// <summary>
    /// Contact deduplication alone at a quarter, half and all of the scale, each on an org generated at that size (the
    /// same generator settings, so duplicates are planted at the same rate: a prefix of one org would hold a quarter of
    /// the planted pairs at a quarter of the size, fewer than their share), after an unmeasured warm-up (<see cref="WarmUp"/>).
    /// Per size: wall, CPU, candidates, the largest block, the phases, the dedupe's peak memory, the planted pairs'
    /// precision and recall, and the company deduplication of the same org; then the growth between sizes, whole and
    /// per phase. Returns the clusters of the largest size with its generator, contacts and companies.
    /// </summary>
    /// <param name="density">The names of the orgs under a million contacts (<see cref="NameDensity"/>).</param>
    /// <param name="whole">The largest size already generated (the default run's org, fixed names), or null to generate it here.</param>
    public static (IReadOnlyList<DuplicateCluster> Clusters, OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies)
        MeasureContacts(int seed, double scale, NameDensity density,
            (OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies)? whole)
    {
        WarmUp(seed, scale);
        var options = Options();
        Console.WriteLine();
        Console.WriteLine($"Contact weights: {options.Weights} (fitted threshold {options.FittedThreshold}), blocks over {options.MaxBlockSize} " +
                          $"windowed ({options.LargeBlockWindow}); an org generated at each size, names " +
                          (density == NameDensity.Fixed
                              ? "from fixed lists (--dedupe-density fixed: 1,800 last names at every size up to a million contacts, so name blocks fill as the org grows)"
                              : "at a constant density (--dedupe-density constant: 1,800 last names per million contacts at every size)") +
                          $"; load average {LoadAverage()}");
        var figures = new List<Size>();
        var cpuBefore = new List<double>();
        IReadOnlyList<DuplicateCluster> clusters = [];
        (OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies) org = default!;
        var sw = new Stopwatch();
        foreach (var share in Shares)
        {
            org = share == 1.0 && density == NameDensity.Fixed && whole is { } w ? w : Generate(seed, scale * share, density);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var before = WorkingSet();
            var peakKnown = ResetPeak();
            var trace = new DedupeTrace();
            sw.Restart();
            var (cpu, kernel, pause, gen2) = (Cpu(), KernelCpu(), GC.GetTotalPauseDuration(), GC.CollectionCount(2));
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            clusters = Deduplicator.FindContactClusters(org.Contacts, EmptyNames, options, trace);
            var (wall, contactCpu) = (sw.Elapsed.TotalSeconds, Cpu() - cpu);
            var (contactKernel, contactPause, contactGen2) = (KernelCpu() - kernel, (GC.GetTotalPauseDuration() - pause).TotalSeconds, GC.CollectionCount(2) - gen2);
            var (peakExtra, contactAllocated) = (peakKnown ? Peak() - before : -1, GC.GetTotalAllocatedBytes(precise: true) - allocated);
            // The companies of the same org, after the contacts (the daemon's pass runs both), with the default options.
            var companyTrace = new DedupeTrace();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            sw.Restart();
            var companyCpu = Cpu();
            var companyClusters = Deduplicator.FindCompanyClusters(org.Companies, new DedupeOptions(), companyTrace);
            var size = new Size(org.Contacts.Count, wall, contactCpu, trace, before, peakExtra, contactAllocated,
                contactKernel, contactPause, contactGen2, org.Companies.Count, sw.Elapsed.TotalSeconds, Cpu() - companyCpu, companyTrace);
            figures.Add(size);
            cpuBefore.Add(cpu);
            var n = size.Contacts;
            Console.WriteLine($"Dedupe {n,9:N0} contacts: {size.Wall,6:F2} s wall, {size.Cpu,6:F2} s CPU ({size.Cpu / n * 1e6:F1} ms CPU per 1,000); " +
                              $"{trace.Candidates:N0} candidates ({(double)trace.Candidates / n:F1} per record), largest block {trace.LargestBlock:N0} " +
                              $"({trace.WindowedKeys:N0} keys in windowed blocks), {trace.Matches:N0} matches, {clusters.Count:N0} clusters, " +
                              $"{clusters.Sum(c => c.RecordIds.Count - 1):N0} removable; load average {LoadAverage()}");
            Console.WriteLine($"    results digest: matches {trace.MatchDigest:X16}, clusters {trace.ClusterDigest:X16}; of the CPU, in the kernel " +
                              $"{size.KernelCpu:F2} s; GC pauses {size.GcPause:F2} s, {size.Gen2} full collections");
            Console.WriteLine($"    phases, CPU (µs per candidate): {string.Join(", ", size.Phases(cpu).Select(c => $"{c.Phase} {c.Cpu:F2} s ({c.Cpu / Math.Max(1, trace.Candidates) * 1e6:F3})"))}");
            Console.WriteLine($"    phases, allocated: prepare {Mb(trace.StartAllocated - allocated)}, " +
                              string.Join(", ", trace.Allocated.Select(a => $"{a.Phase} {Mb(a.Bytes)}")));
            Console.WriteLine($"    phases, wall: prepare {size.Wall - trace.BlockSeconds - trace.FitSeconds - trace.ScoreSeconds - trace.ClusterSeconds:F2} s, " +
                              $"keys and candidates {trace.BlockSeconds:F2} s, fit {trace.FitSeconds:F2} s, score {trace.ScoreSeconds:F2} s, " +
                              $"cluster {trace.ClusterSeconds:F2} s");
            // The working set before holds the org (and what the GC kept committed from earlier sizes, which the dedupe
            // may reuse): the peak over it is a floor of the dedupe's own memory; the allocations are its volume.
            Console.WriteLine($"    memory: working set before {Mb(size.Before)}, process peak during the dedupe " +
                              (size.PeakExtra >= 0 ? $"{Mb(size.Before + size.PeakExtra)} (+{Mb(size.PeakExtra)}, {Mb((long)(size.PeakExtra * 1e6 / n))} per million)" : "unknown") +
                              $"; allocated {Mb(size.Allocated)} ({Mb((long)(size.Allocated * 1e6 / n))} per million)");
            Console.Write("    ");
            PrintAccuracy(org.Generator, clusters);
            Console.WriteLine($"    companies: {size.Companies:N0} in {size.CompanyWall:F2} s wall, {size.CompanyCpu:F2} s CPU; " +
                              $"{companyTrace.Candidates:N0} candidates, largest block {companyTrace.LargestBlock:N0}, {companyTrace.Matches:N0} matches, " +
                              $"{companyClusters.Count:N0} clusters");
        }
        PrintGrowth(figures, cpuBefore);
        return (clusters, org.Generator!, org.Contacts!, org.Companies!);
    }

    /// <summary>
    /// The growth from each size to the next: the whole dedupe's, then each phase's CPU per record and per candidate.
    /// A phase whose CPU per candidate stays flat while its CPU per record grows is fed more candidates per record
    /// (the data's growth); one whose CPU per candidate grows costs more per unit of its own input (the matcher's).
    /// </summary>
    private static void PrintGrowth(List<Size> figures, List<double> cpuBefore)
    {
        for (var k = 1; k < figures.Count; k++)
        {
            var (a, b) = (figures[k - 1], figures[k]);
            var perRecord = b.Cpu / b.Contacts / (a.Cpu / a.Contacts);
            Console.WriteLine($"Growth {a.Contacts:N0} → {b.Contacts:N0} (×{(double)b.Contacts / a.Contacts:F2} records): wall ×{b.Wall / a.Wall:F2}, " +
                              $"CPU ×{b.Cpu / a.Cpu:F2}, candidates ×{(double)b.Trace.Candidates / a.Trace.Candidates:F2}, " +
                              $"CPU per record ×{perRecord:F2}, candidates per record ×{(double)b.Trace.Candidates / b.Contacts / ((double)a.Trace.Candidates / a.Contacts):F2}; " +
                              $"companies: CPU ×{b.CompanyCpu / a.CompanyCpu:F2}, candidates ×{(double)b.CompanyTrace.Candidates / Math.Max(1, a.CompanyTrace.Candidates):F2}");
        }
        Console.WriteLine("(×1.00 per record is linear; goals: CPU per record ≤ ×1.25 per doubling, 1,000,000 contacts in ≤ 60 s)");
        // Per phase: ms of CPU per 1,000 contacts and µs per candidate at each size, with the growth from the size before.
        int Width(int k) => k == 0 ? 18 : 36;
        var header = string.Concat(figures.Select((f, k) => $"{f.Contacts:N0} contacts".PadRight(Width(k))));
        Console.WriteLine($"CPU per phase: ms per 1,000 contacts / µs per candidate (growth from the size before){Environment.NewLine}{"",-20}{header}");
        var phases = figures.Select((f, k) => f.Phases(cpuBefore[k]).ToList()).ToList();
        var rows = phases[0].Select(p => p.Phase).Append("whole");
        foreach (var phase in rows)
        {
            var line = $"{phase,-20}";
            for (var k = 0; k < figures.Count; k++)
            {
                double PhaseCpu(int at) => phase == "whole" ? figures[at].Cpu : phases[at].Single(p => p.Phase == phase).Cpu;
                var perRecord = PhaseCpu(k) / figures[k].Contacts * 1e6;
                var perCandidate = PhaseCpu(k) / Math.Max(1, figures[k].Trace.Candidates) * 1e6;
                var cell = $"{perRecord:F2} / {perCandidate:F3}";
                if (k > 0)
                {
                    var recordGrowth = perRecord / (PhaseCpu(k - 1) / figures[k - 1].Contacts * 1e6);
                    var candidateGrowth = perCandidate / (PhaseCpu(k - 1) / Math.Max(1, figures[k - 1].Trace.Candidates) * 1e6);
                    cell += $" (×{recordGrowth:F2} / ×{candidateGrowth:F2})";
                }
                line += cell.PadRight(Width(k));
            }
            Console.WriteLine(line);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static (OrgGenerator Generator, IReadOnlyList<Contact> Contacts, IReadOnlyList<Company> Companies) Generate(int seed, double scale, NameDensity density)
    {
        var generator = new OrgGenerator(seed, scale, density == NameDensity.Constant);
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
