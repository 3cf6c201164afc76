namespace CrmPulse.Sources.Http;

/// <summary>
/// What a source does around each attempt of one request (set on the request with <see cref="Key"/>): before it, quota
/// checks and pacing (may throw to stop); after it, the usage counts. <see cref="Attempts"/> counts the attempts made.
/// </summary>
internal sealed class ApiAttempt
{
    public static readonly HttpRequestOptionsKey<ApiAttempt> Key = new("CrmPulse.ApiAttempt");

    /// <summary>Before each attempt.</summary>
    public Func<CancellationToken, Task>? Before { get; init; }

    /// <summary>After an attempt that got an answer (its body buffered), with the attempt's latency.</summary>
    public Func<HttpResponseMessage, TimeSpan, Task>? Answered { get; init; }

    /// <summary>After an attempt that got no answer (network error, timeout), with the time spent.</summary>
    public Action<TimeSpan>? OnFailure { get; init; }

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; private set; }

    internal async Task BeforeAsync(CancellationToken ct)
    {
        if (Before is not null) await Before(ct);
        Attempts++;
    }

    internal Task AnsweredAsync(HttpResponseMessage response, TimeSpan latency) => Answered?.Invoke(response, latency) ?? Task.CompletedTask;

    internal void Failed(TimeSpan latency) => OnFailure?.Invoke(latency);
}
