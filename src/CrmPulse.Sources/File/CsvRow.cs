namespace CrmPulse.Sources.File;

/// <summary>One record of a CSV file.</summary>
/// <param name="Line">1-based line on which the record starts (a quoted field may span several lines).</param>
/// <param name="Fields">The field values, unquoted and unescaped, not trimmed.</param>
/// <param name="Error">What is malformed in the record (e.g. text after a closing quote), or null when it is well-formed.
/// The fields are still given, read as leniently as possible.</param>
public sealed record CsvRow(int Line, IReadOnlyList<string> Fields, string? Error = null)
{
    /// <summary>1-based line on which the record ends: later than <see cref="Line"/> when a quoted field holds a line break.</summary>
    public int LastLine { get; init; } = Line;

    /// <summary>True when every field is empty or white space (a blank line, or ",,," as spreadsheets write).</summary>
    public bool IsBlank => Fields.All(string.IsNullOrWhiteSpace);
}
