using CrmPulse.Sources.Http;
using CrmPulse.Sources.Tests.Demo;
using CrmPulse.Sources.Tests.Fakes;

namespace CrmPulse.Sources.Tests.Http;

/// <summary>
/// A source's HTTP client (Microsoft.Extensions.Http.Resilience) against a local server with a scripted series of
/// answers: retries with Retry-After or exponential back-off, the per-attempt and total timeouts, the circuit breaker.
/// Back-off waits are recorded, not slept.
/// </summary>
public sealed class SourceResilienceTests : IDisposable
{
    private readonly Queue<FakeResponse> _script = new();
    private readonly FakeServer _server;
    private readonly FakeClock _clock = new(new DateTimeOffset(2024, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> _waits = [];
    private FakeResponse _last = new(200, """{"ok":true}""");

    public SourceResilienceTests()
    {
        _server = new FakeServer((_, _) => _script.Count > 0 ? _script.Dequeue() : _last, _ => { });
    }

    public void Dispose() => _server.Dispose();

    private HttpClient Client(int maxRetries = 3, TimeSpan? attemptTimeout = null, TimeSpan? totalTimeout = null) =>
        SourceResilience.CreateClient(new SourceResilience.Settings("test",
            () => new SourceResilience.Limits(maxRetries, TimeSpan.FromSeconds(1), attemptTimeout ?? TimeSpan.FromSeconds(10), totalTimeout ?? TimeSpan.FromMinutes(1)),
            SourceResilience.IsTransient), _clock, (span, _) =>
            {
                lock (_waits) _waits.Add(span);
                return Task.CompletedTask;
            });

    private async Task<(ApiExchange Response, int Attempts)> GetAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.BaseUrl + "/api");
        var attempts = new ApiAttempt();
        request.Options.Set(ApiAttempt.Key, attempts);
        var response = await ApiExchange.SendAsync(client, request, Timeout.InfiniteTimeSpan, _clock, CancellationToken.None);
        return (response, attempts.Attempts);
    }

    private static FakeResponse Error(int status, string? retryAfter = null) =>
        new(status, """{"message":"busy"}""", retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

    [Fact]
    public async Task A_transient_answer_is_retried_after_the_servers_Retry_After()
    {
        _script.Enqueue(Error(503, "7"));
        _script.Enqueue(Error(429, "2"));
        using var client = Client();

        var (response, attempts) = await GetAsync(client);

        using (response) Assert.Equal((200, 3), (response.Status, attempts));
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(2)], _waits);
    }

    [Fact]
    public async Task Without_Retry_After_the_back_off_doubles_from_RetryDelay_and_the_last_answer_comes_back_after_MaxRetries()
    {
        _last = Error(500);
        using var client = Client(maxRetries: 3);

        var (response, attempts) = await GetAsync(client);

        using (response) Assert.Equal((500, 4), (response.Status, attempts));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _waits);
        Assert.Equal(4, _server.Count(_ => true));
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        _script.Enqueue(Error(400));
        using var client = Client();

        var (response, attempts) = await GetAsync(client);

        using (response) Assert.Equal((400, 1), (response.Status, attempts));
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task An_attempt_that_gets_no_answer_times_out_and_the_next_attempt_is_made()
    {
        _script.Enqueue(FakeResponse.NoAnswer);
        // Long enough for the second attempt's answer on a loaded machine (at 300 ms it timed out once in CI, while
        // builds ran beside the tests, and a third attempt was made); the attempt without an answer waits all of it.
        using var client = Client(attemptTimeout: TimeSpan.FromSeconds(2));

        var (response, attempts) = await GetAsync(client);

        using (response) Assert.Equal((200, 2), (response.Status, attempts));
        Assert.Equal([TimeSpan.FromSeconds(1)], _waits);
    }

    [Fact]
    public async Task The_total_timeout_ends_a_request_whose_attempts_keep_timing_out()
    {
        _last = FakeResponse.NoAnswer;
        using var client = Client(maxRetries: 20, attemptTimeout: TimeSpan.FromMilliseconds(400), totalTimeout: TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<TransientApiException>(() => GetAsync(client));

        Assert.Equal("timed out after 00:00:01", e.Message);
        // 1 s allows at most three attempts of 400 ms (fewer on a loaded machine), far from the 21 MaxRetries would allow.
        Assert.InRange(_server.Count(_ => true), 0, 3);
        Assert.InRange(_waits.Count, 0, 2);
    }

    [Fact]
    public async Task A_dead_api_opens_the_circuit_so_it_is_not_called_until_the_break_is_over()
    {
        _last = Error(503);
        using var client = Client(maxRetries: 0);
        for (var i = 0; i < SourceResilience.BreakerMinimumThroughput; i++) (await GetAsync(client)).Response.Dispose();
        Assert.Equal(8, _server.Count(_ => true));

        var e = await Assert.ThrowsAsync<TransientApiException>(() => GetAsync(client));

        Assert.Equal("the API failed on every attempt lately, so calls are paused for 00:01:00 (circuit open)", e.Message);
        Assert.Equal(8, _server.Count(_ => true)); // not called

        _last = new FakeResponse(200, """{"ok":true}""");
        _clock.Now += SourceResilience.BreakDuration;
        var (response, _) = await GetAsync(client);
        using (response) Assert.Equal(200, response.Status);
        Assert.Equal(9, _server.Count(_ => true));
    }
}
