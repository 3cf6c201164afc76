using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace CrmPulse.Sources.ActiveCampaign;

/// <summary>
/// The only part of the ActiveCampaign source that does HTTP: the Api-Token header, pacing under the account's
/// 5 requests a second, retries through a resilience pipeline (a 429 waits its Retry-After; 5xx, timeouts and network
/// errors back off), the source's circuit breaker around each attempt (<see cref="Breaker"/>), clear messages for what
/// cannot be retried, and the usage counts of one sync.
/// </summary>
internal sealed class ActiveCampaignClient
{
    private readonly HttpClient _http;
    private readonly ActiveCampaignSourceOptions _options;
    private readonly string _who;
    private readonly string _token;
    private readonly TimeProvider _time;
    private readonly ApiUsageMeter _usage;
    private readonly ActiveCampaignPacer _pacer;
    private readonly ResiliencePipeline<ApiExchange> _pipeline;
    private readonly ResiliencePipeline<ApiExchange> _breaker;

    public ActiveCampaignClient(HttpClient http, ActiveCampaignSourceOptions options, string sourceName, string token, TimeProvider time,
        ApiUsageMeter usage, ActiveCampaignPacer pacer, ResiliencePipeline<ApiExchange> breaker)
    {
        _breaker = breaker;
        _http = http;
        _options = options;
        _who = $"ActiveCampaign source '{sourceName}'";
        _token = token;
        _time = time;
        _usage = usage;
        _pacer = pacer;
        var builder = new ResiliencePipelineBuilder<ApiExchange> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ApiExchange>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TransientApiException ||
                                                            args.Outcome.Result is { Status: 429 or >= 500 }),
                // A 429 (or a 503) carries Retry-After; without it, back off from RetryDelay, doubling.
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result?.RetryAfter(time) ?? ApiExchange.Backoff(options.RetryDelay, args.AttemptNumber)),
            });
        }
        _pipeline = builder.Build();
    }

    /// <summary>
    /// The circuit breaker of one source, kept for its lifetime (a client lasts one sync): when every attempt failed
    /// for a minute (a 5xx, a timeout or a network error; at least <see cref="SourceResilience.BreakerMinimumThroughput"/>
    /// of them), no request is sent for <see cref="SourceResilience.BreakDuration"/>, then one trial. Rate limits (429)
    /// are paced and retried, not counted: they say the API is alive. The same rule as the HubSpot and Salesforce sources.
    /// </summary>
    public static ResiliencePipeline<ApiExchange> Breaker(string sourceName, TimeProvider time) =>
        new ResiliencePipelineBuilder<ApiExchange> { Name = $"activecampaign-{sourceName}-breaker", TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ApiExchange>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TransientApiException ||
                                                            args.Outcome.Result is { Status: >= 500 }),
                FailureRatio = 1.0,
                MinimumThroughput = SourceResilience.BreakerMinimumThroughput,
                SamplingDuration = SourceResilience.BreakerSamplingDuration,
                BreakDuration = SourceResilience.BreakDuration,
            })
            .Build();

    /// <summary>GET /api/3&lt;pathAndQuery&gt; and return its JSON object.</summary>
    /// <exception cref="SourceException">A rejected token, retries exhausted, another error status, or a body that is not a JSON object.</exception>
    public async Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken ct)
    {
        var path = ApiExchange.PathOnly("/api/3" + pathAndQuery);
        var url = _options.BaseUrl.TrimEnd('/') + "/api/3" + pathAndQuery;
        ApiExchange response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token => await _breaker.ExecuteAsync(async t => await SendOnceAsync(url, t), token), ct);
        }
        catch (BrokenCircuitException e)
        {
            throw new SourceException($"{_who}: GET {path} was not sent: the API failed on every attempt lately, so calls are paused " +
                $"for {SourceResilience.BreakDuration} (circuit open); the next sync after that tries again.", e);
        }
        catch (TransientApiException e)
        {
            throw new SourceException($"{_who}: GET {path} failed {_options.MaxRetries + 1} times: {e.Message}", e.InnerException);
        }

        using (response)
        {
            if (response.IsSuccess) return Parse(response.Body, path);
            var message = ErrorMessage(response.Body);
            throw response.Status switch
            {
                401 or 403 => new SourceException($"{_who}: the API token was rejected ({response.Status}: {message}) at GET {path}. " +
                    "Check the token in TokenEnv/TokenFile (Settings → Developer of the account whose BaseUrl is configured); the source is stopped until it is fixed."),
                404 => new SourceException($"{_who}: GET {path} returned 404 ({message}); check that BaseUrl is the account's API URL (https://<account>.api-us1.com)."),
                429 => new SourceException($"{_who}: still rate-limited after {_options.MaxRetries + 1} attempts at GET {path} (429: {message}); " +
                    "another integration may be using the account's 5 requests a second."),
                >= 500 => new SourceException($"{_who}: GET {path} failed {_options.MaxRetries + 1} times ({response.Status}: {message})."),
                _ => new SourceException($"{_who}: GET {path} returned {response.Status}: {message}"),
            };
        }
    }

    private async ValueTask<ApiExchange> SendOnceAsync(string url, CancellationToken ct)
    {
        await _pacer.WaitTurnAsync(_options.RequestsPerSecond, _time, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Api-Token", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            var response = await ApiExchange.SendAsync(_http, request, _options.RequestTimeout, _time, ct);
            _usage.Record(response.Latency, error: !response.IsSuccess);
            return response;
        }
        catch (TransientApiException e)
        {
            _usage.Record(e.Latency, error: true);
            throw;
        }
    }

    private JsonElement Parse(string text, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the response is not a JSON object");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SourceException($"{_who}: GET {path} returned malformed JSON ({e.Message}); nothing of this sync is committed.", e);
        }
    }

    /// <summary>The message of an error body: {"message": …} or {"errors": [{"title": …, "detail": …}]}; else the text, cut.</summary>
    internal static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) return m.GetString()!;
                if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    var texts = errors.EnumerateArray()
                        .Select(e => e.ValueKind == JsonValueKind.Object
                            ? string.Join(": ", new[] { "title", "detail" }.Select(k => e.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).Where(s => !string.IsNullOrEmpty(s)))
                            : e.ToString())
                        .Where(s => s.Length > 0).ToList();
                    if (texts.Count > 0) return string.Join("; ", texts);
                }
            }
        }
        catch (JsonException)
        {
        }
        return body.Length == 0 ? "(empty body)" : body.Length > 200 ? body[..200] : body;
    }

    /// <summary>A time as the filters take it: ISO 8601 with its offset, to the second.</summary>
    internal static string FilterTime(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("Z", "+00:00", StringComparison.Ordinal);
}

/// <summary>
/// Spaces requests out to the configured rate: ActiveCampaign's limit is per account, so one source instance keeps
/// one pacer across its syncs. A source sends one request at a time.
/// </summary>
internal sealed class ActiveCampaignPacer
{
    private long _last;
    private bool _sentBefore;

    public async Task WaitTurnAsync(double perSecond, TimeProvider time, CancellationToken ct)
    {
        var spacing = TimeSpan.FromSeconds(1 / perSecond);
        if (_sentBefore && time.GetElapsedTime(_last) is var since && since < spacing) await Task.Delay(spacing - since, time, ct);
        _sentBefore = true;
        _last = time.GetTimestamp();
    }
}
