using System.CommandLine;
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
    /// <summary>The command's help text (its options are listed by System.CommandLine under it).</summary>
    public const string Description = """
        Write the leadership report of the current period (UTC; weeks start on Monday) against the previous one, from
        the values already in the ledger: each leadership KPI with its trend over the last periods and its target, the
        largest movers per team, and a short summary written from the numbers. html is one self-contained file (styles
        and charts inline, nothing to load); pdf is printed by Chromium (CrmPulse:Reports:ChromiumPath, or chromium on
        PATH). Exit 0 written, 1 could not be made, 2 bad arguments.
        """;

    /// <summary>The report's own options, parsed and checked by the command line.</summary>
    public sealed record Args(string Period, string? Source, ReportFormat Format, string Out);

    /// <summary>The report command's options (System.CommandLine: an unknown or malformed one is exit 2 with the usage).</summary>
    internal sealed class Options
    {
        public readonly Option<string> Period = new("--period")
        {
            Description = $"The period: {string.Join(", ", ReportPeriod.Kinds)}.",
            HelpName = "PERIOD",
            DefaultValueFactory = _ => "month",
            CustomParser = r =>
            {
                var value = r.Tokens[0].Value;
                if (!ReportPeriod.Kinds.Contains(value)) r.AddError($"--period '{value}' is not one of {string.Join(", ", ReportPeriod.Kinds)}.");
                return value;
            },
        };

        public readonly Option<string> Source = new("--source") { Description = "Only this source (default: every source).", HelpName = "NAME" };

        public readonly Option<ReportFormat> Format = new("--format")
        {
            Description = "html (one self-contained file) or pdf.",
            HelpName = "html|pdf",
            DefaultValueFactory = _ => ReportFormat.Html,
            CustomParser = r =>
            {
                var value = r.Tokens[0].Value;
                if (value is "html") return ReportFormat.Html;
                if (value is "pdf") return ReportFormat.Pdf;
                r.AddError($"--format '{value}' is not html or pdf.");
                return ReportFormat.Html;
            },
        };

        public readonly Option<string> Out = new("--out") { Description = "The file to write.", HelpName = "FILE", Required = true };

        public void AddTo(Command command)
        {
            command.Options.Add(Period);
            command.Options.Add(Source);
            command.Options.Add(Format);
            command.Options.Add(Out);
        }

        public Args From(ParseResult parsed) =>
            new(parsed.GetValue(Period)!, parsed.GetValue(Source), parsed.GetValue(Format), parsed.GetValue(Out)!);
    }

    public static async Task<int> RunAsync(WebApplication app, Args parsed, TextWriter output, TextWriter errorOutput)
    {
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
            var path = Path.GetFullPath(parsed.Out);
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
