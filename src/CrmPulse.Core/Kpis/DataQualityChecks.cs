using CrmPulse.Core.Model;
using PhoneNumbers;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// When a contact's e-mail or phone is usable. The e-mail rule is deliberately plain: it rejects values that are clearly
/// not an address and never guesses at deliverability. Phones are checked against libphonenumber's numbering plans.
/// </summary>
public static class DataQualityChecks
{
    /// <summary>
    /// After trimming: exactly one '@', a non-empty local part, no white space, a domain with a dot, non-empty labels
    /// and a top-level domain of two or more ASCII letters ("x@y", "jane.doe@" are invalid). Case does not matter.
    /// </summary>
    public static bool IsValidEmail(string? email) => email is not null && IsValidEmail(email.AsSpan());

    /// <summary>The same rule on an e-mail's characters (read from a column without making a string).</summary>
    public static bool IsValidEmail(ReadOnlySpan<char> email)
    {
        // Written on a span without allocating (this runs once per contact, a million times a pass); the same rule as
        // trimming, splitting the domain on '.' and checking every label.
        var e = email.Trim();
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

    /// <summary>
    /// A real number by libphonenumber's numbering plans (<see cref="PhoneNumberUtil.IsValidNumber"/>): the right
    /// length and prefixes for its country, so "+1 555 0100" and "12 34 56" are not valid. A number written with '+'
    /// (or an international prefix such as 00 or 011, as dialled from <paramref name="region"/>) is judged by its own
    /// country code; any other by <paramref name="region"/> (ISO 3166-1 alpha-2, e.g. "US", "GB"). An extension
    /// ("ext. 12", "x12") is allowed; leading text ("Tel:") is ignored, as the library does.
    /// </summary>
    public static bool IsValidPhone(string? phone, string region)
    {
        if (!Model.CrmRecord.IsFilled(phone)) return false;
        try
        {
            return Phones.IsValidNumber(Phones.Parse(phone, region));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    /// <summary>True when libphonenumber knows the region code (upper case: "GB", not "gb" or "UK").</summary>
    public static bool IsKnownPhoneRegion(string? region) => region is not null && KnownRegions.Contains(region);

    /// <summary>
    /// The region a contact's phone is judged by: its <paramref name="country"/> field when that holds a region code
    /// libphonenumber knows (trimmed, any case), else <paramref name="defaultRegion"/>.
    /// </summary>
    public static string PhoneRegionFor(string? country, string defaultRegion)
    {
        if (!Model.CrmRecord.IsFilled(country)) return defaultRegion;
        var code = country!.Trim();
        if (code.Length != 2) return defaultRegion;
        // The known set's own string: a million verdicts share it.
        return KnownRegions.TryGetValue(code.ToUpperInvariant(), out var known) ? known : defaultRegion;
    }

    /// <summary>The region a contact's phone is judged by under these settings (see <see cref="PhoneRegionFor"/>).</summary>
    public static string PhoneRegionOf(Contact contact, DataQualityOptions quality) =>
        quality.PhoneCountryField is { } field ? PhoneRegionFor(contact.GetField(field), quality.PhoneRegion) : quality.PhoneRegion;

    /// <summary>
    /// The verdict a KPI pass would reach on the contact's phone under these settings (null when the phone is empty):
    /// judged when a record enters the mirror, so that a pass reads it instead of parsing the number again.
    /// </summary>
    public static PhoneVerdict? Judge(Contact contact, DataQualityOptions quality)
    {
        if (!CrmRecord.IsFilled(contact.Phone)) return null;
        var region = PhoneRegionOf(contact, quality);
        return new PhoneVerdict(region, IsValidPhone(contact.Phone, region), PhoneFingerprint(contact.Phone!));
    }

    /// <summary>Sets every contact's <see cref="Contact.PhoneVerdict"/> (in place, on every core): what a sync does before
    /// the mirror stores the contacts.</summary>
    public static void JudgePhones(List<Contact> contacts, DataQualityOptions quality) =>
        Parallel.For(0, contacts.Count, Parallelism.OnCores, i =>
        {
            var contact = contacts[i];
            if (contact is not null) contacts[i] = contact with { PhoneVerdict = Judge(contact, quality) };
        });

    /// <summary>
    /// The stored verdict on a contact's filled phone when it was reached for this phone text and
    /// <paramref name="region"/>; null when there is none or it is for another number or region (then the phone must be
    /// judged again).
    /// </summary>
    public static bool? StoredVerdict(Contact contact, string region) =>
        contact.PhoneVerdict is { } v && v.Region == region && v.Phone == PhoneFingerprint(contact.Phone!) ? v.Valid : null;

    /// <summary>The same, for a contact's <paramref name="verdict"/> and filled <paramref name="phone"/> read from its columns
    /// (its characters: no string needs to be made of a phone whose verdict is stored).</summary>
    public static bool? StoredVerdict(PhoneVerdict? verdict, ReadOnlySpan<char> phone, string region) =>
        verdict is { } v && v.Region == region && v.Phone == PhoneFingerprint(phone) ? v.Valid : null;

    /// <summary>A fingerprint of a phone's text (32-bit FNV-1a over its UTF-16 code units): the same in every process.</summary>
    public static uint PhoneFingerprint(ReadOnlySpan<char> phone)
    {
        var hash = 2166136261u;
        foreach (var c in phone) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private static readonly HashSet<string> KnownRegions = new(Phones.GetSupportedRegions(), StringComparer.Ordinal);
}
