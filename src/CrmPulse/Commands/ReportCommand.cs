using CrmPulse.Apis;
using CrmPulse.Hosting;
using CrmPulse.Reports;

namespace CrmPulse.Commands;

/// <summary>
/// crmpulse report --period month [--source S] --format html|pdf --out FILE: writes the leadership report of the
/// current period from the ledger (no sync runs) as one self-contained HTML file or a PDF.
/// </summary>
public static class ReportCommand
{
    public const string Usage = """
        Usage: crmpulse report --period week|month|quarter [--source NAME] --format html|pdf --out FILE [--config FILE]

        Writes the leadership report of the current period (UTC; weeks start on Monday) against the previous one, from
        the values already in the ledger: each leadership KPI with its trend over the last periods and its target, the
        largest movers per team, and a short summary written from the numbers. html is one self-contained file (styles
        and charts inline, nothing to load); pdf is printed by Chromium (CrmPulse:Reports:ChromiumPath, or chromium on
        PATH). Exit 0 written, 1 could not be made, 2 bad arguments.
        """;

    /// <summary>The report's own options, parsed; Error names the first bad one.</summary>
    public sealed record Args(string Period, string? Source, ReportFormat Format, string? Out, string? Error, bool Help);

    public static Args Parse(string[] args)
    {
        string period = "month", format = "html";
        string? source = null, output = null;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "--help" or "-h") return new Args(period, source, ReportFormat.Html, output, null, true);
            var (name, value) = a.Contains('=') && a.StartsWith("--", StringComparison.Ordinal) ? (a[..a.IndexOf('=')], a[(a.IndexOf('=') + 1)..]) : (a, null);
            if (name is not ("--period" or "--source" or "--format" or "--out"))
                return new Args(period, source, ReportFormat.Html, output, $"report: unknown option '{a}'.", false);
            if (value is null)
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return new Args(period, source, ReportFormat.Html, output, $"report: {name} needs a value.", false);
                value = args[++i];
            }
            switch (name)
            {
                case "--period": period = value; break;
                case "--source": source = value; break;
                case "--format": format = value; break;
                default: output = value; break;
            }
        }
        if (!ReportPeriod.Kinds.Contains(period))
            return new Args(period, source, ReportFormat.Html, output, $"report: --period '{period}' is not one of {string.Join(", ", ReportPeriod.Kinds)}.", false);
        if (format is not ("html" or "pdf"))
            return new Args(period, source, ReportFormat.Html, output, $"report: --format '{format}' is not html or pdf.", false);
        if (output is null) return new Args(period, source, ReportFormat.Html, output, "report: --out FILE is required.", false);
        return new Args(period, source, format == "pdf" ? ReportFormat.Pdf : ReportFormat.Html, output, null, false);
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter output, TextWriter errorOutput)
    {
        var parsed = Parse(args);
        if (parsed.Help)
        {
            output.WriteLine(Usage);
            return 0;
        }
        if (parsed.Error is not null)
        {
            errorOutput.WriteLine(parsed.Error);
            errorOutput.WriteLine(Usage);
            return 2;
        }
        var sources = app.Services.GetRequiredService<SourceRegistry>();
        if (parsed.Source is not null && !sources.Contains(parsed.Source))
        {
            errorOutput.WriteLine($"report: --source '{parsed.Source}' is not a configured source (known: {string.Join(", ", sources.Names)}).");
            return 2;
        }
        var period = ReportPeriod.Of(parsed.Period, app.Services.GetRequiredService<TimeProvider>().GetUtcNow())!;
        try
        {
            var model = await app.Services.GetRequiredService<ReportBuilder>().BuildAsync(period, parsed.Source, CancellationToken.None);
            var html = ReportDocument.Render(model);
            var bytes = parsed.Format == ReportFormat.Pdf
                ? await app.Services.GetRequiredService<PdfRenderer>().RenderAsync(html, CancellationToken.None)
                : System.Text.Encoding.UTF8.GetBytes(html);
            var path = Path.GetFullPath(parsed.Out!);
            if (Path.GetDirectoryName(path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
            await File.WriteAllBytesAsync(path, bytes);
            output.WriteLine($"Wrote the {period.Kind} report ({model.Summary.Kpis.Count} KPI series, {model.Narrative.Count} summary sentences) to {path}.");
            return 0;
        }
        catch (Exception e) when (e is ReportException or IOException or UnauthorizedAccessException)
        {
            errorOutput.WriteLine($"report: {e.Message}");
            return 1;
        }
    }
}
