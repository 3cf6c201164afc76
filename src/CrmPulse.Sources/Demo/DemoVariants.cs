using System.Text;

namespace CrmPulse.Sources.Demo;

/// <summary>The small text mutations that make planted duplicates: name typos, company name variants, phone formats.</summary>
internal static class DemoVariants
{
    /// <summary>
    /// Country and area codes of the static org's phone numbers: with the 7-digit subscriber part each is a valid
    /// number for libphonenumber (London "20 7" and Paris "1 4" take the subscriber part's first digit in the area,
    /// as their plans need 8 digits after "20" and "1").
    /// </summary>
    private static readonly (string Country, string Area)[] PhoneAreas =
        [("1", "415"), ("1", "212"), ("1", "617"), ("44", "207"), ("44", "161"), ("49", "30"), ("31", "20"), ("33", "14")];

    /// <summary>One typo inside the word (never its first letter): two letters swapped, one dropped or one doubled.</summary>
    public static string Typo(string word, DemoRandom rng)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var pos = rng.Next(1, word.Length - 1);
            var result = rng.Next(3) switch
            {
                0 => word[..pos] + word[pos + 1] + word[pos] + word[(pos + 2)..],
                1 => word.Remove(pos, 1),
                _ => word.Insert(pos, word[pos].ToString()),
            };
            if (!string.Equals(result, word, StringComparison.OrdinalIgnoreCase)) return result;
        }
        return word + word[^1];
    }

    /// <summary>How the same company gets typed twice: case, legal suffix, punctuation.</summary>
    public static string CompanyName(string name, int variant)
    {
        var bare = name;
        foreach (var suffix in DemoNames.LegalSuffixes.Where(s => s.Length > 0))
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)) bare = name[..^suffix.Length];
        }
        return (variant % 4) switch
        {
            0 => name.ToUpperInvariant(),
            1 => bare == name ? bare + " Inc." : bare,
            2 => bare + ", Inc.",
            _ => bare + " Corporation",
        };
    }

    /// <summary>A phone number whose digits are unique to <paramref name="index"/> (for index below 8,000,000).</summary>
    public static (string Country, string Area, string Number) PhoneParts(int index, DemoRandom rng)
    {
        // 7919 is prime and coprime with 8,000,000, so this is a bijection of the index onto 7-digit numbers.
        var number = 2_000_000 + (int)((long)index * 7919 % 8_000_000);
        var (country, area) = rng.Pick(PhoneAreas);
        return (country, area, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Writes the same digits in one of five formats, all with the country code (valid under any default region).</summary>
    public static string FormatPhone((string Country, string Area, string Number) p, int format)
    {
        var (a, b) = (p.Number[..3], p.Number[3..]);
        return (format % 5) switch
        {
            0 => $"+{p.Country} {p.Area} {a} {b}",
            1 => $"+{p.Country} ({p.Area}) {a}-{b}",
            2 => $"+{p.Country}{p.Area}{p.Number}",
            3 => $"+{p.Country}-{p.Area}-{a}-{b}",
            _ => $"+{p.Country}.{p.Area}.{a}.{b}",
        };
    }

    /// <summary>Lower-case ASCII letters and digits only: "Bluewave Systems" → "bluewavesystems".</summary>
    public static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
