using System.Web;
using CrmPulse.Storage.Influx;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>
/// The v2 mode (InfluxDB.Client's write API) against a local server that records the exact request and answers as the
/// InfluxDB 2 API reference documents POST /api/v2/write: 204 on success; 400, 401, 404, 413 and 422 with a JSON
/// {"code","message"} body; 429 and 503 with Retry-After; 500 with a JSON body.
/// </summary>
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
        var path = request.PathAndQuery.Split('?');
        Assert.Equal("/api/v2/write", path[0]);
        var query = HttpUtility.ParseQueryString(path[1]);
        Assert.Equal(["org=my org", "bucket=crm/history", "precision=ms"], query.AllKeys.Select(k => $"{k}={query[k]}"));
        Assert.Equal($"Token {Token}", request.Headers["Authorization"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("text/plain; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal(request.RawBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
        Assert.Equal([0x1f, 0x8b], request.RawBody[..2]); // the gzip magic number
        // Lines joined by newlines (a trailing newline is optional in line protocol).
        Assert.Equal("m v=1 1700000000123\nm v=2 1700000000124", request.Body);
    }

    [Theory]
    [InlineData(InfluxPrecision.Seconds, "s")]
    [InlineData(InfluxPrecision.Microseconds, "us")]
    [InlineData(InfluxPrecision.Nanoseconds, "ns")]
    public async Task The_precision_parameter_names_the_precision_of_the_timestamps(InfluxPrecision precision, string expected)
    {
        await _writer.WriteAsync(["m v=1 1"], precision, default);

        Assert.EndsWith($"&precision={expected}", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Theory]
    [InlineData(400, """{"code":"invalid","message":"unable to parse 'm v=': missing field value","op":"writing points","line":1}""", "unable to parse 'm v=': missing field value")]
    [InlineData(401, """{"code":"unauthorized","message":"unauthorized access"}""", "unauthorized access")]
    [InlineData(404, """{"code":"not found","message":"bucket \"crm/history\" not found"}""", "bucket \"crm/history\" not found")]
    [InlineData(413, """{"code":"request too large","message":"unable to read data: points batch is too large","maxLength":50000000}""", "unable to read data: points batch is too large")]
    [InlineData(422, """{"code":"unprocessable entity","message":"failure writing points to database: partial write: points beyond retention policy dropped=1"}""", "failure writing points to database: partial write: points beyond retention policy dropped=1")]
    public async Task A_documented_client_error_is_refused_for_good_with_the_servers_message_and_never_the_token(int status, string body, string message)
    {
        _server.Reply(status, body);

        var result = await _writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal((InfluxWriteOutcome.Rejected, (int?)status, $"HTTP {status}: {message}", (TimeSpan?)null),
            (result.Outcome, result.StatusCode, result.Reason, result.RetryAfter));
        Assert.DoesNotContain(Token, result.Reason);
        Assert.Single(_server.Requests); // one call, one attempt: the outbox owns retries
    }

    [Theory]
    [InlineData(429, """{"code":"too many requests","message":"org 0001 has exceeded limited_write plan limit"}""", "30", "org 0001 has exceeded limited_write plan limit", 30)]
    [InlineData(503, """{"code":"unavailable","message":"service unavailable"}""", "7", "service unavailable", 7)]
    [InlineData(500, """{"code":"internal error","message":"an internal error has occurred"}""", null, "an internal error has occurred", null)]
    [InlineData(503, """{"code":"unavailable","message":"service unavailable"}""", null, "service unavailable", null)]
    public async Task A_documented_server_error_or_rate_limit_is_worth_retrying_after_the_servers_Retry_After(
        int status, string body, string? retryAfter, string message, int? seconds)
    {
        if (retryAfter is null) _server.Reply(status, body);
        else _server.Reply(status, body, ("Retry-After", retryAfter));

        var result = await _writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal((InfluxWriteOutcome.Retry, (int?)status, $"HTTP {status}: {message}", seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null),
            (result.Outcome, result.StatusCode, result.Reason, result.RetryAfter));
        Assert.Single(_server.Requests);
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
    public async Task A_server_that_is_down_is_worth_retrying()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop(); // nothing listens there any more: connection refused
        using var writer = new InfluxWriter(new InfluxDbOptions { Url = url, Org = "o", Bucket = "b", Token = "t" });

        var result = await writer.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal((InfluxWriteOutcome.Retry, (int?)null), (result.Outcome, result.StatusCode));
        Assert.StartsWith($"cannot reach {url}: ", result.Reason);
        Assert.Contains("refused", result.Reason, StringComparison.OrdinalIgnoreCase);
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
        Assert.Equal("m v=1 1\n", request.Body);
    }

    [Fact]
    public async Task V1_mode_reads_influxdb_1x_error_bodies()
    {
        using var v1 = new InfluxWriter(new InfluxDbOptions { Enabled = true, Url = _server.Url, Mode = "v1", Database = "crm" });
        _server.Reply(404, """{"error":"database not found: \"crm\""}""");

        var result = await v1.WriteAsync(["m v=1 1"], InfluxPrecision.Seconds, default);

        Assert.Equal((InfluxWriteOutcome.Rejected, "HTTP 404: database not found: \"crm\""), (result.Outcome, result.Reason));
    }
}
