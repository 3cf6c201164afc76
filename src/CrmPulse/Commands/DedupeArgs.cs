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
        "surname", "dob", "zip", "suburb", ... Any other column takes part when mapped with a comparison
        kind: --map occupation:text=occupation_col --map gender:exact=sex. Exit codes: 0 done; 2 bad arguments
        or bad input (named by file, line and column); 1 an output file could not be written.
        """;

    public required string Input { get; init; }
    public string? Preset { get; init; }
    public required IReadOnlyList<(string Field, string Columns)> Map { get; init; }

    /// <summary>Extra fields (--map NAME:KIND=COLUMN): name, comparison kind and column(s).</summary>
    public IReadOnlyList<(string Field, Core.Dedupe.DedupeFieldKind Kind, string Columns)> Extra { get; init; } = [];
    public string? PairsFile { get; init; }
    public string? ClustersFile { get; init; }
    public double Threshold { get; init; }
    public int MaxBlock { get; init; }
    public Core.Dedupe.DedupeWeights Weights { get; init; }
    public char Delimiter { get; init; }

    public static DedupeArgs From(ParseResult parsed, Options o)
    {
        var specs = parsed.GetValue(o.Map) ?? [];
        var map = specs.Where(m => m.Kind is null).Select(m => (m.Field, m.Columns)).ToList();
        if (parsed.GetValue(o.Id) is { } id) map.Add(("id", id));
        return new DedupeArgs
        {
            Input = parsed.GetRequiredValue(o.Input),
            Preset = parsed.GetValue(o.Preset),
            Map = map,
            Extra = specs.Where(m => m.Kind is not null).Select(m => (m.Field, m.Kind!.Value, m.Columns)).ToList(),
            PairsFile = parsed.GetValue(o.Pairs),
            ClustersFile = parsed.GetValue(o.Clusters),
            Threshold = parsed.GetValue(o.Threshold),
            MaxBlock = parsed.GetValue(o.MaxBlock),
            Weights = parsed.GetValue(o.Weights),
            Delimiter = parsed.GetValue(o.Delimiter),
        };
    }

    /// <summary>The dedupe command's argument and options, each checked as it is parsed (a wrong value is a parse error).</summary>
    internal sealed class Options
    {
        public readonly Argument<string> Input = new("FILE") { Description = "The contacts CSV." };

        public readonly Option<(string Field, Core.Dedupe.DedupeFieldKind? Kind, string Columns)[]> Map = new("--map")
        {
            Description = "Read FIELD from COLUMN (repeatable). COLUMN may join several with '+': --map street=street_number+address_1. "
                          + $"Fields: {string.Join(", ", DedupeCommand.Fields)}. Any other column is compared too when mapped "
                          + "as NAME:KIND=COLUMN, KIND exact, text or date: --map occupation:text=occupation --map gender:exact=sex "
                          + $"(at most {Core.Dedupe.DedupeOptions.MaxExtraFields}).",
            HelpName = "FIELD[:KIND]=COLUMN",
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
            Description = "Compare blocks of more than N records only in a window: each record with the next 5 in name order.",
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

        public readonly Option<Core.Dedupe.DedupeWeights> Weights = new("--weights")
        {
            Description = "fixed (the weights table) or fitted (weights fitted to the file itself, from 1,000 rows; --threshold is the fixed weights').",
            HelpName = "fixed|fitted",
            DefaultValueFactory = _ => new Core.Dedupe.DedupeOptions().Weights,
            CustomParser = r =>
            {
                var w = r.Tokens[0].Value;
                if (w is "fixed" or "fitted") return w == "fixed" ? Core.Dedupe.DedupeWeights.Fixed : Core.Dedupe.DedupeWeights.Fitted;
                r.AddError($"--weights must be fixed or fitted, was '{w}'.");
                return default;
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
            foreach (Option o in new Option[] { Map, Preset, Id, Pairs, Clusters, Threshold, MaxBlock, Weights, Delimiter }) command.Options.Add(o);
        }

        private static (string Field, Core.Dedupe.DedupeFieldKind? Kind, string Columns)[] ParseMap(ArgumentResult r)
        {
            var result = new List<(string, Core.Dedupe.DedupeFieldKind?, string)>();
            var extras = new HashSet<string>(StringComparer.Ordinal);
            foreach (var spec in r.Tokens.Select(t => t.Value))
            {
                var split = spec.IndexOf('=');
                if (split <= 0 || split == spec.Length - 1)
                {
                    r.AddError($"--map '{spec}': expected FIELD=COLUMN or NAME:KIND=COLUMN, e.g. --map first_name=given_name, --map occupation:text=job.");
                    continue;
                }
                var field = spec[..split].Trim().ToLowerInvariant();
                var columns = spec[(split + 1)..].Trim();
                var colon = field.IndexOf(':');
                if (colon < 0)
                {
                    if (!DedupeCommand.Fields.Contains(field))
                    {
                        r.AddError($"--map '{spec}': unknown field '{field}' (fields: {string.Join(", ", DedupeCommand.Fields)}; " +
                                   $"another column is compared as NAME:KIND=COLUMN, KIND exact, text or date, e.g. --map {ExampleName(field)}:text={columns}).");
                        continue;
                    }
                    result.Add((field, null, columns));
                    continue;
                }
                var (name, kindText) = (field[..colon].Trim(), field[(colon + 1)..].Trim());
                if (Core.Dedupe.DedupeOptions.ParseKind(kindText) is not { } kind)
                {
                    r.AddError($"--map '{spec}': unknown kind '{kindText}' (kinds: exact, text, date).");
                    continue;
                }
                if (DedupeCommand.Fields.Contains(name))
                {
                    r.AddError($"--map '{spec}': '{name}' is a standard field with its own comparison; give it without a kind (--map {name}={columns}).");
                    continue;
                }
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    r.AddError($"--map '{spec}': the extra field's name '{name}' may hold only letters, digits and '_'.");
                    continue;
                }
                extras.Add(name);
                result.Add((name, kind, columns));
            }
            if (extras.Count > Core.Dedupe.DedupeOptions.MaxExtraFields)
                r.AddError($"--map: at most {Core.Dedupe.DedupeOptions.MaxExtraFields} extra fields, were {extras.Count} ({string.Join(", ", extras)}).");
            return [.. result];
        }

        /// <summary>A name an unknown field could be given as an extra field (its letters, digits and '_').</summary>
        private static string ExampleName(string field) =>
            new string(field.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray()) is { Length: > 0 } n ? n : "name";
    }
}
