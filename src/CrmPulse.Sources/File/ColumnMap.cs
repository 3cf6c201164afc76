using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.File;

/// <summary>
/// Where each canonical column of a kind sits in one file (one position, or several joined by a Combine mapping), found
/// from its header row, how its values translate, and which other columns become custom fields. Building it reports
/// header problems; <see cref="CanRead"/> is false when the file must not be read.
/// </summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<string, int[]> _indexes = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _headers;
    private readonly KindMapping _mapping;

    private ColumnMap(IReadOnlyList<string> headers, KindMapping mapping)
    {
        _headers = headers;
        _mapping = mapping;
    }

    /// <summary>Custom-field columns: position and snake_case key.</summary>
    public List<(int Index, string Key)> Custom { get; } = [];

    /// <summary>Header problems that stop the file: missing required or mapped columns.</summary>
    public List<SourceProblem> Problems { get; } = [];

    /// <summary>Header oddities the file is read despite: a second column with the same name, which is ignored.</summary>
    public List<SourceProblem> Notices { get; } = [];

    /// <summary>False when a required column, or one named in the Columns or Combine option, is missing.</summary>
    public bool CanRead => Problems.Count == 0;

    public int HeaderCount => _headers.Count;

    /// <summary>Position of a canonical column in the row (the first, when several are combined), or -1 when the file
    /// does not have it.</summary>
    public int IndexOf(string column) => _indexes.TryGetValue(column, out var i) ? i[0] : -1;

    /// <summary>The file's own header of a canonical column (for messages), or the canonical name.</summary>
    public string HeaderOf(string column) =>
        _indexes.TryGetValue(column, out var i) ? string.Join(" + ", i.Select(x => _headers[x].Trim())) : column;

    /// <summary>
    /// The trimmed text of a canonical column in a row, its cells joined with a space when combined (blank ones left
    /// out), translated by the column's value mapping; null when blank or when the file has no such column.
    /// </summary>
    public string? Text(IReadOnlyList<string> fields, string column)
    {
        if (!_indexes.TryGetValue(column, out var indexes)) return null;
        string? text;
        if (indexes.Length == 1)
        {
            text = indexes[0] < fields.Count ? Clean(fields[indexes[0]]) : null;
        }
        else
        {
            var parts = indexes.Where(i => i < fields.Count).Select(i => Clean(fields[i])).OfType<string>().ToList();
            text = parts.Count == 0 ? null : string.Join(' ', parts);
        }
        if (text is null || !_mapping.Values.TryGetValue(column, out var values)) return text;
        return Clean(values.Translate(text));
    }

    public static ColumnMap Build(
        FileKind kind,
        string fileName,
        CsvRow header,
        KindMapping mapping,
        IReadOnlyDictionary<string, string[]> presetColumns)
    {
        var map = new ColumnMap(header.Fields, mapping);
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var key = ColumnNames.MatchKey(header.Fields[i]);
            if (key.Length == 0) continue; // an unnamed column, e.g. after a trailing delimiter
            if (!byKey.TryAdd(key, i))
            {
                map.Notices.Add(new SourceProblem(fileName, header.Line, header.Fields[i].Trim(),
                    $"column {i + 1} has the same name as column {byKey[key] + 1} ('{header.Fields[byKey[key]].Trim()}'); it is ignored"));
            }
        }
        int Find(string name) => byKey.TryGetValue(ColumnNames.MatchKey(name), out var i) ? i : -1;

        foreach (var column in kind.Columns)
        {
            if (mapping.Combine.TryGetValue(column, out var joined))
            {
                var missing = joined.Where(h => Find(h) < 0).ToList();
                if (missing.Count == 0) map._indexes[column] = [.. joined.Select(Find)];
                else map.Problems.Add(new SourceProblem(fileName, header.Line, column,
                    $"the Combine option joins {string.Join(" + ", joined.Select(h => $"'{h}'"))} into '{column}', but " +
                    $"{string.Join(" and ", missing.Select(h => $"'{h}'"))} {(missing.Count == 1 ? "is" : "are")} not in the file; the file is not read"));
                continue;
            }
            var isExplicit = mapping.Columns.TryGetValue(column, out var mapped);
            string[] candidates = isExplicit ? [mapped!] : [.. presetColumns.GetValueOrDefault(column) ?? [], column];
            var found = candidates.Select(Find).FirstOrDefault(i => i >= 0, -1);
            if (found >= 0)
            {
                map._indexes[column] = [found];
            }
            else if (isExplicit)
            {
                // A configured header that is not there is a mismatch between settings and file: reading it anyway
                // would blank that column in every stored record.
                map.Problems.Add(new SourceProblem(fileName, header.Line, column,
                    $"the Columns option maps '{column}' to the header '{mapped}', which is not in the file; the file is not read"));
            }
        }

        foreach (var group in kind.RequiredColumns)
        {
            if (group.Any(c => map.IndexOf(c) >= 0)) continue;
            if (group.Any(c => mapping.Columns.ContainsKey(c) || mapping.Combine.ContainsKey(c))) continue; // already reported above
            var lookedFor = group
                .SelectMany(c => (presetColumns.GetValueOrDefault(c) ?? []).Append(c))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(h => $"'{h}'");
            map.Problems.Add(new SourceProblem(fileName, header.Line, string.Join(" or ", group),
                $"required column is missing (looked for a header named {string.Join(" or ", lookedFor)}); the file is not read"));
        }

        if (kind.HasCustomFields) map.AddCustomColumns(header, byKey);
        return map;
    }

    private void AddCustomColumns(CsvRow header, Dictionary<string, int> byKey)
    {
        // Distinct match keys give distinct snake_case keys (the latter only adds underscores), so keys cannot clash.
        var used = _indexes.Values.SelectMany(i => i).ToHashSet();
        foreach (var index in byKey.Values.Order())
        {
            if (!used.Contains(index)) Custom.Add((index, ColumnNames.SnakeCase(header.Fields[index])));
        }
    }

    internal static string? Clean(string cell)
    {
        var text = cell.Trim();
        return text.Length == 0 ? null : text;
    }
}
