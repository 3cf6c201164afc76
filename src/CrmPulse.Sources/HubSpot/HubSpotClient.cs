using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// The only part of the HubSpot source that does HTTP: bearer token, pacing of search calls, the daily share, and the
/// usage counts of one sync. Retries with back-off (5xx, timeouts, network errors, 429 burst) happen in the client's
/// resilience pipeline (<see cref="SourceResilience"/>).
/// </summary>
internal sealed class HubSpotClient
{
    private readonly HttpClient _http;
    private readonly HubSpotSourceOptions _options;
    private readonly string _sourceName;
    private readonly string _token;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly HubSpotUsage _usage;
    private long _lastSearchTimestamp;
    private bool _searchedBefore;

    public HubSpotClient(HttpClient http, HubSpotSourceOptions options, string sourceName, string token, TimeProvider time,
        Func<TimeSpan, CancellationToken, Task> delay, HubSpotUsage usage)
    {
        _http = http;
        _options = options;
        _sourceName = sourceName;
        _token = token;
        _time = time;
        _delay = delay;
        _usage = usage;
    }

    /// <summary>GET a JSON document. With <paramref name="optional"/>, a 403 (scope or tier) or 404 (not offered) returns null.</summary>
    public Task<JsonElement?> GetAsync(string pathAndQuery, CancellationToken ct, bool optional = false) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, false, optional, ct);

    /// <summary>POST a JSON body; search calls are paced to <see cref="HubSpotSourceOptions.SearchRequestsPerSecond"/>.</summary>
    public async Task<JsonElement> PostAsync(string path, object body, bool isSearch, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), isSearch, false, ct))!.Value;

    /// <summary>POST a JSON body; a 403 or 404 (a family of associations this portal or token does not offer) returns null.</summary>
    public Task<JsonElement?> PostOptionalAsync(string path, object body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), false, true, ct);

    private async Task<JsonElement?> SendAsync(HttpMethod method, string pathAndQuery, string? body, bool isSearch, bool optional,
        CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, _options.BaseUrl.TrimEnd('/') + pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        // The client's resilience pipeline retries 429 burst answers, 5xx, timeouts and network errors; each attempt
        // passes the quota checks first and is counted after.
        var attempts = new ApiAttempt
        {
            Before = async wait =>
            {
                _usage.CheckDailyShare(_sourceName, _options.DailyShare);
                if (isSearch) await PaceSearchAsync(wait);
                if (_usage.BurstRemaining is <= 0)
                {
                    // The last response used up the burst window: wait it out rather than collect a 429.
                    await _delay(_usage.Interval ?? TimeSpan.FromSeconds(10), wait);
                    _usage.ClearBurst();
                }
            },
            Answered = (answer, latency) =>
            {
                if (isSearch) _lastSearchTimestamp = _time.GetTimestamp();
                var status = (int)answer.StatusCode;
                _usage.Record(latency, error: status >= 400 && !(optional && status is 403 or 404));
                _usage.ReadHeaders(answer.Headers);
                return Task.CompletedTask;
            },
            OnFailure = latency => _usage.Record(latency, error: true),
        };
        request.Options.Set(ApiAttempt.Key, attempts);

        ApiExchange response;
        try
        {
            response = await ApiExchange.SendAsync(_http, request, Timeout.InfiniteTimeSpan, _time, ct);
        }
        catch (TransientApiException e)
        {
            throw new SourceException($"HubSpot source '{_sourceName}': {method} {pathAndQuery} failed {attempts.Attempts} times: {e.Message}", e.InnerException);
        }

        using (response)
        {
            var status = response.Status;
            if (response.IsSuccess) return Parse(response.Body, method, pathAndQuery);
            var error = HubSpotError.Parse(response.Body);
            return status switch
            {
                401 => throw new SourceException($"HubSpot source '{_sourceName}': the private-app token was rejected (401 {error.Category}: {error.Message}). " +
                    "Check the token in TokenEnv/TokenFile; the source is stopped until it is fixed."),
                403 or 404 when optional => null,
                403 => throw new SourceException($"HubSpot source '{_sourceName}': access denied to {method} {PathOnly(pathAndQuery)} (403 {error.Category}: {error.Message}). " +
                    "The private app lacks a scope; see the HubSpot README for the list."),
                429 when IsDaily(error) => throw new SourceException(
                    $"HubSpot source '{_sourceName}': the portal's daily API limit is reached (429 DAILY: {error.Message}); syncs resume after the daily reset."),
                429 => throw new SourceException($"HubSpot source '{_sourceName}': still rate-limited after {attempts.Attempts} attempts at {method} {PathOnly(pathAndQuery)} (429 {error.PolicyName}: {error.Message})."),
                >= 500 => throw new SourceException($"HubSpot source '{_sourceName}': {method} {PathOnly(pathAndQuery)} failed {attempts.Attempts} times ({status}: {error.Message})."),
                _ => throw new SourceException($"HubSpot source '{_sourceName}': {method} {PathOnly(pathAndQuery)} returned {status} {error.Category}: {error.Message}"),
            };
        }
    }

    private static bool IsDaily(HubSpotError error) => error.PolicyName?.Equals("DAILY", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>What the resilience pipeline retries: 5xx, and 429 unless it is the daily limit (no retry helps today).</summary>
    internal static async ValueTask<bool> ShouldRetry(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return true;
        if (status != 429) return false;
        return !IsDaily(HubSpotError.Parse(await response.Content.ReadAsStringAsync()));
    }

    private JsonElement Parse(string text, HttpMethod method, string pathAndQuery)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the response is not a JSON object");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SourceException($"HubSpot source '{_sourceName}': {method} {PathOnly(pathAndQuery)} returned malformed JSON ({e.Message}); nothing of this sync is committed.", e);
        }
    }

    /// <summary>HubSpot's search endpoints have their own, lower per-second limit: space the calls out.</summary>
    private async Task PaceSearchAsync(CancellationToken ct)
    {
        var spacing = TimeSpan.FromSeconds(1 / _options.SearchRequestsPerSecond);
        if (_searchedBefore)
        {
            var since = _time.GetElapsedTime(_lastSearchTimestamp);
            if (since < spacing) await _delay(spacing - since, ct);
        }
        _searchedBefore = true;
    }

    internal static string PathOnly(string pathAndQuery) => ApiExchange.PathOnly(pathAndQuery);

    internal static string Query(params (string Key, string? Value)[] pairs) =>
        string.Join("&", pairs.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    internal static string Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
