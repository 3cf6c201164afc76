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
        var e = email.Trim();
        var at = e.IndexOf('@');
        if (at <= 0 || at != e.LastIndexOf('@') || e.Any(char.IsWhiteSpace)) return false;
        var labels = e[(at + 1)..].Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length > 0) && labels[^1].Length >= 2 && labels[^1].All(char.IsAsciiLetter);
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
