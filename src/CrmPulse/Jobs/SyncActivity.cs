using System.Collections.Concurrent;

namespace CrmPulse.Jobs;

/// <summary>Which scheduled or manual syncs run now, and since when (the manual-sync endpoint answers 409 with it).</summary>
public sealed class SyncActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new(StringComparer.Ordinal);

    /// <summary>When the running sync of <paramref name="source"/> started; null when none runs.</summary>
    public DateTimeOffset? RunningSince(string source) => _running.TryGetValue(source, out var since) ? since : null;

    /// <summary>Marks the sync of <paramref name="source"/> as running until the returned handle is disposed.</summary>
    public IDisposable Start(string source)
    {
        _running[source] = time.GetUtcNow();
        return new Done(() => _running.TryRemove(source, out _));
    }

    private sealed class Done(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
