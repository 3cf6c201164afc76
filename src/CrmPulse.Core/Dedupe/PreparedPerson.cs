namespace CrmPulse.Core.Dedupe;

/// <summary>A <see cref="PersonRecord"/> normalized once, so that blocking and the pairwise comparison do no parsing.</summary>
internal sealed class PreparedPerson
{
    /// <param name="r">The record.</param>
    /// <param name="company">Its company as <see cref="CompanyNames.Normalize"/> gives it (callers normalize each
    /// company once, not once per contact), or "#&lt;id&gt;" for a company known only by its id.</param>
    public PreparedPerson(PersonRecord r, string? company)
    {
        Id = r.Id;
        CreatedAt = r.CreatedAt;
        First = Text.Letters(r.FirstName);
        Last = Text.Letters(r.LastName);
        FirstCanonical = First is null ? null : Nicknames.Canonical(First);
        var email = r.Email?.Trim().ToLowerInvariant();
        var at = email?.IndexOf('@') ?? -1;
        // An e-mail counts only when it looks like an address: "n/a", "-" or "x@" are no evidence.
        if (email is not null && at > 0 && at < email.Length - 3 && email.IndexOf('.', at) > at)
        {
            Email = email;
            _at = at;
        }
        var phone = Text.Digits(r.Phone, 7);
        // The last nine digits: "+44 20 7946 0018" and "020 7946 0018" are the same line.
        Phone = phone is { Length: > 9 } ? phone[^9..] : phone;
        Company = company;
        Street = Text.Words(r.Street);
        City = Text.Words(r.City);
        Postcode = Text.Words(r.Postcode)?.Replace(" ", "", StringComparison.Ordinal);
        State = Text.Words(r.State);
        BirthDate = Text.Digits(r.BirthDate, 6);
    }

    /// <summary>The company as the matcher compares it: "#&lt;id&gt;" stays as it is (compared exactly, never as text),
    /// a name is normalized.</summary>
    public static string? CompanyKey(string? company) => company is ['#', ..] ? company : CompanyNames.Normalize(company);

    public string Id { get; }
    public DateTimeOffset? CreatedAt { get; }
    public string? First { get; }
    public string? Last { get; }
    public string? FirstCanonical { get; }
    public string? Email { get; }
    // The user name and domain are views of Email, not strings of their own: a million contacts would hold two million
    // more strings for them.
    private readonly int _at;

    /// <summary>The e-mail's user name (empty without an e-mail).</summary>
    public ReadOnlySpan<char> EmailLocal => Email is null ? default : Email.AsSpan(0, _at);

    /// <summary>The e-mail's domain (empty without an e-mail).</summary>
    public ReadOnlySpan<char> EmailDomain => Email is null ? default : Email.AsSpan(_at + 1);
    public string? Phone { get; }
    public string? Company { get; }
    public string? Street { get; }
    public string? City { get; }
    public string? Postcode { get; }
    public string? State { get; }
    public string? BirthDate { get; }

    /// <summary>The most keys <see cref="AddKeys"/> writes.</summary>
    public const int MaxKeys = 11;

    /// <summary>
    /// The blocking keys: records sharing any key are compared. Each key is cheap and tolerant of a different kind of
    /// error, so a true pair survives when some of its fields are wrong: the e-mail, the e-mail's user name, the phone
    /// digits, both names (in either order), the birth date, either name's code with the birth
    /// year, the postcode with the street number, the street name's code or the last name's code, and the company
    /// with the last name's code.
    /// </summary>
    /// <returns>How many keys were written (at most <see cref="MaxKeys"/>).</returns>
    public int AddKeys(Span<long> keys)
    {
        var n = 0;
        // The codes are computed here, once per record, rather than kept: only the keys need them.
        var firstSoundex = Text.Soundex(First);
        var lastSoundex = Text.Soundex(Last);
        if (Email is not null) keys[n++] = Text.KeyHash('e', Email);
        if (EmailLocal.Length >= 4) keys[n++] = Text.KeyHash('u', EmailLocal);
        if (Phone is not null) keys[n++] = Text.KeyHash('p', Phone);
        if (First is not null && Last is not null)
        {
            // The exact names, not their codes: at a million contacts, Soundex pairs make blocks of dozens of
            // strangers. A typo in a name is caught by the keys that carry a code (postcode, company, birth year).
            var ordered = string.CompareOrdinal(First, Last) <= 0;
            keys[n++] = Text.KeyHash('n', ordered ? First : Last, ordered ? Last : First);
        }
        if (BirthDate is not null)
        {
            keys[n++] = Text.KeyHash('b', BirthDate);
            // A mistyped birth date keeps its year more often than not: either name's code with the year.
            if (BirthDate.Length >= 8)
            {
                if (lastSoundex is not null) keys[n++] = Text.KeyHash('h', lastSoundex, BirthDate[..4]);
                if (firstSoundex is not null) keys[n++] = Text.KeyHash('h', firstSoundex, BirthDate[..4]);
            }
        }
        if (Postcode is not null)
        {
            var words = Street?.Split(' ');
            if (words is not null && Text.Digits(words[0]) is { } number) keys[n++] = Text.KeyHash('z', Postcode, number);
            if (lastSoundex is not null) keys[n++] = Text.KeyHash('y', Postcode, lastSoundex);
            if (Text.Soundex(words?.FirstOrDefault(w => !char.IsAsciiDigit(w[0]))) is { } streetCode) keys[n++] = Text.KeyHash('s', Postcode, streetCode);
        }
        if (lastSoundex is not null && Company is not null) keys[n++] = Text.KeyHash('c', Company, lastSoundex);
        return n;
    }
}
