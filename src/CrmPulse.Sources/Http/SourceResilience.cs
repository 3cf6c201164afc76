using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CrmPulse.Sources.Http;

/// <summary>
/// The HTTP client of one API source, with Microsoft.Extensions.Http.Resilience around every request (outermost first):
/// an overall timeout (<see cref="Limits.TotalTimeout"/>, waits included); retries of transient failures with
/// exponential back-off from <see cref="Limits.RetryDelay"/>, honouring Retry-After; a circuit breaker of its own, so a
/// dead API is not hammered (every attempt failing for a minute, at least <see cref="BreakerMinimumThroughput"/> of
/// them, opens it for <see cref="BreakDuration"/>); a timeout per attempt (<see cref="Limits.AttemptTimeout"/>). Below
/// them, <see cref="AttemptGate"/> and <see cref="AttemptHandler"/> run the source's per-attempt hooks (quota pacing,
/// usage counts).
/// </summary>
internal static class SourceResilience
{
    /// <summary>How long the breaker stays open before it lets one trial request through.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromMinutes(1);

    /// <summary>The window in which every attempt must have failed for the breaker to open.</summary>
    public static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromMinutes(1);

    /// <summary>The least attempts in the window before the breaker may open (a sync with retries makes several).</summary>
    public const int BreakerMinimumThroughput = 8;

    /// <summary>The resilience settings of one source.</summary>
    /// <param name="Name">The source's name, for the pipelines' telemetry.</param>
    /// <param name="Limits">The source's current retry and timeout settings, read at each request (options may change).</param>
    /// <param name="ShouldRetry">Which answers are worth another attempt (network errors and attempt timeouts always are).</param>
    /// <param name="DelayWithoutRetryAfter">The wait for an answer without Retry-After; null for the back-off.</param>
    public sealed record Settings(
        string Name,
        Func<Limits> Limits,
        Func<HttpResponseMessage, ValueTask<bool>> ShouldRetry,
        Func<HttpResponseMessage, TimeSpan?>? DelayWithoutRetryAfter = null);

    /// <summary>Retries and timeouts of one request.</summary>
    /// <param name="MaxRetries">Retries after the first attempt (0: none).</param>
    /// <param name="RetryDelay">The first back-off; it doubles per retry (no jitter, so waits are predictable).</param>
    /// <param name="AttemptTimeout">The limit of one attempt, its body included.</param>
    /// <param name="TotalTimeout">The limit of one request, all attempts and waits included.</param>
    public sealed record Limits(int MaxRetries, TimeSpan RetryDelay, TimeSpan AttemptTimeout, TimeSpan TotalTimeout);

    /// <summary>5xx, 408 and 429: the usual transient answers.</summary>
    public static ValueTask<bool> IsTransient(HttpResponseMessage response) =>
        ValueTask.FromResult((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    /// <summary>
    /// The client. <paramref name="wait"/> performs the back-off waits (Task.Delay on <paramref name="time"/> in
    /// production; tests record them instead); <paramref name="inner"/> is the transport, null for a pooled socket handler.
    /// </summary>
    public static HttpClient CreateClient(Settings settings, TimeProvider time, Func<TimeSpan, CancellationToken, Task> wait,
        HttpMessageHandler? inner = null)
    {
        inner ??= new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        var waitClock = new WaitClock(time, wait);

        // One breaker for the source's lifetime; the other strategies follow the current options, request by request.
        // Timeouts use the real clock and the retry's waits go through `wait`: Polly takes one clock per pipeline.
        var breaker = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"{settings.Name}-breaker", TimeProvider = time }
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                // Rate limits (429) are paced, not a dead API: only server errors, network errors and timeouts count.
                ShouldHandle = args => args.Outcome.Exception is HttpRequestException or TimeoutRejectedException
                    ? PredicateResult.True()
                    : ValueTask.FromResult(args.Outcome.Result is { } r && (int)r.StatusCode >= 500),
                FailureRatio = 1.0,
                MinimumThroughput = BreakerMinimumThroughput,
                SamplingDuration = BreakerSamplingDuration,
                BreakDuration = BreakDuration,
            })
            .Build();
        var chain = new ResilienceHandler(_ => Timeout(settings, settings.Limits().TotalTimeout, "total", time))
        {
            InnerHandler = new ResilienceHandler(_ => Retry(settings, waitClock))
            {
                InnerHandler = new ResilienceHandler(breaker)
                {
                    InnerHandler = new AttemptGate
                    {
                        InnerHandler = new ResilienceHandler(_ => Timeout(settings, settings.Limits().AttemptTimeout, "attempt", time))
                        {
                            InnerHandler = new AttemptHandler(time) { InnerHandler = inner },
                        },
                    },
                },
            },
        };
        // The pipelines own every time limit; HttpClient's own would cut the retries short.
        return new HttpClient(chain) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    private static ResiliencePipeline<HttpResponseMessage> Timeout(Settings settings, TimeSpan limit, string what, TimeProvider time) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"{settings.Name}-{what}", TimeProvider = time }
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = limit })
            .Build();

    private static ResiliencePipeline<HttpResponseMessage> Retry(Settings settings, TimeProvider waitClock)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"{settings.Name}-retry", TimeProvider = waitClock };
        var limits = settings.Limits();
        if (limits.MaxRetries > 0) builder.AddRetry(RetryOptions(settings, limits));
        return builder.Build();
    }

    private static HttpRetryStrategyOptions RetryOptions(Settings settings, Limits limits)
    {
        var options = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = limits.MaxRetries,
            Delay = limits.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            MaxDelay = null,
            ShouldRetryAfterHeader = true,
        };
        var retryAfter = options.DelayGenerator!;
        options.DelayGenerator = async args =>
            await retryAfter(args) ?? (args.Outcome.Result is { } response ? settings.DelayWithoutRetryAfter?.Invoke(response) : null);
        options.ShouldHandle = args => args.Outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => PredicateResult.True(),
            { Result: { } response } => settings.ShouldRetry(response),
            _ => PredicateResult.False(),
        };
        return options;
    }
}
