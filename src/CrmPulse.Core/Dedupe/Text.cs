namespace CrmPulse.Core.Dedupe;

/// <summary>The string tools of the matcher: normalization, Soundex, Jaro-Winkler and a small edit distance.</summary>
internal static class Text
{
    /// <summary>Lower-case letters and digits only, single spaces between words; null when nothing is left.</summary>
    public static string? Words(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        var space = false;
        foreach (var ch in value)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && n > 0) buffer[n++] = ' ';
                space = false;
                buffer[n++] = char.ToLowerInvariant(ch);
            }
            else if (ch != '\'') space = true; // "O'Brien" is "obrien"; other punctuation separates words
        }
        return n == 0 ? null : new string(buffer[..n]);
    }

    /// <summary>Lower-case letters only ("Mary-Ann" → "maryann"); null when nothing is left.</summary>
    public static string? Letters(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        // Names are short: a stack buffer instead of a StringBuilder (this runs for every name of every contact).
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        foreach (var ch in value)
        {
            if (char.IsLetter(ch)) buffer[n++] = char.ToLowerInvariant(ch);
        }
        return n == 0 ? null : new string(buffer[..n]);
    }

    /// <summary>ASCII digits only; null when there are fewer than <paramref name="min"/>.</summary>
    public static string? Digits(string? value, int min = 1)
    {
        if (string.IsNullOrEmpty(value)) return null;
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        foreach (var ch in value)
        {
            if (char.IsAsciiDigit(ch)) buffer[n++] = ch;
        }
        return n < min ? null : new string(buffer[..n]);
    }

    /// <summary>American Soundex of the letters of a word ("robert" → "R163"); null for no letters.</summary>
    public static string? Soundex(string? word)
    {
        if (string.IsNullOrEmpty(word)) return null;
        Span<char> code = stackalloc char[4];
        var n = 0;
        char last = '\0';
        foreach (var raw in word)
        {
            if (!char.IsAsciiLetter(raw)) continue;
            var ch = char.ToLowerInvariant(raw);
            var digit = ch switch
            {
                'b' or 'f' or 'p' or 'v' => '1',
                'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
                'd' or 't' => '3',
                'l' => '4',
                'm' or 'n' => '5',
                'r' => '6',
                'h' or 'w' => '-', // h and w do not separate equal codes
                _ => '0',          // vowels do
            };
            if (n == 0)
            {
                code[n++] = char.ToUpperInvariant(ch);
                last = digit;
                continue;
            }
            if (digit == '-') continue;
            if (digit != '0' && digit != last) code[n++] = digit;
            last = digit;
            if (n == 4) break;
        }
        if (n == 0) return null;
        while (n < 4) code[n++] = '0';
        return new string(code);
    }

    /// <summary>Jaro-Winkler similarity (0..1; prefix scale 0.1 over up to 4 characters).</summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        if (a.SequenceEqual(b)) return 1;
        var range = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        Span<bool> aMatched = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - range);
            var to = Math.Min(b.Length - 1, i + range);
            for (var j = from; j <= to; j++)
            {
                if (bMatched[j] || a[i] != b[j]) continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0) return 0;
        var transpositions = 0;
        for (int i = 0, k = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < 4 && prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /// <summary>True when the two strings differ by at most one edit: a substitution, an insertion, a deletion or a
    /// swap of two neighbours (what one slip of the keyboard does to a date or a postcode).</summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b)) return true;
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (a.Length == b.Length)
        {
            if (a[(i + 1)..].SequenceEqual(b[(i + 1)..])) return true; // substitution
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..].SequenceEqual(b[(i + 2)..]);
        }
        return a.Length > b.Length ? a[(i + 1)..].SequenceEqual(b[i..]) : b[(i + 1)..].SequenceEqual(a[i..]);
    }

    /// <summary>A 64-bit FNV-1a hash of a blocking key: its kind letter and its text (collisions only add candidates).</summary>
    public static long KeyHash(char kind, ReadOnlySpan<char> a, string? b = null)
    {
        const ulong prime = 1099511628211;
        var h = 14695981039346656037UL;
        h = (h ^ kind) * prime;
        foreach (var ch in a) h = (h ^ ch) * prime;
        if (b is not null)
        {
            h = (h ^ '|') * prime;
            foreach (var ch in b) h = (h ^ ch) * prime;
        }
        return (long)h;
    }
}
