using Prometheus;

namespace CrmPulse.Metrics;

/// <summary>
/// The process and the .NET runtime on /metrics, under the names Prometheus' client libraries use: prometheus-net's
/// <see cref="DotNetStats"/> (process_cpu_seconds_total, process_start_time_seconds, process_working_set_bytes,
/// dotnet_collection_count_total, dotnet_total_memory_bytes, …) plus what it leaves out: the resident memory and open
/// file descriptors Prometheus' process collector names, and the GC heap, GC pauses and thread pool. The host uses a
/// custom registry (so its default sample metrics stay out); these are registered on it explicitly. Read at scrape
/// time from the runtime: cheap, in-process, no I/O but /proc.
/// </summary>
public sealed class RuntimeMetrics
{
    public RuntimeMetrics(CollectorRegistry registry)
    {
        DotNetStats.Register(registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var openFds = factory.CreateGauge("process_open_fds", "Number of open file descriptors.");
        var maxFds = factory.CreateGauge("process_max_fds", "Maximum number of open file descriptors.");
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Size of the managed heap after the last garbage collection, in bytes.");
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        var pauses = factory.CreateCounter("dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collections since the process started, in seconds.");
        var threads = factory.CreateGauge("dotnet_threadpool_threads", "Thread pool threads that currently exist.");
        var queued = factory.CreateGauge("dotnet_threadpool_queued_items", "Work items queued to the thread pool and not yet started.");
        var completed = factory.CreateCounter("dotnet_threadpool_completed_items_total", "Work items the thread pool has completed since the process started.");
        var contentions = factory.CreateCounter("dotnet_monitor_lock_contentions_total", "Times a thread waited for a lock held by another since the process started.");
        var maxOpenFiles = MaxOpenFiles();
        registry.AddBeforeCollectCallback(() =>
        {
            resident.Set(Environment.WorkingSet); // on Linux the working set is the resident set (VmRSS)
            if (OpenFiles() is { } open) openFds.Set(open);
            if (maxOpenFiles is { } max) maxFds.Set(max);
            heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
            allocated.IncTo(GC.GetTotalAllocatedBytes());
            pauses.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
            threads.Set(ThreadPool.ThreadCount);
            queued.Set(ThreadPool.PendingWorkItemCount);
            completed.IncTo(ThreadPool.CompletedWorkItemCount);
            contentions.IncTo(Monitor.LockContentionCount);
        });
    }

    private static int? OpenFiles()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit of open files from /proc/self/limits ("Max open files  1024  524288  files"), or null.</summary>
    private static long? MaxOpenFiles()
    {
        try
        {
            if (!File.Exists("/proc/self/limits")) return null;
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
