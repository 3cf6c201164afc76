namespace CrmPulse.Sources.File;

/// <summary>
/// Settings of a File source: a folder of CSV exports, one file per kind (users, logins, contacts, companies, deals,
/// activities). See src/CrmPulse.Sources/File/README.md for the column format.
/// </summary>
public sealed class FileSourceOptions
{
    /// <summary>The folder holding the CSV files. Required. Relative paths are resolved against the working directory.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Field separator, one character. Default ",". European exports often use ";". For a tab write "\t" in JSON, or the
    /// word "tab" (handy in environment variables).
    /// </summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>
    /// IANA time zone id (e.g. "Europe/Berlin") in which date-times without an offset are read, and in which plain
    /// dates start. Default "UTC". HubSpot exports times in the portal's time zone: set it to that zone.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// Built-in header names of a CRM's exports: "HubSpot", "Salesforce", or null (default) for the canonical
    /// snake_case headers only. Explicit <see cref="FileMapping.Columns"/> win over the preset.
    /// </summary>
    public string? Preset { get; set; }

    /// <summary>
    /// The files' character encoding when they have no byte order mark: "utf-8" (default), "windows-1252" (Excel on
    /// Western Windows), "iso-8859-1", "iso-8859-15", "utf-16" or any other name or code page .NET knows. A file with a
    /// byte order mark (UTF-8, UTF-16, UTF-32) is read as the mark says. Bytes that are not valid in the encoding stop the
    /// file with their line; they are never replaced silently.
    /// </summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>
    /// The largest share (0–1) of a file's data rows that may be rejected while the file is still applied (its good rows
    /// upserted, the stored copies of the bad ones kept). Beyond it, or when every row is rejected, the file is not read:
    /// its kind's sync fails and the stored records stay. Default 0.25.
    /// </summary>
    public double MaxRejectedShare { get; set; } = 0.25;

    /// <summary>Per-kind file name and column mapping, keyed by kind ("users", "logins", "contacts", "companies",
    /// "deals", "activities"). Default: empty (every kind as "&lt;kind&gt;.csv" with canonical or preset headers).</summary>
    public Dictionary<string, FileMapping> Files { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every problem with these settings, each naming its key; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = ValidateSettings();
        if (!string.IsNullOrWhiteSpace(Path) && !Directory.Exists(Path))
        {
            problems.Add($"Path: folder '{Path}' does not exist.");
        }
        return problems;
    }

    /// <summary>
    /// The checks that do not depend on the file system. The folder may legitimately be missing for a while (a share not
    /// yet mounted): a pull then fails with a <see cref="Core.Sources.SourceException"/>, but the source can be built.
    /// </summary>
    internal List<string> ValidateSettings()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Path))
        {
            problems.Add("Path: required: the folder holding the CSV files.");
        }
        if (ParseDelimiter(Delimiter) is null)
        {
            problems.Add($"Delimiter must be one character (e.g. ',', ';' or \"tab\"), not a quote or a line break; was '{Delimiter}'.");
        }
        if (string.IsNullOrWhiteSpace(TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out _))
        {
            problems.Add($"TimeZone: '{TimeZone}' is not a known time zone (use an IANA id such as 'Europe/Berlin' or 'UTC').");
        }
        if (FileEncodings.Find(Encoding) is null)
        {
            problems.Add($"Encoding: '{Encoding}' is not a known encoding (e.g. utf-8, windows-1252, iso-8859-1, utf-16).");
        }
        if (!(MaxRejectedShare is >= 0 and <= 1))
        {
            problems.Add($"MaxRejectedShare must be between 0 and 1 (a share of a file's rows), was {MaxRejectedShare}.");
        }
        if (Preset is not null && FilePresets.Normalize(Preset) is null)
        {
            problems.Add($"Preset: '{Preset}' is not known (known: {string.Join(", ", FilePresets.Names)}).");
        }
        foreach (var (key, mapping) in Files ?? [])
        {
            var kind = FileKind.Find(key);
            if (kind is null)
            {
                problems.Add($"Files: unknown kind '{key}' (known: {FileKind.KnownNames}).");
                continue;
            }
            ValidateMapping(kind, mapping, problems);
        }
        return problems;
    }

    private static void ValidateMapping(FileKind kind, FileMapping? mapping, List<string> problems)
    {
        if (mapping is null) return;
        var prefix = $"Files:{kind.Name}";
        if (mapping.FileName is { } name &&
            (string.IsNullOrWhiteSpace(name) || System.IO.Path.GetFileName(name) != name))
        {
            problems.Add($"{prefix}:FileName: '{name}' must be a file name inside Path, without folders.");
        }
        foreach (var (column, header) in mapping.Columns ?? [])
        {
            if (!Known(kind, column, $"{prefix}:Columns", problems)) continue;
            if (string.IsNullOrWhiteSpace(header))
            {
                problems.Add($"{prefix}:Columns:{column}: the header name must not be empty.");
            }
        }
        foreach (var (column, headers) in mapping.Combine ?? [])
        {
            if (!Known(kind, column, $"{prefix}:Combine", problems)) continue;
            if (mapping.Columns?.ContainsKey(column.Trim()) == true)
            {
                problems.Add($"{prefix}:Combine:{column}: '{column}' is also mapped in Columns; give it in one of them.");
            }
            if (headers is null || headers.Count < 2 || headers.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"{prefix}:Combine:{column}: give two or more non-empty header names to join (one header goes in Columns).");
            }
        }
        foreach (var (column, values) in mapping.Values ?? [])
        {
            if (!Known(kind, column, $"{prefix}:Values", problems)) continue;
            if (values is null || values.Count == 0)
            {
                problems.Add($"{prefix}:Values:{column}: give at least one 'file value': 'canonical value' pair.");
                continue;
            }
            foreach (var (from, to) in values)
            {
                if (string.IsNullOrWhiteSpace(from))
                {
                    problems.Add($"{prefix}:Values:{column}: a file value must not be empty.");
                }
                else if (FileColumnTypes.Check(kind, column.Trim().ToLowerInvariant(), to ?? "") is { } wrong)
                {
                    problems.Add($"{prefix}:Values:{column}:{from}: {wrong}.");
                }
            }
        }
    }

    private static bool Known(FileKind kind, string column, string key, List<string> problems)
    {
        if (kind.Columns.Contains(column.Trim(), StringComparer.OrdinalIgnoreCase)) return true;
        problems.Add($"{key}: unknown column '{column}' (known: {string.Join(", ", kind.Columns)}).");
        return false;
    }

    /// <summary>The delimiter character, or null when the setting is not a usable single character.</summary>
    internal static char? ParseDelimiter(string? text)
    {
        if (text is null) return null;
        if (string.Equals(text, "tab", StringComparison.OrdinalIgnoreCase) || text == "\\t") return '\t';
        if (text.Length != 1 || text[0] is '"' or '\r' or '\n') return null;
        return text[0];
    }
}
