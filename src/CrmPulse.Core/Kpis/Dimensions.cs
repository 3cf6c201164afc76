namespace CrmPulse.Core.Kpis;

/// <summary>
/// The dimension values of a sample (team, type, object, field, …), kept sorted by name so that equal sets compare
/// equal and print the same canonical key ("field=email,object=contact").
/// </summary>
public sealed class Dimensions : IEquatable<Dimensions>
{
    private readonly KeyValuePair<string, string>[] _pairs;

    public static readonly Dimensions None = new([]);

    private Dimensions(KeyValuePair<string, string>[] sortedPairs)
    {
        _pairs = sortedPairs;
        Key = string.Join(",", _pairs.Select(p => $"{Escape(p.Key)}={Escape(p.Value)}"));
    }

    /// <summary>Builds dimensions from name/value pairs; pairs whose value is null are left out.</summary>
    public static Dimensions Of(params (string Name, string? Value)[] pairs)
    {
        var list = pairs.Where(p => p.Value is not null)
            .Select(p => new KeyValuePair<string, string>(p.Name, p.Value!))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
        for (var i = 1; i < list.Length; i++)
        {
            if (list[i].Key == list[i - 1].Key) throw new ArgumentException($"Dimension '{list[i].Key}' given twice.");
        }
        return list.Length == 0 ? None : new Dimensions(list);
    }

    public static Dimensions Of(IEnumerable<KeyValuePair<string, string>> pairs) =>
        Of(pairs.Select(p => (p.Key, (string?)p.Value)).ToArray());

    /// <summary>Parses the canonical key written by <see cref="Key"/>.</summary>
    public static Dimensions Parse(string key)
    {
        if (string.IsNullOrEmpty(key)) return None;
        var pairs = new List<(string, string?)>();
        foreach (var part in SplitUnescaped(key, ','))
        {
            var kv = SplitUnescaped(part, '=');
            if (kv.Count != 2) throw new FormatException($"Bad dimension '{part}' in '{key}'.");
            pairs.Add((Unescape(kv[0]), Unescape(kv[1])));
        }
        return Of(pairs.ToArray());
    }

    /// <summary>Canonical text form: name=value pairs sorted by name, ',' '=' and '\' escaped with '\'.</summary>
    public string Key { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public int Count => _pairs.Length;

    public string? this[string name] => _pairs.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>True when every given filter pair is present with the same value.</summary>
    public bool Matches(IEnumerable<KeyValuePair<string, string>> filter) =>
        filter.All(f => this[f.Key] == f.Value);

    public bool Equals(Dimensions? other) => other is not null && other.Key == Key;

    public override bool Equals(object? obj) => Equals(obj as Dimensions);

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Key;

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace(",", "\\,").Replace("=", "\\=");

    private static string Unescape(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length) i++;
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static List<string> SplitUnescaped(string s, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == separator) { parts.Add(s[start..i]); start = i + 1; }
        }
        parts.Add(s[start..]);
        return parts;
    }
}
