using System.Net.Http.Headers;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CrmPulse.Sources.Http;

/// <summary>
/// One HTTP request and its fully read answer, sent with its own time limit, shared by the API sources. With a client
/// from <see cref="SourceResilience.CreateClient"/> the retries, per-attempt and overall timeouts and the circuit breaker
/// happen inside the send; what is left when they gave up comes back here. A timeout, a network error or an open
/// circuit throws <see cref="TransientApiException"/>.
/// </summary>
internal sealed class ApiExchange : IDisposable
{
    private readonly HttpResponseMessage _response;

    private ApiExchange(HttpResponseMessage response, string body, TimeSpan latency)
    {
        _response = response;
        Body = body;
        Latency = latency;
    }

    public int Status => (int)_response.StatusCode;

    public bool IsSuccess => _response.IsSuccessStatusCode;

    public HttpResponseHeaders Headers => _response.Headers;

    public string Body { get; }

    public TimeSpan Latency { get; }

    /// <summary>Sends <paramref name="request"/> and reads the whole body within <paramref name="timeout"/>.</summary>
    /// <exception cref="TransientApiException">Timed out, connection refused or reset (the caller may retry).</exception>
    public static async Task<ApiExchange> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, TimeProvider time,
        CancellationToken ct)
    {
        var started = time.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token);
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            return new ApiExchange(response, body, time.GetElapsedTime(started));
        }
        catch (Exception e) when (!ct.IsCancellationRequested &&
                                  e is HttpRequestException or OperationCanceledException or IOException or TimeoutRejectedException or BrokenCircuitException)
        {
            response?.Dispose();
            var what = e switch
            {
                TimeoutRejectedException t => $"timed out after {t.Timeout}",
                BrokenCircuitException => $"the API failed on every attempt lately, so calls are paused for {SourceResilience.BreakDuration} (circuit open)",
                OperationCanceledException => $"timed out after {timeout}",
                _ => e.Message,
            };
            throw new TransientApiException(what, time.GetElapsedTime(started), e);
        }
    }

    /// <summary>The Retry-After header as a wait (a date in the past is no wait), or null when absent.</summary>
    public TimeSpan? RetryAfter(TimeProvider time)
    {
        if (_response.Headers.RetryAfter is not { } retry) return null;
        if (retry.Delta is { } delta) return delta;
        return retry.Date is { } date ? (date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Exponential back-off: <paramref name="first"/> doubled per earlier attempt (capped at 2^10). Kept for callers that
    /// pace themselves; retries belong to <see cref="SourceResilience"/>.
    /// </summary>
    public static TimeSpan Backoff(TimeSpan first, int attempt) => first * Math.Pow(2, Math.Min(attempt, 10));

    /// <summary>The path of a path-and-query, for messages (queries can be long or hold SOQL).</summary>
    public static string PathOnly(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? pathAndQuery : pathAndQuery[..q];
    }

    public void Dispose() => _response.Dispose();
}
