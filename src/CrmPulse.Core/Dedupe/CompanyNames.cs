namespace CrmPulse.Core.Dedupe;

/// <summary>Company names and web domains as the matcher compares them.</summary>
internal static class CompanyNames
{
    /// <summary>Legal forms and filler words that people add or leave out ("Acme", "ACME Inc.", "Acme, Inc").</summary>
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc",
        "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "pty", "pte", "kg", "the", "and",
        "group", "holding", "holdings",
    };

    /// <summary>Lower-case words without legal forms, joined by spaces; null when nothing is left.</summary>
    public static string? Normalize(string? name)
    {
        var words = Text.Words(name);
        if (words is null) return null;
        var kept = words.Split(' ').Where(w => !Noise.Contains(w)).ToArray();
        // A name that is only noise ("The Company") keeps its words rather than vanishing.
        return kept.Length == 0 ? words : string.Join(' ', kept);
    }

    /// <summary>The host of a web domain or URL without scheme, "www." and path: "https://www.Acme.com/x" → "acme.com".</summary>
    public static string? Domain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain)) return null;
        var d = domain.Trim().ToLowerInvariant();
        var scheme = d.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) d = d[(scheme + 3)..];
        var at = d.LastIndexOf('@');
        if (at >= 0) d = d[(at + 1)..]; // an e-mail typed into the domain field
        var end = d.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0) d = d[..end];
        if (d.StartsWith("www.", StringComparison.Ordinal)) d = d[4..];
        d = d.TrimEnd('.');
        return d.Contains('.') ? d : null;
    }
}
