namespace CrmPulse.Sources.File;

/// <summary>How one kind's file is found and read: its name and, when its headers or values differ from the canonical
/// format, which header holds which canonical column, which headers are joined into one, and how values translate.</summary>
public sealed class FileMapping
{
    /// <summary>File name inside <see cref="FileSourceOptions.Path"/>. Default: "&lt;kind&gt;.csv", e.g. "contacts.csv".</summary>
    public string? FileName { get; set; }

    /// <summary>
    /// Canonical column name → header in the file, e.g. <c>"email": "E-Mail Address"</c>. These win over the preset and
    /// over a header that happens to carry the canonical name. Default: empty (canonical names, or the preset's).
    /// </summary>
    public Dictionary<string, string> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Canonical column name → several headers whose cells are joined, in this order, with one space (blank cells left
    /// out), e.g. <c>"name": ["First Name", "Last Name"]</c> or a date and a time column into one date-time. A column is
    /// given either here or in <see cref="Columns"/>. Default: empty.
    /// </summary>
    public Dictionary<string, List<string>> Combine { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Canonical column name → (value in the file → canonical value), compared ignoring case and surrounding spaces, e.g.
    /// <c>"integration": { "API": "true", "Integration": "true", "*": "false" }</c> for a user-type column mapped with
    /// <see cref="Columns"/>. The key "*" stands for every other non-blank value; without it, other values are read as
    /// they are. Blank cells stay blank. The canonical values are checked against the column's type at start. Default: empty.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
