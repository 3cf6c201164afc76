namespace CrmPulse.Core.Kpis;

/// <summary>
/// When a contact's e-mail or phone is usable. Deliberately plain rules (the same as the Demo source's planted
/// values): they reject values that are clearly not an address or a number, and never guess at deliverability.
/// </summary>
public static class DataQualityChecks
{
    /// <summary>
    /// After trimming: exactly one '@', a non-empty local part, no white space, a domain with a dot, non-empty labels
    /// and a top-level domain of two or more ASCII letters ("x@y", "jane.doe@" are invalid). Case does not matter.
    /// </summary>
    public static bool IsValidEmail(string? email)
    {
        if (email is null) return false;
        // Written on a span without allocating (this runs once per contact, a million times a pass); the same rule as
        // trimming, splitting the domain on '.' and checking every label.
        var e = email.AsSpan().Trim();
        var at = e.IndexOf('@');
        if (at <= 0 || at != e.LastIndexOf('@')) return false;
        foreach (var c in e)
        {
            if (char.IsWhiteSpace(c)) return false;
        }
        var domain = e[(at + 1)..];
        var lastDot = domain.LastIndexOf('.');
        // Two or more labels, none empty: a dot, not first, not last, never two in a row.
        if (lastDot < 0 || domain[0] == '.' || domain[^1] == '.' || domain.Contains("..", StringComparison.Ordinal)) return false;
        var tld = domain[(lastDot + 1)..];
        if (tld.Length < 2) return false;
        foreach (var c in tld)
        {
            if (!char.IsAsciiLetter(c)) return false;
        }
        return true;
    }

    /// <summary>Only digits, spaces and the characters + - ( ) . with 7 to 15 digits (15 is the E.164 maximum).</summary>
    public static bool IsValidPhone(string? phone)
    {
        if (phone is null) return false;
        var digits = 0;
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is not (' ' or '+' or '-' or '(' or ')' or '.')) return false;
        }
        return digits is >= 7 and <= 15;
    }
}
