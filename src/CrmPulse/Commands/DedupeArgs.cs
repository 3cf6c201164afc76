using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CrmPulse.Commands;

/// <summary>The parsed arguments of crmpulse dedupe; <see cref="Options"/> declares them for the command line.</summary>
internal sealed class DedupeArgs
{
    public const string Description = """
        Match the people in a contacts CSV (no vendor key needed) and write the duplicate pairs and clusters.
        Unmapped fields are found by header name (case and punctuation ignored): "First Name", "given_name",
        "surname", "dob", "zip", "suburb", ... Exit codes: 0 done; 2 bad arguments or bad input (named by file,
        line and column); 1 an output file could not be written.
        """;

    public required string Input { get; init; }
    public string? Preset { get; init; }
    public required IReadOnlyList<(string Field, string Columns)> Map { get; init; }
    public string? PairsFile { get; init; }
    public string? ClustersFile { get; init; }
    public double Threshold { get; init; }
    public int MaxBlock { get; init; }
    public char Delimiter { get; init; }

    public static DedupeArgs From(ParseResult parsed, Options o)
    {
        var map = (parsed.GetValue(o.Map) ?? []).ToList();
        if (parsed.GetValue(o.Id) is { } id) map.Add(("id", id));
        return new DedupeArgs
        {
            Input = parsed.GetRequiredValue(o.Input),
            Preset = parsed.GetValue(o.Preset),
            Map = map,
            PairsFile = parsed.GetValue(o.Pairs),
            ClustersFile = parsed.GetValue(o.Clusters),
            Threshold = parsed.GetValue(o.Threshold),
            MaxBlock = parsed.GetValue(o.MaxBlock),
            Delimiter = parsed.GetValue(o.Delimiter),
        };
    }

    /// <summary>The dedupe command's argument and options, each checked as it is parsed (a wrong value is a parse error).</summary>
    internal sealed class Options
    {
        public readonly Argument<string> Input = new("FILE") { Description = "The contacts CSV." };

        public readonly Option<(string Field, string Columns)[]> Map = new("--map")
        {
            Description = "Read FIELD from COLUMN (repeatable). COLUMN may join several with '+': --map street=street_number+address_1. "
                          + $"Fields: {string.Join(", ", DedupeCommand.Fields)}.",
            HelpName = "FIELD=COLUMN",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseMap,
        };

        public readonly Option<string> Preset = new("--preset")
        {
            Description = $"Header names of an export: {string.Join(", ", DedupeCommand.PresetNames)}. --map wins over it.",
            HelpName = "NAME",
            CustomParser = r =>
            {
                var value = r.Tokens[0].Value;
                var known = DedupeCommand.PresetNames.FirstOrDefault(p => string.Equals(p, value, StringComparison.OrdinalIgnoreCase));
                if (known is null) r.AddError($"--preset '{value}' is not known (known: {string.Join(", ", DedupeCommand.PresetNames)}).");
                return known;
            },
        };

        public readonly Option<string> Id = new("--id")
            { Description = "The record id column (default: a column named id, record_id, rec_id, unique_id; otherwise the line number).", HelpName = "COLUMN" };

        public readonly Option<string> Pairs = new("--pairs")
            { Description = "Write left_id,right_id,score,reason (score: match probability 0..1).", HelpName = "FILE" };

        public readonly Option<string> Clusters = new("--clusters")
        {
            Description = "Write cluster,id,survivor (cluster number from 1; survivor: the id to keep, the oldest by created_at, then the smallest id).",
            HelpName = "FILE",
        };

        public readonly Option<double> Threshold = new("--threshold")
        {
            Description = "Pairs scoring at least X (0..1] are duplicates.",
            HelpName = "X",
            DefaultValueFactory = _ => new Core.Dedupe.DedupeOptions().Threshold,
            CustomParser = r =>
            {
                var t = r.Tokens[0].Value;
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is > 0 and <= 1) return x;
                r.AddError($"--threshold must be a number in (0, 1], was '{t}'.");
                return 0;
            },
        };

        public readonly Option<int> MaxBlock = new("--max-block")
        {
            Description = "Skip blocks of more than N records.",
            HelpName = "N",
            DefaultValueFactory = _ => new Core.Dedupe.DedupeOptions().MaxBlockSize,
            CustomParser = r =>
            {
                var m = r.Tokens[0].Value;
                if (int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 2) return n;
                r.AddError($"--max-block must be a whole number of at least 2, was '{m}'.");
                return 0;
            },
        };

        public readonly Option<char> Delimiter = new("--delimiter")
        {
            Description = "Field separator ('tab' for a tab).",
            HelpName = "C",
            DefaultValueFactory = _ => ',',
            CustomParser = r =>
            {
                var d = r.Tokens[0].Value;
                if (d is "tab" or "\\t") return '\t';
                if (d.Length == 1 && d[0] is not ('"' or '\r' or '\n')) return d[0];
                r.AddError($"--delimiter must be one character (or 'tab'), was '{d}'.");
                return ',';
            },
        };

        public void AddTo(Command command)
        {
            // System.CommandLine takes "--bogus" as the file when it is the first token: name it as the unknown option it is.
            Input.Validators.Add(r =>
            {
                if (r.Tokens.Count > 0 && r.Tokens[0].Value.StartsWith('-')) r.AddError($"Unrecognized option '{r.Tokens[0].Value}'.");
            });
            command.Arguments.Add(Input);
            foreach (Option o in new Option[] { Map, Preset, Id, Pairs, Clusters, Threshold, MaxBlock, Delimiter }) command.Options.Add(o);
        }

        private static (string Field, string Columns)[] ParseMap(ArgumentResult r)
        {
            var result = new List<(string, string)>();
            foreach (var spec in r.Tokens.Select(t => t.Value))
            {
                var split = spec.IndexOf('=');
                if (split <= 0 || split == spec.Length - 1)
                {
                    r.AddError($"--map '{spec}': expected FIELD=COLUMN, e.g. --map first_name=given_name.");
                    continue;
                }
                var field = spec[..split].Trim().ToLowerInvariant();
                if (!DedupeCommand.Fields.Contains(field))
                {
                    r.AddError($"--map '{spec}': unknown field '{field}' (fields: {string.Join(", ", DedupeCommand.Fields)}).");
                    continue;
                }
                result.Add((field, spec[(split + 1)..].Trim()));
            }
            return [.. result];
        }
    }
}
