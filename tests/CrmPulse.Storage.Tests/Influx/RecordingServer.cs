using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>
/// A local HTTP server on 127.0.0.1 that records every request exactly (method, path and query, headers, gunzipped
/// body) and answers from a script of responses (the last one repeats), as InfluxDB 2.x would.
/// </summary>
internal sealed class RecordingServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<Answer> _script = new();
    private Answer _last = new(204, "", new Dictionary<string, string>());
    private readonly Task _loop;

    public sealed record Request(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] RawBody, string Body);

    public sealed record Answer(int Status, string Body, IReadOnlyDictionary<string, string> Headers);

    public RecordingServer()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public List<Request> Requests { get; } = [];

    /// <summary>Queues an answer; the last one keeps being given.</summary>
    public void Reply(int status, string body = "", params (string Name, string Value)[] headers)
    {
        lock (_script) _script.Enqueue(new Answer(status, body, headers.ToDictionary(h => h.Name, h => h.Value)));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var raw = buffer.ToArray();
            var body = context.Request.Headers["Content-Encoding"] == "gzip"
                ? await new StreamReader(new GZipStream(new MemoryStream(raw), CompressionMode.Decompress), Encoding.UTF8).ReadToEndAsync()
                : Encoding.UTF8.GetString(raw);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Answer answer;
            lock (_script)
            {
                Requests.Add(new Request(context.Request.HttpMethod, context.Request.RawUrl!, headers, raw, body));
                if (_script.Count > 0) _last = _script.Dequeue();
                answer = _last;
            }
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
            if (answer.Body.Length > 0)
            {
                var bytes = Encoding.UTF8.GetBytes(answer.Body);
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        // Close alone: after Stop, Close would bind the port again to remove the prefix (the managed HttpListener looks
        // the endpoint up afresh), and fails with "Address already in use" when another test has taken it meanwhile.
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
