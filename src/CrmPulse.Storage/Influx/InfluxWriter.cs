using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;

namespace CrmPulse.Storage.Influx;

/// <summary>
/// Writes batches of line protocol to InfluxDB. v2 mode (InfluxDB 2.x, 3.x, Cloud, 1.8+) goes through InfluxDB.Client's
/// write API, gzip-compressed: <c>POST /api/v2/write?org=&amp;bucket=&amp;precision=</c> with <c>Authorization: Token …</c>.
/// v1 mode keeps a plain gzip <c>POST /write?db=&amp;rp=&amp;precision=</c> with basic authentication when a user is
/// set: InfluxDB 1.x before 1.8 has no /api/v2/write, so the client cannot talk to it. One call is one attempt: it never
/// throws for what the server or the network does, it says whether to retry (<see cref="InfluxWriteOutcome"/>); the
/// durable outbox owns retries and backoff (the client's own batching buffer lives in memory only, so it is not used).
/// The token and password never appear in a result or a message.
/// </summary>
public sealed class InfluxWriter : IDisposable
{
    private const int ReasonMaxLength = 500;
    private readonly HttpClient _http;
    private readonly InfluxDbOptions _options;
    private readonly InfluxDBClient? _client;

    /// <param name="options">Validated settings (<see cref="InfluxDbOptions.Validate"/> has read the secret files).</param>
    /// <param name="handler">The HTTP handler; null for a default one. Tests pass their own.</param>
    public InfluxWriter(InfluxDbOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(options.Url!.TrimEnd('/') + "/"),
            Timeout = options.Timeout,
        };
        if (!options.IsV1)
        {
            _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url!.TrimEnd('/'))
            {
                Token = options.Token,
                Org = options.Org,
                Bucket = options.Bucket,
                Timeout = options.Timeout,
                HttpClient = _http,
            });
            _client.EnableGzip();
        }
    }

    /// <summary>Where the writes go, without secrets: e.g. "http://127.0.0.1:8086 (v1, db crm)".</summary>
    public string Target => _options.IsV1
        ? $"{Core.SafeUrl.WithoutSecrets(_options.Url)} (v1, database {_options.Database}{(_options.RetentionPolicy is null ? "" : $", retention policy {_options.RetentionPolicy}")})"
        : $"{Core.SafeUrl.WithoutSecrets(_options.Url)} (v2, org {_options.Org}, bucket {_options.Bucket})";

    /// <summary>Sends <paramref name="lines"/> in one request. Cancellation of <paramref name="cancellationToken"/> throws.</summary>
    public async Task<InfluxWriteResult> WriteAsync(IReadOnlyList<string> lines, InfluxPrecision precision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) return InfluxWriteResult.Written;
        try
        {
            return _client is null
                ? await WriteV1Async(lines, precision, cancellationToken)
                : await WriteV2Async(_client, lines, precision, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or IOException)
        {
            // TaskCanceledException without our cancellation is HttpClient's timeout.
            var why = e is TaskCanceledException or TimeoutException ? $"no answer within {_options.Timeout}" : e.Message;
            return new InfluxWriteResult(InfluxWriteOutcome.Retry, null, $"cannot reach {Core.SafeUrl.WithoutSecrets(_options.Url)}: {why}");
        }
    }

    private static async Task<InfluxWriteResult> WriteV2Async(InfluxDBClient client, IReadOnlyList<string> lines, InfluxPrecision precision, CancellationToken ct)
    {
        try
        {
            await client.GetWriteApiAsync().WriteRecordsAsync(lines as List<string> ?? [.. lines], LineProtocol.ToWritePrecision(precision), cancellationToken: ct);
            return InfluxWriteResult.Written;
        }
        catch (HttpException e) when (e.Status > 0)
        {
            // The client has read the documented error body ({"code":…,"message":…}) into Message, and Retry-After into RetryAfter.
            var reason = string.IsNullOrWhiteSpace(e.Message) ? ((HttpStatusCode)e.Status).ToString() : e.Message.Trim();
            var retryable = e.Status == 429 || e.Status >= 500;
            return new InfluxWriteResult(retryable ? InfluxWriteOutcome.Retry : InfluxWriteOutcome.Rejected, e.Status,
                $"HTTP {e.Status}: {Cut(reason)}", retryable && e.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        }
        catch (HttpException e) when (e.InnerException is { } inner)
        {
            // No answer at all: the client wraps the transport's error.
            throw inner is HttpRequestException or TaskCanceledException or TimeoutException or IOException
                ? inner
                : new HttpRequestException(inner.Message, inner);
        }
    }

    /// <summary>The v1 path and query of a write with the given precision.</summary>
    public string V1WritePath(InfluxPrecision precision)
    {
        var rp = string.IsNullOrEmpty(_options.RetentionPolicy) ? "" : $"&rp={Uri.EscapeDataString(_options.RetentionPolicy)}";
        return $"write?db={Uri.EscapeDataString(_options.Database!)}{rp}&precision={LineProtocol.PrecisionName(precision)}";
    }

    private async Task<InfluxWriteResult> WriteV1Async(IReadOnlyList<string> lines, InfluxPrecision precision, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, V1WritePath(precision)) { Content = Gzip(lines) };
        if (_options.Username is not null)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", pair);
        }
        using var response = await _http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode) return InfluxWriteResult.Written;
        var status = (int)response.StatusCode;
        var reason = await ReasonAsync(response, ct);
        var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500;
        return new InfluxWriteResult(retryable ? InfluxWriteOutcome.Retry : InfluxWriteOutcome.Rejected, status,
            $"HTTP {status}: {reason}", retryable ? RetryAfter(response) : null);
    }

    private static ByteArrayContent Gzip(IReadOnlyList<string> lines)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    /// <summary>The server's own words: InfluxDB 1.x answers {"error":…}; else the X-Influxdb-Error header or the body's start.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string body;
        try
        {
            body = (await response.Content.ReadAsStringAsync(ct)).Trim();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            body = "";
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "error", "message" })
                    if (json.RootElement.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String) return Cut(text.GetString()!);
            }
        }
        catch (JsonException)
        {
            // not JSON: use the text as it is
        }
        if (body.Length == 0 && response.Headers.TryGetValues("X-Influxdb-Error", out var header)) body = string.Join(" ", header);
        return body.Length == 0 ? response.ReasonPhrase ?? "no reason given" : Cut(body);
    }

    private static string Cut(string s) => s.Length <= ReasonMaxLength ? s : s[..ReasonMaxLength] + "…";

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    public void Dispose()
    {
        _client?.Dispose();
        _http.Dispose();
    }
}
