using System.Diagnostics;

namespace CrmPulse.Tests.Support;

/// <summary>
/// A real SMTP server (Debian's python3-aiosmtpd, run by Debian's /usr/bin/python3) on 127.0.0.1 and a free port,
/// storing each message in a Maildir. Missing aiosmtpd fails the test: ./test.sh installs it. Stopped by closing its
/// standard input, then by its process id.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpServer(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    public int Port { get; }

    public string Maildir { get; }

    public static async Task<SmtpServer> StartAsync(string? user = null, string? password = null)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) throw new InvalidOperationException("/usr/bin/python3 is missing: install Debian's python3 and python3-aiosmtpd (./test.sh does).");
        var check = await Tools.RunAsync(python, "-c \"import aiosmtpd\"");
        if (check.ExitCode != 0) throw new InvalidOperationException("python3-aiosmtpd is not installed: run ./test.sh (it installs it) or apt-get install python3-aiosmtpd.");
        var port = Tools.FreePort();
        // Python's Maildir makes its tmp/new/cur only for a folder that does not exist yet.
        var maildir = Path.Combine(Directory.CreateTempSubdirectory("crmpulse-smtp-").FullName, "maildir");
        var start = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Support", "smtp_server.py"), port.ToString(), maildir }) start.ArgumentList.Add(a);
        if (user is not null) { start.ArgumentList.Add(user); start.ArgumentList.Add(password!); }
        var process = Process.Start(start)!;
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(ready.Token);
        if (line != "ready")
        {
            process.Kill();
            throw new InvalidOperationException($"The SMTP server did not start: {await process.StandardError.ReadToEndAsync()}");
        }
        _ = process.StandardError.ReadToEndAsync();
        return new SmtpServer(process, port, maildir);
    }

    /// <summary>The messages received so far (files of Maildir/new), oldest first.</summary>
    public IReadOnlyList<string> Messages =>
        Directory.Exists(Path.Combine(Maildir, "new"))
            ? Directory.GetFiles(Path.Combine(Maildir, "new")).OrderBy(File.GetLastWriteTimeUtc).ToList()
            : [];

    /// <summary>Waits (bounded) until <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(int count, TimeSpan max)
    {
        var started = Stopwatch.GetTimestamp();
        while (Messages.Count < count && Stopwatch.GetElapsedTime(started) < max) await Task.Delay(100);
        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
        Directory.Delete(Path.GetDirectoryName(Maildir)!, recursive: true);
    }
}
