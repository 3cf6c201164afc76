namespace CrmPulse.Sources.File;

/// <summary>
/// One data row read through a <see cref="ColumnMap"/>: typed getters by canonical column name that collect every
/// unreadable cell in <see cref="Errors"/> instead of throwing. Text is trimmed; an empty or blank cell is null.
/// </summary>
internal sealed class FileRow(IReadOnlyList<string> fields, ColumnMap map, FileValues values)
{
    private readonly List<(int Index, string Column, string Reason)> _errors = [];

    /// <summary>Unreadable cells in the file's column order: the file's header of the column, and what is wrong.</summary>
    public IEnumerable<(string Column, string Reason)> Errors =>
        _errors.OrderBy(e => e.Index).Select(e => (e.Column, e.Reason));

    public bool HasErrors => _errors.Count > 0;

    /// <summary>True when the file has the canonical column.</summary>
    public bool HasColumn(string column) => map.IndexOf(column) >= 0;

    /// <summary>The trimmed text of a canonical column (combined and translated as configured), or null when the cell is
    /// blank or the file has no such column.</summary>
    public string? Text(string column) => map.Text(fields, column);

    /// <summary>Like <see cref="Text"/>, but a blank cell is an error.</summary>
    public string? Required(string column)
    {
        var text = Text(column);
        if (text is null) Fail(column, "is empty; a value is required");
        return text;
    }

    /// <summary>An association id. HubSpot exports list several ids separated by ';': the first one is used.</summary>
    public string? Reference(string column)
    {
        var text = Text(column);
        if (text is null || !text.Contains(';')) return text;
        return text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
    }

    public bool? Bool(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (FileValues.TryBool(text, out var value)) return value;
        Fail(column, $"'{text}' is not a boolean (expected true/false, yes/no or 1/0)");
        return null;
    }

    public decimal? Decimal(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (FileValues.TryDecimal(text, out var value)) return value;
        Fail(column, $"'{text}' is not a number (expected digits with '.' as the decimal point, e.g. 1250.50)");
        return null;
    }

    public DateOnly? Date(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (values.TryDate(text, out var value)) return value;
        Fail(column, $"'{text}' is not a date (expected yyyy-MM-dd, e.g. 2024-03-31)");
        return null;
    }

    public DateTimeOffset? DateTime(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (values.TryDateTime(text, out var value)) return value;
        Fail(column, $"'{text}' is not a date-time ({FileValues.DateTimeForms})");
        return null;
    }

    /// <summary>A boolean, or a date-time that means true (HubSpot's "Became a Lead Date": the contact became a lead then).</summary>
    public bool? BoolOrDateTime(string column)
    {
        var text = Text(column);
        if (text is null) return null;
        if (FileValues.TryBool(text, out var flag)) return flag;
        if (values.TryDateTime(text, out _)) return true;
        Fail(column, $"'{text}' is neither a boolean (true/false, yes/no, 1/0) nor a date-time (which means true)");
        return null;
    }

    /// <summary>The custom fields: every custom column, present even when blank (then null).</summary>
    public IReadOnlyDictionary<string, string?> Custom()
    {
        var custom = new Dictionary<string, string?>(map.Custom.Count, StringComparer.Ordinal);
        foreach (var (index, key) in map.Custom)
        {
            custom[key] = index < fields.Count ? ColumnMap.Clean(fields[index]) : null;
        }
        return custom;
    }

    public void Fail(string column, string reason) => _errors.Add((map.IndexOf(column), map.HeaderOf(column), reason));
}
