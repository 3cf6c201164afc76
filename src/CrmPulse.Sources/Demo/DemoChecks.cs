namespace CrmPulse.Sources.Demo;

/// <summary>
/// The validity rules behind the e-mail and phone counts of <see cref="DemoFacts"/>. Deliberately plain, so the
/// planted values are unambiguous under any reasonable rule: a valid value looks like an address or a number,
/// an invalid one ("x@y", "n/a", "12") clearly does not.
/// </summary>
internal static class DemoChecks
{
    /// <summary>
    /// After trimming: exactly one '@', a non-empty local part, no white space, a domain with a dot, non-empty labels
    /// and a top-level domain of at least two letters. Case does not matter.
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

    /// <summary>Only digits, spaces and + - ( ) . characters, with 7 to 15 digits (the E.164 maximum).</summary>
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
