namespace CrmPulse.Sources.File;

/// <summary>How one kind's file is found and read: its name and, when its headers differ, which header holds which
/// canonical column.</summary>
public sealed class FileMapping
{
    /// <summary>File name inside <see cref="FileSourceOptions.Path"/>. Default: "&lt;kind&gt;.csv", e.g. "contacts.csv".</summary>
    public string? FileName { get; set; }

    /// <summary>
    /// Canonical column name → header in the file, e.g. <c>"email": "E-Mail Address"</c>. These win over the preset and
    /// over a header that happens to carry the canonical name. Default: empty (canonical names, or the preset's).
    /// </summary>
    public Dictionary<string, string> Columns { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
