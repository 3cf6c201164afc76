using System.Diagnostics;

namespace CrmPulse.Reports;

/// <summary>
/// Prints the report's HTML to an A4 PDF with headless Chromium (its print-to-PDF), so the PDF is the page: same
/// markup, same SVG charts. The HTML is self-contained and the browser runs with networking features off, so printing
/// sends no request anywhere.
/// </summary>
public sealed class PdfRenderer(ReportsOptions options)
{
    public static readonly IReadOnlyList<string> Candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The browser that prints: Reports:ChromiumPath, else the first candidate on PATH; null when none.</summary>
    public string? Browser => options.ChromiumPath ?? Candidates
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    public async Task<byte[]> RenderAsync(string html, CancellationToken ct)
    {
        var browser = Browser ?? throw new ReportException(
            "A PDF report needs Chromium to print it: install it (Debian: apt-get install --no-install-recommends chromium) or set "
            + "CrmPulse:Reports:ChromiumPath; an HTML report (--format html) needs nothing.");
        var dir = Directory.CreateTempSubdirectory("crmpulse-pdf-").FullName;
        try
        {
            var input = Path.Combine(dir, "report.html");
            var output = Path.Combine(dir, "report.pdf");
            await File.WriteAllTextAsync(input, html, ct);
            var start = new ProcessStartInfo(browser)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage", "--disable-extensions",
                $"--user-data-dir={Path.Combine(dir, "profile")}", "--no-pdf-header-footer", $"--print-to-pdf={output}",
                new Uri(input).AbsoluteUri,
            }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start) ?? throw new ReportException($"Could not start {browser}.");
            var stderr = process.StandardError.ReadToEndAsync(ct);
            _ = process.StandardOutput.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.PdfTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new ReportException($"{browser} did not print the PDF within {options.PdfTimeout} (CrmPulse:Reports:PdfTimeout).");
            }
            if (!File.Exists(output) || new FileInfo(output).Length == 0)
            {
                var log = (await stderr).Split('\n').Where(l => l.Contains("ERROR", StringComparison.Ordinal)).Take(3);
                throw new ReportException($"{browser} exited with {process.ExitCode} without a PDF. {string.Join(" ", log)}".Trim());
            }
            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
