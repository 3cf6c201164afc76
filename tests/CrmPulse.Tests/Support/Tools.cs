using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CrmPulse.Tests.Support;

public static class Tools
{
    /// <summary>A free TCP port on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The path of a Debian-installed tool (promtool, prometheus). A missing tool fails the test (never a skip):
    /// ./test.sh installs the packages the tests need.
    /// </summary>
    public static string Require(string tool, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException($"'{tool}' is not installed. Run ./test.sh (it installs the Debian package '{package}'), or apt-get install {package}.");
    }

    /// <summary>Runs a tool with stdin text; returns exit code, stdout and stderr. Bounded by a timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, string arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in time.");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
