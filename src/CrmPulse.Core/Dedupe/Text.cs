using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrmPulse.Core.Dedupe;

/// <summary>The string tools of the matcher: normalization, Soundex, Jaro-Winkler and a small edit distance.</summary>
internal static class Text
{
    /// <summary>Lower-case letters and digits only, single spaces between words; null when nothing is left.</summary>
    public static string? Words(string? value) => Normalized(value, WordsInto);

    /// <summary>Lower-case letters only ("Mary-Ann" → "maryann"); null when nothing is left.</summary>
    public static string? Letters(string? value) => Normalized(value, LettersInto);

    /// <summary>ASCII digits only; null when there are fewer than <paramref name="min"/>.</summary>
    public static string? Digits(string? value, int min = 1)
    {
        if (string.IsNullOrEmpty(value)) return null;
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var n = DigitsInto(value, buffer);
        return n < min ? null : new string(buffer[..n]);
    }

    /// <summary>Writes a normalized form of a value into a buffer at least as long and returns its length.</summary>
    public delegate int Normalizer(ReadOnlySpan<char> value, Span<char> into);

    /// <summary>The normalized form as a string (from <paramref name="pool"/> when given), or null when it is empty
    /// or shorter than <paramref name="min"/>.</summary>
    public static string? Normalized(string? value, Normalizer normalize, StringPool? pool = null, int min = 1)
    {
        if (string.IsNullOrEmpty(value)) return null;
        // Short values (every name, city and code) use a stack buffer: this runs for every field of every contact.
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var n = normalize(value, buffer);
        if (n == 0 || n < min) return null;
        return pool is null ? new string(buffer[..n]) : pool.Get(buffer[..n]);
    }

    /// <summary>The <see cref="Words"/> form into a buffer; 0 when nothing is left.</summary>
    public static int WordsInto(ReadOnlySpan<char> value, Span<char> buffer)
    {
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
        return n;
    }

    /// <summary>The <see cref="Words"/> form without its spaces (postcodes: "SW1A 1AA" → "sw1a1aa").</summary>
    public static int CompactWordsInto(ReadOnlySpan<char> value, Span<char> buffer)
    {
        var n = 0;
        foreach (var ch in value)
        {
            if (char.IsLetterOrDigit(ch)) buffer[n++] = char.ToLowerInvariant(ch);
        }
        return n;
    }

    /// <summary>The <see cref="Letters"/> form into a buffer; 0 when nothing is left.</summary>
    public static int LettersInto(ReadOnlySpan<char> value, Span<char> buffer)
    {
        var n = 0;
        foreach (var ch in value)
        {
            if (char.IsLetter(ch)) buffer[n++] = char.ToLowerInvariant(ch);
        }
        return n;
    }

    /// <summary>The ASCII digits of a value into a buffer.</summary>
    public static int DigitsInto(ReadOnlySpan<char> value, Span<char> buffer)
    {
        var n = 0;
        foreach (var ch in value)
        {
            if (char.IsAsciiDigit(ch)) buffer[n++] = ch;
        }
        return n;
    }

    /// <summary>American Soundex of the letters of a word ("robert" → "R163"); null for no letters.</summary>
    public static string? Soundex(string? word)
    {
        Span<char> code = stackalloc char[4];
        return Soundex(word, code) ? new string(code) : null;
    }

    /// <summary>The <see cref="Soundex(string?)"/> code written into <paramref name="code"/> (4 characters); false for
    /// no letters. No string is made: blocking needs the code only inside a key hash.</summary>
    public static bool Soundex(ReadOnlySpan<char> word, Span<char> code)
    {
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
        if (n == 0) return false;
        while (n < 4) code[n++] = '0';
        return true;
    }

    /// <summary>Jaro-Winkler similarity (0..1; prefix scale 0.1 over up to 4 characters).</summary>
    /// <remarks>Strings of up to 64 characters (every name, city, e-mail part and street in practice) are matched with
    /// bit masks (<see cref="JaroWinklerShort"/>); longer ones by <see cref="JaroWinklerScalar"/>. Both give the same
    /// double, bit for bit: the same matches, transpositions and arithmetic.</remarks>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        if (a.Length <= 64 && b.Length <= 64 && Vector256.IsHardwareAccelerated) return JaroWinklerShort(a, b);
        return JaroWinklerScalar(a, b);
    }

    /// <summary>
    /// <see cref="JaroWinkler"/> for strings of 1..64 characters: b's positions that hold a character are one 64-bit
    /// mask (four vector compares), so each character of a finds its match (the first unmatched equal character of b
    /// within the window, as the textbook loop does) as the lowest bit of (equal ∧ unmatched ∧ window), and the
    /// transpositions walk the two matched masks in order. No scan of the window, no per-call arrays to clear.
    /// </summary>
    internal static double JaroWinklerShort(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b)) return 1;
        var range = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        // b zero-padded to 64 characters; the padding is masked off by bLength.
        Span<ushort> padded = stackalloc ushort[64];
        padded.Clear();
        MemoryMarshal.Cast<char, ushort>(b).CopyTo(padded);
        var b0 = Vector256.Create<ushort>(padded);
        var b1 = Vector256.Create<ushort>(padded[16..]);
        var b2 = Vector256.Create<ushort>(padded[32..]);
        var b3 = Vector256.Create<ushort>(padded[48..]);
        var bLength = b.Length == 64 ? ulong.MaxValue : (1UL << b.Length) - 1;
        ulong aMatched = 0, bMatched = 0;
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - range);
            var to = Math.Min(b.Length - 1, i + range);
            if (from > to) continue;
            // Positions from..to: (to − from + 1) bits starting at from.
            var width = to - from + 1;
            var window = (width == 64 ? ulong.MaxValue : (1UL << width) - 1) << from;
            var c = Vector256.Create((ushort)a[i]);
            var equal = Vector256.Equals(b0, c).ExtractMostSignificantBits()
                        | (ulong)Vector256.Equals(b1, c).ExtractMostSignificantBits() << 16
                        | (ulong)Vector256.Equals(b2, c).ExtractMostSignificantBits() << 32
                        | (ulong)Vector256.Equals(b3, c).ExtractMostSignificantBits() << 48;
            var free = equal & bLength & window & ~bMatched;
            if (free == 0) continue;
            bMatched |= free & (0 - free); // the lowest: the first in the window
            aMatched |= 1UL << i;
            matches++;
        }
        if (matches == 0) return 0;
        var transpositions = 0;
        for (ulong am = aMatched, bm = bMatched; am != 0; am &= am - 1, bm &= bm - 1)
        {
            if (a[BitOperations.TrailingZeroCount(am)] != b[BitOperations.TrailingZeroCount(bm)]) transpositions++;
        }
        return Winkler(a, b, matches, transpositions);
    }

    /// <summary>Jaro from the matches and transpositions, raised by Winkler's common prefix of up to 4 characters
    /// (one formula for both loops, so they give the same double).</summary>
    private static double Winkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int matches, int transpositions)
    {
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < 4 && prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /// <summary>The textbook Jaro-Winkler loop (any length; <see cref="JaroWinkler"/> uses it over 64 characters).</summary>
    internal static double JaroWinklerScalar(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
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
        return Winkler(a, b, matches, transpositions);
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
    public static long KeyHash(char kind, ReadOnlySpan<char> a, string? b = null) =>
        b is null ? (long)Fnv(Fnv(Start, kind), a) : KeyHash(kind, a, b.AsSpan());

    /// <summary>The hash of a key of two parts ("a|b"), the same as <see cref="KeyHash(char, ReadOnlySpan{char}, string?)"/> with b.</summary>
    public static long KeyHash(char kind, ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        (long)Fnv(Fnv(Fnv(Fnv(Start, kind), a), '|'), b);

    private const ulong Start = 14695981039346656037UL;
    private const ulong Prime = 1099511628211;

    private static ulong Fnv(ulong h, char ch) => (h ^ ch) * Prime;

    private static ulong Fnv(ulong h, ReadOnlySpan<char> text)
    {
        foreach (var ch in text) h = (h ^ ch) * Prime;
        return h;
    }
}
