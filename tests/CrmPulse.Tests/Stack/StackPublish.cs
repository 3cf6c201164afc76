using System.Diagnostics;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Stack;

/// <summary>
/// The one `dotnet publish` of the host: the Dockerfile runs it (output /app) and the stack tests run it (output a temp
/// folder) and start the published crmpulse.dll, so the tests exercise what the image contains.
/// </summary>
public static class StackPublish
{
    /// <summary>The arguments after `dotnet`, relative to the repository root.</summary>
    public static string[] Arguments(string output) =>
        ["publish", "src/CrmPulse/CrmPulse.csproj", "-c", "Release", "-o", output, "--nologo"];

    /// <summary>Publishes into <paramref name="output"/>; fails with the build's output when it does not succeed.</summary>
    public static async Task PublishAsync(string output)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments(output)) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Seconds when the solution is built; minutes when the machine is busy (six builds at once took over 5).
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish did not finish in 15 minutes:\n{await stdout}\n{await stderr}");
        }
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(output, "crmpulse.dll")))
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
    }
}
