namespace CrmPulse.Core.Dedupe;

/// <summary>Company names and web domains as the matcher compares them.</summary>
/// <remarks>Each is one function on characters (<see cref="Normalize(ReadOnlySpan{char}, Span{char})"/>,
/// <see cref="Domain(ReadOnlySpan{char}, Span{char})"/>) that writes into a buffer and makes no string, so that
/// companies held as columns are prepared without a string of their raw name or domain; the string forms call it.</remarks>
internal static class CompanyNames
{
    /// <summary>Legal forms and filler words that people add or leave out ("Acme", "ACME Inc.", "Acme, Inc").</summary>
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc",
        "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "pty", "pte", "kg", "the", "and",
        "group", "holding", "holdings",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NoiseBySpan = Noise.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Lower-case words without legal forms, joined by spaces; null when nothing is left.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var normalized = Normalize(name, buffer);
        return normalized.IsEmpty ? null : new string(normalized);
    }

    /// <summary>The <see cref="Normalize(string?)"/> form of <paramref name="name"/> written into <paramref name="into"/>
    /// (at least as long as the name); empty when nothing is left.</summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> name, Span<char> into)
    {
        Span<char> buffer = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        ReadOnlySpan<char> words = buffer[..Text.WordsInto(name, buffer)];
        var n = 0;
        foreach (var range in words.Split(' '))
        {
            var word = words[range];
            if (NoiseBySpan.Contains(word)) continue;
            if (n > 0) into[n++] = ' ';
            word.CopyTo(into[n..]);
            n += word.Length;
        }
        // A name that is only noise ("The Company") keeps its words rather than vanishing.
        if (n > 0) return into[..n];
        words.CopyTo(into);
        return into[..words.Length];
    }

    /// <summary>The host of a web domain or URL without scheme, "www." and path: "https://www.Acme.com/x" → "acme.com".</summary>
    public static string? Domain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain)) return null;
        Span<char> buffer = domain.Length <= 256 ? stackalloc char[domain.Length] : new char[domain.Length];
        var host = Domain(domain, buffer);
        return host.IsEmpty ? null : new string(host);
    }

    /// <summary>The <see cref="Domain(string?)"/> form of <paramref name="domain"/> written into <paramref name="into"/>
    /// (at least as long as the domain); empty when there is none (a host always holds a dot).</summary>
    public static ReadOnlySpan<char> Domain(ReadOnlySpan<char> domain, Span<char> into)
    {
        var trimmed = domain.Trim();
        if (trimmed.IsEmpty) return [];
        ReadOnlySpan<char> d = into[..trimmed.ToLowerInvariant(into)];
        var scheme = d.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) d = d[(scheme + 3)..];
        var at = d.LastIndexOf('@');
        if (at >= 0) d = d[(at + 1)..]; // an e-mail typed into the domain field
        var end = d.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0) d = d[..end];
        if (d.StartsWith("www.", StringComparison.Ordinal)) d = d[4..];
        d = d.TrimEnd('.');
        return d.Contains('.') ? d : [];
    }
}
