using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CrmPulse.Audits;
using CrmPulse.Hosting;
using CrmPulse.Reports;

namespace CrmPulse.Commands;

/// <summary>
/// crmpulse audit --from DATE --to DATE [--source NAME] [--format html|pdf|json] [--out FILE]: builds the audit of a
/// period from the ledger (no sync runs), stores it (so the next audit compares with it) and writes it.
/// </summary>
public static class AuditCommand
{
    /// <summary>The command's help text.</summary>
    public const string Description = """
        Audit a period (UTC days, both included) from the values already in the ledger: usage (share of licensed users
        logging in, logins, deals and activities per team), integrations (probe uptime and incidents, late integrations),
        return on investment, open work carried over, security and licences, data quality at the start and the end, and
        account prioritisation; then what changed since the previous stored audit of the same source. The audit is stored
        (GET /api/audits, the /audits page). html is one self-contained file; pdf is printed by Chromium; json is the API's
        shape. Exit 0 written, 1 could not be made, 2 bad arguments.
        """;

    /// <summary>The audit's options, parsed and checked by the command line.</summary>
    public sealed record Args(DateOnly From, DateOnly To, string? Source, string Format, string? Out);

    /// <summary>The formats, as --format takes them.</summary>
    public static readonly IReadOnlyList<string> Formats = ["html", "pdf", "json"];

    internal sealed class Options
    {
        public readonly Option<DateOnly> From = DateOption("--from", "First day of the period (yyyy-MM-dd, UTC).");

        public readonly Option<DateOnly> To = DateOption("--to", "Last day of the period, included (yyyy-MM-dd, UTC).");

        public readonly Option<string> Source = new("--source") { Description = "Only this source (default: every source).", HelpName = "NAME" };

        public readonly Option<string> Format = new("--format")
        {
            Description = "html (one self-contained file), pdf or json.",
            HelpName = "html|pdf|json",
            DefaultValueFactory = _ => "html",
            CustomParser = r =>
            {
                var value = r.Tokens[0].Value;
                if (!Formats.Contains(value)) r.AddError($"--format '{value}' is not html, pdf or json.");
                return value;
            },
        };

        public readonly Option<string> Out = new("--out")
            { Description = "The file to write (default crmpulse-audit-FROM-TO.FORMAT in the working directory).", HelpName = "FILE" };

        public void AddTo(Command command)
        {
            command.Options.Add(From);
            command.Options.Add(To);
            command.Options.Add(Source);
            command.Options.Add(Format);
            command.Options.Add(Out);
            command.Validators.Add(result =>
            {
                // From the tokens: a value that failed its own parse is already an error, and reading it would throw.
                if (Date(result.GetResult(From)) is { } from && Date(result.GetResult(To)) is { } to && from > to)
                    result.AddError($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}: the period must start on or before its last day.");
            });
        }

        public Args Read(ParseResult parsed) =>
            new(parsed.GetValue(From), parsed.GetValue(To), parsed.GetValue(Source), parsed.GetValue(Format)!, parsed.GetValue(Out));

        private static DateOnly? Date(System.CommandLine.Parsing.OptionResult? result) =>
            result is { Tokens.Count: 1 } && DateOnly.TryParseExact(result.Tokens[0].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : null;

        private static Option<DateOnly> DateOption(string name, string description) => new(name)
        {
            Description = description,
            HelpName = "DATE",
            Required = true,
            CustomParser = r =>
            {
                var text = r.Tokens[0].Value;
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
                r.AddError($"{name} '{text}' is not a date: write it as yyyy-MM-dd (e.g. 2026-01-31).");
                return default;
            },
        };
    }

    public static async Task<int> RunAsync(WebApplication app, Args args, TextWriter output, TextWriter errorOutput)
    {
        var sources = app.Services.GetRequiredService<SourceRegistry>();
        if (args.Source is not null && !sources.Contains(args.Source))
        {
            errorOutput.WriteLine($"audit: --source '{args.Source}' is not a configured source (known: {string.Join(", ", sources.Names)}).");
            return 2;
        }
        if (args.From > args.To)
        {
            errorOutput.WriteLine($"audit: --from {args.From:yyyy-MM-dd} is after --to {args.To:yyyy-MM-dd}: the period must start on or before its last day.");
            return 2;
        }
        try
        {
            var (id, audit) = await app.Services.GetRequiredService<AuditBuilder>().RunAsync(args.From, args.To, args.Source, sources.Names, CancellationToken.None);
            byte[] bytes = args.Format switch
            {
                "json" => JsonSerializer.SerializeToUtf8Bytes(AuditsApi.View(id, audit), AuditBuilder.Json),
                "pdf" => await app.Services.GetRequiredService<PdfRenderer>().RenderAsync(AuditDocument.Render(audit, id), CancellationToken.None),
                _ => System.Text.Encoding.UTF8.GetBytes(AuditDocument.Render(audit, id)),
            };
            var path = Path.GetFullPath(args.Out ?? $"crmpulse-audit-{args.From:yyyy-MM-dd}-{args.To:yyyy-MM-dd}.{args.Format}");
            if (Path.GetDirectoryName(path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
            await File.WriteAllBytesAsync(path, bytes);
            output.WriteLine($"Stored audit #{id} ({args.From:yyyy-MM-dd} to {args.To:yyyy-MM-dd}, {(args.Source is null ? "every source" : "source " + args.Source)}) and wrote it to {path}.");
            return 0;
        }
        catch (Exception e) when (e is ReportException or IOException or UnauthorizedAccessException)
        {
            errorOutput.WriteLine($"audit: {e.Message}");
            return 1;
        }
    }
}
