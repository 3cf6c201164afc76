using System.Globalization;

namespace CrmPulse.Commands;

/// <summary>The parsed arguments of crmpulse dedupe (see <see cref="DedupeCommand.Usage"/>).</summary>
internal sealed class DedupeArgs
{
    public string? Input { get; private set; }
    public bool Help { get; private set; }
    public string? Preset { get; private set; }
    public List<(string Field, string Columns)> Map { get; } = [];
    public string? PairsFile { get; private set; }
    public string? ClustersFile { get; private set; }
    public double Threshold { get; private set; } = new Core.Dedupe.DedupeOptions().Threshold;
    public int MaxBlock { get; private set; } = new Core.Dedupe.DedupeOptions().MaxBlockSize;
    public char Delimiter { get; private set; } = ',';

    /// <exception cref="UsageException">An unknown option, a missing or malformed value, or no input file.</exception>
    public static DedupeArgs Parse(string[] args, IReadOnlyList<string> fields, IEnumerable<string> presets)
    {
        var a = new DedupeArgs();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            // "--name=value" and "--name value" are both accepted.
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new UsageException($"{arg} needs a value."));
            switch (arg)
            {
                case "--help" or "-h": a.Help = true; break;
                case "--map":
                    var spec = Value();
                    var split = spec.IndexOf('=');
                    if (split <= 0 || split == spec.Length - 1)
                        throw new UsageException($"--map '{spec}': expected FIELD=COLUMN, e.g. --map first_name=given_name.");
                    var field = spec[..split].Trim().ToLowerInvariant();
                    if (!fields.Contains(field))
                        throw new UsageException($"--map '{spec}': unknown field '{field}' (fields: {string.Join(", ", fields)}).");
                    a.Map.Add((field, spec[(split + 1)..].Trim()));
                    break;
                case "--id": a.Map.Add(("id", Value())); break;
                case "--preset":
                    var preset = Value();
                    a.Preset = presets.FirstOrDefault(p => string.Equals(p, preset, StringComparison.OrdinalIgnoreCase))
                               ?? throw new UsageException($"--preset '{preset}' is not known (known: {string.Join(", ", presets)}).");
                    break;
                case "--pairs": a.PairsFile = Value(); break;
                case "--clusters": a.ClustersFile = Value(); break;
                case "--threshold":
                    var t = Value();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || threshold is <= 0 or > 1)
                        throw new UsageException($"--threshold must be a number in (0, 1], was '{t}'.");
                    a.Threshold = threshold;
                    break;
                case "--max-block":
                    var m = Value();
                    if (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max < 2)
                        throw new UsageException($"--max-block must be a whole number of at least 2, was '{m}'.");
                    a.MaxBlock = max;
                    break;
                case "--delimiter":
                    var d = Value();
                    a.Delimiter = d is "tab" or "\\t" ? '\t'
                        : d.Length == 1 && d[0] is not ('"' or '\r' or '\n') ? d[0]
                        : throw new UsageException($"--delimiter must be one character (or 'tab'), was '{d}'.");
                    break;
                default:
                    if (arg.StartsWith('-')) throw new UsageException($"unknown option '{arg}'.");
                    if (a.Input is not null) throw new UsageException($"one input file only (got '{a.Input}' and '{arg}').");
                    a.Input = arg;
                    break;
            }
        }
        if (a.Input is null && !a.Help) throw new UsageException("no input file given.");
        return a;
    }
}

/// <summary>The dedupe command line is wrong: the message says what, the usage follows it.</summary>
internal sealed class UsageException(string message) : Exception(message);
