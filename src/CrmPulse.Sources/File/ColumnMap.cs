using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.File;

/// <summary>
/// Where each canonical column of a kind sits in one file, found from its header row, and which other columns become
/// custom fields. Building it reports header problems; <see cref="CanRead"/> is false when the file must not be read.
/// </summary>
internal sealed class ColumnMap
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _headers;

    private ColumnMap(IReadOnlyList<string> headers) => _headers = headers;

    /// <summary>Custom-field columns: position and snake_case key.</summary>
    public List<(int Index, string Key)> Custom { get; } = [];

    /// <summary>Header problems: duplicate columns (ignored, reading goes on) and missing columns (reading stops).</summary>
    public List<SourceProblem> Problems { get; } = [];

    /// <summary>False when a required column, or one named in the Columns option, is missing.</summary>
    public bool CanRead { get; private set; } = true;

    public int HeaderCount => _headers.Count;

    /// <summary>Position of a canonical column in the row, or -1 when the file does not have it.</summary>
    public int IndexOf(string column) => _indexes.GetValueOrDefault(column, -1);

    /// <summary>The file's own header of a canonical column (for messages), or the canonical name.</summary>
    public string HeaderOf(string column) => IndexOf(column) is var i and >= 0 ? _headers[i].Trim() : column;

    public static ColumnMap Build(
        FileKind kind,
        string fileName,
        CsvRow header,
        IReadOnlyDictionary<string, string> explicitColumns,
        IReadOnlyDictionary<string, string[]> presetColumns)
    {
        var map = new ColumnMap(header.Fields);
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var key = ColumnNames.MatchKey(header.Fields[i]);
            if (key.Length == 0) continue; // an unnamed column, e.g. after a trailing delimiter
            if (!byKey.TryAdd(key, i))
            {
                map.Problems.Add(new SourceProblem(fileName, header.Line, header.Fields[i].Trim(),
                    $"column {i + 1} has the same name as column {byKey[key] + 1} ('{header.Fields[byKey[key]].Trim()}'); it is ignored"));
            }
        }

        foreach (var column in kind.Columns)
        {
            var isExplicit = explicitColumns.TryGetValue(column, out var mapped);
            string[] candidates = isExplicit ? [mapped!] : [.. presetColumns.GetValueOrDefault(column) ?? [], column];
            var found = candidates
                .Select(c => byKey.TryGetValue(ColumnNames.MatchKey(c), out var i) ? i : -1)
                .FirstOrDefault(i => i >= 0, -1);
            if (found >= 0)
            {
                map._indexes[column] = found;
            }
            else if (isExplicit)
            {
                // A configured header that is not there is a mismatch between settings and file: reading it anyway
                // would blank that column in every stored record.
                map.CanRead = false;
                map.Problems.Add(new SourceProblem(fileName, header.Line, column,
                    $"the Columns option maps '{column}' to the header '{mapped}', which is not in the file; the file is not read"));
            }
        }

        foreach (var group in kind.RequiredColumns)
        {
            if (group.Any(c => map.IndexOf(c) >= 0)) continue;
            if (group.Any(explicitColumns.ContainsKey)) continue; // already reported above
            var lookedFor = group
                .SelectMany(c => (presetColumns.GetValueOrDefault(c) ?? []).Append(c))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(h => $"'{h}'");
            map.CanRead = false;
            map.Problems.Add(new SourceProblem(fileName, header.Line, string.Join(" or ", group),
                $"required column is missing (looked for a header named {string.Join(" or ", lookedFor)}); the file is not read"));
        }

        if (kind.HasCustomFields) map.AddCustomColumns(header, byKey);
        return map;
    }

    private void AddCustomColumns(CsvRow header, Dictionary<string, int> byKey)
    {
        // Distinct match keys give distinct snake_case keys (the latter only adds underscores), so keys cannot clash.
        var used = _indexes.Values.ToHashSet();
        foreach (var index in byKey.Values.Order())
        {
            if (!used.Contains(index)) Custom.Add((index, ColumnNames.SnakeCase(header.Fields[index])));
        }
    }
}
