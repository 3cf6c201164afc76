using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrmPulse.Tests.Alerts;

/// <summary>
/// A webhook receiver on 127.0.0.1: records every request body, answers the status the script gives for the request's
/// number (0, 1, …), or nothing at all for null (the connection hangs until disposal).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, int?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public WebhookReceiver(Func<int, int?> script)
    {
        _script = script;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    /// <summary>Bodies received, in arrival order (also of requests not answered).</summary>
    public ConcurrentQueue<string> Bodies { get; } = new();

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Waits (bounded) until <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan max)
    {
        using var timeout = new CancellationTokenSource(max);
        while (Requests < count) await Task.Delay(10, timeout.Token);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var received = new List<byte>();
            var buffer = new byte[8192];
            try
            {
                int headerEnd;
                while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    received.AddRange(buffer.AsSpan(0, n).ToArray());
                }
                var headers = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd);
                var length = headers.Split("\r\n").Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(h => int.Parse(h["Content-Length:".Length..].Trim())).FirstOrDefault();
                while (received.Count < headerEnd + 4 + length)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    received.AddRange(buffer.AsSpan(0, n).ToArray());
                }
                Bodies.Enqueue(Encoding.UTF8.GetString(received.ToArray(), headerEnd + 4, length));
                var index = Interlocked.Increment(ref _requests) - 1;
                if (_script(index) is not { } status)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                var response = $"HTTP/1.1 {status} S\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (IOException) { }
        }
    }

    private static int IndexOfHeaderEnd(List<byte> data)
    {
        for (var i = 0; i + 3 < data.Count; i++)
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') return i;
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
