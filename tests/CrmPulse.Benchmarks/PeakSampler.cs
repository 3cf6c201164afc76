using System.Diagnostics;
using System.Globalization;

namespace CrmPulse.Benchmarks;

/// <summary>
/// Runs one measure with its wall and CPU time, the working set sampled every 20 ms on a thread of its own (the pass
/// keeps the thread pool busy, so a pool timer would sample late), and the GC's figures over it: what it allocated,
/// its gen-2 collections and pauses, the GC heap committed at the end.
/// </summary>
internal static class PeakSampler
{
    /// <summary>
    /// Whether <see cref="Settle"/> gives freed memory back to the system (--lean, the 5-million-contact run): then each
    /// measure's peak growth starts from a working set that holds only live data, so it counts all the memory the
    /// measure needs, not only what it needs beyond what earlier measures left committed (at 5M that was about 550 MB
    /// before the first pass's full match, which a fresh daemon would not have had to reuse).
    /// </summary>
    public static bool Decommit { get; set; }

    /// <summary>Before a measure: a full compacting collection, an aggressive one (memory decommitted) with <see cref="Decommit"/>.</summary>
    public static void Settle() =>
        GC.Collect(2, Decommit ? GCCollectionMode.Aggressive : GCCollectionMode.Forced, blocking: true, compacting: true);

    public static Figures Run(Action run)
    {
        var baseline = Environment.WorkingSet;
        var allocated = GC.GetTotalAllocatedBytes(true);
        var (gen2, paused) = (GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var sw = Stopwatch.StartNew();
        long peak = baseline;
        double peakAt = 0;
        var threads = ThreadPool.ThreadCount;
        var timeline = new List<(double At, long WorkingSet)>();
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            var next = 0.0;
            do
            {
                var (now, at) = (Environment.WorkingSet, sw.Elapsed.TotalSeconds);
                if (now > peak) (peak, peakAt) = (now, at);
                threads = Math.Max(threads, ThreadPool.ThreadCount);
                if (at >= next)
                {
                    timeline.Add((at, now)); // about one point a second
                    next = at + 1;
                }
            } while (!done.Wait(20));
        }) { IsBackground = true };
        sampler.Start();
        var cpu0 = Cpu();
        double seconds, cpu;
        try
        {
            run();
            seconds = sw.Elapsed.TotalSeconds;
            cpu = Cpu() - cpu0;
        }
        finally
        {
            done.Set();
            sampler.Join();
        }
        return new Figures(seconds, cpu, baseline, peak, peakAt, GC.GetTotalAllocatedBytes(true) - allocated,
            GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - paused).TotalSeconds, GC.GetGCMemoryInfo().TotalCommittedBytes, timeline, threads);
    }

    /// <summary>
    /// What the managed heap held at the end of a measure (issue 21: what a pass's peak is made of), over
    /// <paramref name="liveBefore"/> (the live heap before it, <c>GC.GetTotalMemory(true)</c>): the heap as it stood,
    /// then one full blocking collection with <paramref name="keep"/> (the measure's result) alive, which tells the live
    /// part from the garbage and the large-object heap's garbage (arrays of 3 MB and more, freed by gen-2 collections
    /// only) from the rest. Call it right after the measure; the collection runs after the measure, outside its figures.
    /// </summary>
    public static string HeapAtEnd(long liveBefore, object? keep)
    {
        var heap = GC.GetTotalMemory(false);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var loh = info.GenerationInfo[3];
        var live = GC.GetTotalMemory(false);
        GC.KeepAlive(keep);
        return $"managed heap at its end +{Mb(heap - liveBefore)} over the live data before: new live data {Mb(live - liveBefore)}, " +
               $"garbage {Mb(heap - live)} (large arrays {Mb(loh.SizeBeforeBytes - loh.SizeAfterBytes)}, large arrays still live {Mb(loh.SizeAfterBytes)})";
    }

    public static double Cpu()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    public static string Mb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:N0} MB");

    public static string Gb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1 << 30):F2} GB");

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>One measure's figures; <see cref="Growth"/> is the working set its peak added; <see cref="Threads"/> the most
    /// thread-pool threads seen (a pool that grows past the cores means work items that block).</summary>
    internal sealed record Figures(double Seconds, double Cpu, long Baseline, long Peak, double PeakAt, long Allocated, int Gen2,
        double PauseSeconds, long Committed, List<(double At, long WorkingSet)> Timeline, int Threads)
    {
        public long Growth => Peak - Baseline;

        /// <summary>Time, CPU, peak growth and the GC's figures, on one line.</summary>
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Seconds:F2} s wall, {Cpu:F2} s CPU; working set {Mb(Baseline)} before, peak +{Mb(Growth)} at {PeakAt:F1} s; " +
            $"allocated {Mb(Allocated)}, gen-2 GCs {Gen2}, GC pauses {PauseSeconds:F2} s, GC heap committed after {Mb(Committed)}; " +
            $"thread pool up to {Threads} threads");

        /// <summary>The working set's growth over the measure, about ten points (where in a pass the memory goes).</summary>
        public string Profile()
        {
            var step = Math.Max(1, Timeline.Count / 10);
            return string.Join(", ", Timeline.Where((_, i) => i % step == 0)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.At:F0} s +{(p.WorkingSet - Baseline) / 1048576.0:N0}")))
                + string.Create(CultureInfo.InvariantCulture, $" (MB over {Mb(Baseline)})");
        }
    }
}
