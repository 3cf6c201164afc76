using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CrmPulse.Core.Model;

/// <summary>
/// A record's few custom fields (<see cref="CrmRecord.Custom"/>) as two arrays, keys and values, instead of a hash
/// table: a contact with a city and a postcode costs about 100 bytes instead of 200, which over a million contacts
/// matters, and a lookup among a handful of keys is as fast as hashing. Keys compare ordinally, as the mirror's
/// dictionaries did; the order is the order given.
/// </summary>
public sealed class CompactFields : IReadOnlyDictionary<string, string?>
{
    private readonly string[] _keys;
    private readonly string?[] _values;

    /// <summary>The fields as given: keys distinct (ordinally), as many values (<see cref="CustomColumns"/> shares a
    /// row's keys array among the rows with the same fields).</summary>
    internal CompactFields(string[] keys, string?[] values) => (_keys, _values) = (keys, values);

    /// <summary>No fields.</summary>
    public static readonly CompactFields Empty = new([], []);

    /// <summary>The fields of <paramref name="pairs"/>, in order; a key given twice keeps its place and its last value.</summary>
    public static CompactFields Of(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var keys = new List<string>();
        var values = new List<string?>();
        foreach (var (key, value) in pairs)
        {
            ArgumentNullException.ThrowIfNull(key);
            var at = keys.IndexOf(key);
            if (at >= 0) values[at] = value;
            else
            {
                keys.Add(key);
                values.Add(value);
            }
        }
        return keys.Count == 0 ? Empty : new CompactFields([.. keys], [.. values]);
    }

    public int Count => _keys.Length;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<string?> Values => _values;

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No field '{key}'.");

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? _values[at] : null;
        return at >= 0;
    }

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _keys.Length; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var i = 0; i < _keys.Length; i++) yield return new(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
