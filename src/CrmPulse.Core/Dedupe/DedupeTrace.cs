namespace CrmPulse.Core.Dedupe;

/// <summary>What one match did, phase by phase (filled when a caller passes one; the benchmark prints it).</summary>
internal sealed class DedupeTrace
{
    /// <summary>Candidate pairs blocking proposed (distinct).</summary>
    public long Candidates { get; set; }

    /// <summary>The largest block (records sharing one key), windowed or not.</summary>
    public int LargestBlock { get; set; }

    /// <summary>Keys in blocks over the block cap (paired by a window, not all with all).</summary>
    public long WindowedKeys { get; set; }

    /// <summary>Pairs at or above the threshold.</summary>
    public long Matches { get; set; }

    /// <summary>A hash of the matches (both records' ids and the score's exact bits, in candidate order) and of the
    /// clusters (their ids in order): two runs with equal digests found the same pairs, scores and clusters.</summary>
    public long MatchDigest { get; set; }
    public long ClusterDigest { get; set; }

    /// <summary>Seconds (wall) of each phase: keys and candidates, the model's fit, scoring, clustering.</summary>
    public double BlockSeconds { get; set; }
    public double FitSeconds { get; set; }
    public double ScoreSeconds { get; set; }
    public double ClusterSeconds { get; set; }

    /// <summary>The process's CPU seconds spent in each phase (the matcher runs alone in the benchmark, so the process's
    /// time is the phase's), in phase order.</summary>
    public List<(string Phase, double CpuSeconds)> Cpu { get; } = [];

    /// <summary>The process's CPU seconds at the "start" mark (after the records were prepared): the CPU before it is
    /// the preparation's.</summary>
    public double StartCpu { get; private set; }

    private double _lastCpu;

    /// <summary>The bytes the process had allocated at the "start" mark: the bytes before it are the preparation's.</summary>
    public long StartAllocated { get; private set; }

    /// <summary>Ends a phase: the CPU and the bytes allocated since the previous mark are the phase's ("start" only sets
    /// the mark).</summary>
    public void Mark(string phase)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var now = process.TotalProcessorTime.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        if (phase == "start")
        {
            (StartCpu, StartAllocated) = (now, allocated);
        }
        else
        {
            Cpu.Add((phase, now - _lastCpu));
            Allocated.Add((phase, allocated - _lastAllocated));
        }
        (_lastCpu, _lastAllocated) = (now, allocated);
    }

    /// <summary>The bytes allocated (by every thread) in each phase, in phase order (what the full match's memory is
    /// made of; `--dedupe-only` prints them beside the CPU).</summary>
    public List<(string Phase, long Bytes)> Allocated { get; } = [];

    private long _lastAllocated;
}
