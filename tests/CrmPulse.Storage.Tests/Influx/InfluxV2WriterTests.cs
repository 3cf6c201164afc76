using CrmPulse.Storage.Influx;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>The v2 mode against a local server that records the exact request and answers as InfluxDB 2.x does.</summary>
public sealed class InfluxV2WriterTests : IDisposable
{
    private const string Token = "s3cr3t-token==";
    private readonly RecordingServer _server = new();
    private readonly InfluxWriter _writer;

    public InfluxV2WriterTests()
    {
        _writer = new InfluxWriter(new InfluxDbOptions { Enabled = true, Url = _server.Url, Org = "my org", Bucket = "crm/history", Token = Token });
    }

    public void Dispose()
    {
        _writer.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task A_write_posts_gzipped_lines_to_api_v2_write_with_org_bucket_precision_and_the_token()
    {
        var result = await _writer.WriteAsync(["m v=1 1700000000123", "m v=2 1700000000124"], InfluxPrecision.Milliseconds, default);

        Assert.Equal(InfluxWriteOutcome.Written, result.Outcome);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v2/write?org=my%20org&bucket=crm%2Fhistory&precision=ms", request.PathAndQuery);
        Assert.Equal($"Token {Token}", request.Headers["Authorization"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("text/plain; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal([0x1f, 0x8b], request.RawBody[..2]); // the gzip magic number
        Assert.Equal("m v=1 1700000000123\nm v=2 1700000000124\n", request.Body);
    }

    [Fact]
    public async Task A_bad_token_is_rejected_for_good_with_the_servers_message_and_without_the_token()
    {
        _server.Reply(401, """{"code":"unauthorized","message":"unauthorized access"}""");

        var result = await _writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal(InfluxWriteOutcome.Rejected, result.Outcome);
        Assert.Equal("HTTP 401: unauthorized access", result.Reason);
        Assert.DoesNotContain(Token, result.Reason);
    }

    [Fact]
    public async Task A_malformed_point_is_rejected_for_good()
    {
        _server.Reply(400, """{"code":"invalid","message":"unable to parse 'm v=': missing field value","line":1}""");

        var result = await _writer.WriteAsync(["m v= 1"], InfluxPrecision.Seconds, default);

        Assert.Equal((InfluxWriteOutcome.Rejected, 400), (result.Outcome, result.StatusCode));
        Assert.Equal("HTTP 400: unable to parse 'm v=': missing field value", result.Reason);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_servers_Retry_After()
    {
        _server.Reply(429, """{"code":"too many requests","message":"org exceeded write limits"}""", ("Retry-After", "30"));

        var result = await _writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal(InfluxWriteOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Equal("HTTP 429: org exceeded write limits", result.Reason);
    }

    [Fact]
    public async Task A_server_error_is_retried_without_a_Retry_After()
    {
        _server.Reply(503, """{"code":"unavailable","message":"service unavailable"}""");

        var result = await _writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal((InfluxWriteOutcome.Retry, 503, (TimeSpan?)null), (result.Outcome, result.StatusCode, result.RetryAfter));
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_timeout_worth_retrying()
    {
        // Connections are accepted by the listener's backlog, but nothing ever answers.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
            using var writer = new InfluxWriter(new InfluxDbOptions { Url = url, Org = "o", Bucket = "b", Token = "t", Timeout = TimeSpan.FromMilliseconds(300) });

            var result = await writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

            Assert.Equal((InfluxWriteOutcome.Retry, (int?)null), (result.Outcome, result.StatusCode));
            Assert.Equal($"cannot reach {url}: no answer within 00:00:00.3000000", result.Reason);
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task V1_mode_posts_to_write_with_database_retention_policy_and_basic_authentication()
    {
        using var v1 = new InfluxWriter(new InfluxDbOptions
        {
            Enabled = true, Url = _server.Url + "/", Mode = "v1", Database = "crm db", RetentionPolicy = "a year", Username = "ann", Password = "pw:1",
        });

        await v1.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/write?db=crm%20db&rp=a%20year&precision=s", request.PathAndQuery);
        // base64("ann:pw:1") = "YW5uOnB3OjE="
        Assert.Equal("Basic YW5uOnB3OjE=", request.Headers["Authorization"]);
    }
}
