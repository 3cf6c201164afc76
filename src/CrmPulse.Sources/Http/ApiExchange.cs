using System.Net.Http.Headers;

namespace CrmPulse.Sources.Http;

/// <summary>
/// One HTTP request and its fully read answer, sent with its own time limit (so the caller can retry), shared by the
/// HubSpot and Salesforce clients. A timeout or network error throws <see cref="TransientApiException"/>.
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
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
        {
            response?.Dispose();
            var what = e is OperationCanceledException ? $"timed out after {timeout}" : e.Message;
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

    /// <summary>Exponential back-off: <paramref name="first"/> doubled per earlier attempt (capped at 2^10).</summary>
    public static TimeSpan Backoff(TimeSpan first, int attempt) => first * Math.Pow(2, Math.Min(attempt, 10));

    /// <summary>The path of a path-and-query, for messages (queries can be long or hold SOQL).</summary>
    public static string PathOnly(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? pathAndQuery : pathAndQuery[..q];
    }

    public void Dispose() => _response.Dispose();
}
