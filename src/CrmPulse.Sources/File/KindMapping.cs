namespace CrmPulse.Sources.File;

/// <summary>One kind's validated <see cref="FileMapping"/>, with names trimmed and lookups case-insensitive.</summary>
internal sealed class KindMapping
{
    public KindMapping(FileKind kind, FileMapping? mapping)
    {
        FileName = mapping?.FileName ?? kind.DefaultFileName;
        foreach (var (column, header) in mapping?.Columns ?? []) Columns[column.Trim()] = header;
        foreach (var (column, headers) in mapping?.Combine ?? []) Combine[column.Trim()] = [.. headers];
        foreach (var (column, values) in mapping?.Values ?? [])
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? other = null;
            foreach (var (from, to) in values ?? [])
            {
                if (from.Trim() == OtherKey) other = to;
                else map[from.Trim()] = to;
            }
            Values[column.Trim()] = new ValueMap(map, other);
        }
    }

    /// <summary>The key of <see cref="FileMapping.Values"/> that stands for any other non-blank value.</summary>
    public const string OtherKey = "*";

    public string FileName { get; }

    public Dictionary<string, string> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string[]> Combine { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ValueMap> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings as text, for the file hash: changing any of them reads an unchanged file again.</summary>
    public IEnumerable<string> Describe() =>
        Columns.Select(c => $"column {c.Key.ToLowerInvariant()}={c.Value}")
            .Concat(Combine.Select(c => $"combine {c.Key.ToLowerInvariant()}={string.Join('\u001f', c.Value)}"))
            .Concat(Values.SelectMany(v => v.Value.Map.Select(m => $"value {v.Key.ToLowerInvariant()}:{m.Key.ToLowerInvariant()}={m.Value}")
                .Append($"value {v.Key.ToLowerInvariant()}:*={v.Value.Other}")))
            .Order(StringComparer.Ordinal);

    /// <summary>File value → canonical value (keys trimmed, any case), and the value for every other non-blank cell.</summary>
    public sealed record ValueMap(IReadOnlyDictionary<string, string> Map, string? Other)
    {
        public string Translate(string text) => Map.TryGetValue(text, out var mapped) ? mapped : Other ?? text;
    }
}
