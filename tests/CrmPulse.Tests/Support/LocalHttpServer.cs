using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrmPulse.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for probe tests. Each request gets the status the script gives for its
/// number (0, 1, 2 …), or no answer at all when the script says null (the connection stays open until disposal).
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, int?> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LocalHttpServer(Func<int, int?> script)
    {
        _script = script;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Always answers <paramref name="status"/>.</summary>
    public static LocalHttpServer Answering(int status) => new(_ => status);

    /// <summary>Accepts connections and never answers.</summary>
    public static LocalHttpServer Hanging() => new(_ => null);

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/health";

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var received = new StringBuilder();
            try
            {
                while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) return;
                    received.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                var index = Interlocked.Increment(ref _requests) - 1;
                if (_script(index) is not { } status)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                var response = $"HTTP/1.1 {status} Status{status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
                // The client gave up (a probe timed out): nothing to answer.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
