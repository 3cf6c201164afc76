namespace CrmPulse.Core.Dedupe;

/// <summary>A <see cref="PersonRecord"/> normalized once, so that blocking and the pairwise comparison do no parsing.</summary>
internal sealed class PreparedPerson
{
    public PreparedPerson(PersonRecord r)
    {
        Id = r.Id;
        CreatedAt = r.CreatedAt;
        First = Text.Letters(r.FirstName);
        Last = Text.Letters(r.LastName);
        FirstCanonical = First is null ? null : Nicknames.Canonical(First);
        FirstSoundex = Text.Soundex(First);
        LastSoundex = Text.Soundex(Last);
        var email = r.Email?.Trim().ToLowerInvariant();
        var at = email?.IndexOf('@') ?? -1;
        // An e-mail counts only when it looks like an address: "n/a", "-" or "x@" are no evidence.
        if (email is not null && at > 0 && at < email.Length - 3 && email.IndexOf('.', at) > at)
        {
            Email = email;
            EmailLocal = email[..at];
            EmailDomain = email[(at + 1)..];
        }
        var phone = Text.Digits(r.Phone, 7);
        // The last nine digits: "+44 20 7946 0018" and "020 7946 0018" are the same line.
        Phone = phone is { Length: > 9 } ? phone[^9..] : phone;
        // "#<id>" stands for a company known only by its id (FromContact): compared exactly, never as text.
        Company = r.Company is ['#', ..] ? r.Company : CompanyNames.Normalize(r.Company);
        Street = Text.Words(r.Street);
        StreetNumber = Street is null ? null : Text.Digits(Street.Split(' ')[0]);
        StreetSoundex = Street is null ? null : Text.Soundex(Street.Split(' ').FirstOrDefault(w => !char.IsAsciiDigit(w[0])));
        City = Text.Words(r.City);
        Postcode = Text.Words(r.Postcode)?.Replace(" ", "", StringComparison.Ordinal);
        State = Text.Words(r.State);
        BirthDate = Text.Digits(r.BirthDate, 6);
    }

    public string Id { get; }
    public DateTimeOffset? CreatedAt { get; }
    public string? First { get; }
    public string? Last { get; }
    public string? FirstCanonical { get; }
    public string? FirstSoundex { get; }
    public string? LastSoundex { get; }
    public string? Email { get; }
    public string? EmailLocal { get; }
    public string? EmailDomain { get; }
    public string? Phone { get; }
    public string? Company { get; }
    public string? Street { get; }
    public string? StreetNumber { get; }

    /// <summary>Soundex of the street's first word that is not a number ("6 tullaroop street" → T416).</summary>
    public string? StreetSoundex { get; }
    public string? City { get; }
    public string? Postcode { get; }
    public string? State { get; }
    public string? BirthDate { get; }

    /// <summary>
    /// The blocking keys: records sharing any key are compared. Each key is cheap and tolerant of a different kind of
    /// error, so a true pair survives when some of its fields are wrong: the e-mail, the e-mail's user name, the phone
    /// digits, the Soundex codes of both names (in either order), one name's code with the other's initial, the
    /// birth date, the postcode with the street number, the street name's code or the last name's code, and the company or e-mail domain
    /// with the last name's code.
    /// </summary>
    public void AddKeys(List<long> keys)
    {
        if (Email is not null) keys.Add(Text.KeyHash('e', Email));
        if (EmailLocal is { Length: >= 4 }) keys.Add(Text.KeyHash('u', EmailLocal));
        if (Phone is not null) keys.Add(Text.KeyHash('p', Phone));
        if (FirstSoundex is not null && LastSoundex is not null)
        {
            var ordered = string.CompareOrdinal(FirstSoundex, LastSoundex) <= 0;
            keys.Add(Text.KeyHash('n', ordered ? FirstSoundex : LastSoundex, ordered ? LastSoundex : FirstSoundex));
            keys.Add(Text.KeyHash('l', LastSoundex, First![..1]));
            keys.Add(Text.KeyHash('l', FirstSoundex, Last![..1]));
        }
        if (BirthDate is not null) keys.Add(Text.KeyHash('b', BirthDate));
        if (Postcode is not null)
        {
            if (StreetNumber is not null) keys.Add(Text.KeyHash('z', Postcode, StreetNumber));
            if (LastSoundex is not null) keys.Add(Text.KeyHash('y', Postcode, LastSoundex));
            if (StreetSoundex is not null) keys.Add(Text.KeyHash('s', Postcode, StreetSoundex));
        }
        if (LastSoundex is not null)
        {
            if (Company is not null) keys.Add(Text.KeyHash('c', Company, LastSoundex));
            if (EmailDomain is not null) keys.Add(Text.KeyHash('d', EmailDomain, LastSoundex));
        }
    }
}
