using System.Collections.Concurrent;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// One string per distinct normalized value, shared by every record that has it (thread-safe). A million contacts
/// carry a few thousand first names, last names, cities and birth dates: pooling them saves millions of small strings
/// per pass, and the lookup by span allocates nothing when the value is already there.
/// </summary>
internal sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringPool() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The pooled string equal to <paramref name="value"/>, added on first sight.</summary>
    public string Get(ReadOnlySpan<char> value)
    {
        if (_bySpan.TryGetValue(value, out var found)) return found;
        var s = value.ToString();
        return _strings.GetOrAdd(s, s);
    }
}
