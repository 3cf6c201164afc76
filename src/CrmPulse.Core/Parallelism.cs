namespace CrmPulse.Core;

/// <summary>How the pass's and the matcher's parallel loops run.</summary>
internal static class Parallelism
{
    /// <summary>At most one thread per core. A loop with no bound keeps a copy of itself queued for as long as it runs,
    /// so the thread pool, seeing work wait, adds a thread every half second or so (128 threads during a full match of
    /// five million contacts), each with its own buffers and stack.</summary>
    public static readonly ParallelOptions OnCores = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };
}
