namespace CrmPulse.Core.Kpis;

/// <summary>Work over many records split into contiguous chunks on every core, the results in record order.</summary>
internal static class Chunks
{
    /// <summary>Below this many records one thread does it: splitting would cost more than it saves.</summary>
    private const int MinPerChunk = 32_768;

    /// <summary>Runs <paramref name="scan"/> on ranges [start, end) covering 0..<paramref name="count"/> and returns
    /// their results in range order, so that joining them gives what one scan in order would.</summary>
    public static T[] Map<T>(int count, Func<int, int, T> scan)
    {
        var chunks = Math.Clamp(count / MinPerChunk, 1, Environment.ProcessorCount * 4);
        var results = new T[chunks];
        if (chunks == 1)
        {
            results[0] = scan(0, count);
            return results;
        }
        // At most one thread per core: a loop with no bound keeps a copy of itself queued while it runs, and the thread
        // pool adds threads for it (see Parallelism.OnCores).
        Parallel.For(0, chunks, Parallelism.OnCores, i => results[i] = scan((int)((long)count * i / chunks), (int)((long)count * (i + 1) / chunks)));
        return results;
    }

    /// <summary>Runs <paramref name="scan"/> on ranges [start, end) covering 0..<paramref name="count"/>, as
    /// <see cref="Map{T}"/> does, for a scan that folds its range into shared totals itself (in any order).</summary>
    public static void For(int count, Action<int, int> scan) => Map(count, (start, end) =>
    {
        scan(start, end);
        return false;
    });
}
