using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CrmPulse.Tests.Support;

/// <summary>The published CrmPulse binary (crmpulse.dll) started as a real daemon process on a free loopback port.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, int port)
    {
        _process = process;
        BaseUrl = $"http://127.0.0.1:{port}";
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static DaemonProcess Start(IDictionary<string, string> environment, params string[] args)
    {
        var port = Tools.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crmpulse.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        return new DaemonProcess(Process.Start(info)!, port);
    }

    /// <summary>Polls GET path until <paramref name="done"/> holds for its JSON, or fails after the timeout.</summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"CrmPulse exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Client.GetAsync(path);
                last = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    var json = JsonDocument.Parse(last).RootElement.Clone();
                    if (done(json)) return json;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"GET {path} did not get there within {timeout}; last answer: {last}\n{Output}");
    }

    /// <summary>Sends SIGTERM (what Ctrl+C and service managers do) and waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        await Tools.RunAsync("/bin/kill", $"-TERM {_process.Id}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL (kill -9): the process ends at once, in the middle of whatever it was writing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
