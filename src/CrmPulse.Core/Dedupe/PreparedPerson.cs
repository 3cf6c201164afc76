using System.Text;

namespace CrmPulse.Core.Dedupe;

/// <summary>A <see cref="PersonRecord"/> normalized once, so that blocking and the pairwise comparison do no parsing.</summary>
/// <remarks>A struct: a million contacts are one array, not a million objects for the GC to copy while they live
/// (passed by reference, <c>in</c>, never copied).</remarks>
internal readonly struct PreparedPerson
{
    /// <param name="r">The record.</param>
    /// <param name="company">Its company as <see cref="CompanyNames.Normalize"/> gives it (callers normalize each
    /// company once, not once per contact), or "#&lt;id&gt;" for a company known only by its id.</param>
    /// <param name="pool">Shares the strings of values many records have (names, places, dates); null makes new ones.</param>
    /// <param name="extras">The extra fields compared (values from <see cref="PersonRecord.Extra"/>).</param>
    public PreparedPerson(PersonRecord r, string? company, StringPool? pool = null, IReadOnlyList<ExtraField>? extras = null)
        : this(r.Id, r.CreatedAt, r.FirstName, r.LastName, r.Email, r.Phone, company, r.Street, r.City, r.Postcode, r.State, r.BirthDate, pool,
            extras is { Count: > 0 } && r.Extra is { } values ? PrepareExtra(extras, values, pool) : null)
    {
    }

    /// <summary>A person from its raw fields (a contact is read straight into this, without a <see cref="PersonRecord"/>).</summary>
    public PreparedPerson(string id, DateTimeOffset? createdAt, string? firstName, string? lastName, string? email, string? phone,
        string? company, string? street, string? city, string? postcode, string? state, string? birthDate, StringPool? pool,
        string?[]? extra = null)
        : this(id, createdAt, Name(firstName, pool), Name(lastName, pool), PrepareEmail(email), PreparePhone(phone), company,
            street, city, postcode, state, birthDate, pool, extra)
    {
    }

    /// <summary>A person whose names (<see cref="Name"/>), e-mail (<see cref="PrepareEmail(ReadOnlySpan{char}, string?)"/>) and
    /// phone (<see cref="PreparePhone(ReadOnlySpan{char})"/>) are already prepared, the other fields raw: contacts read from
    /// their columns prepare each distinct name once, and their e-mails and phones without a string of the raw text.</summary>
    internal PreparedPerson(string id, DateTimeOffset? createdAt, string? first, string? last, (ReadOnlyMemory<char> Email, int At) email, uint phone,
        string? company, string? street, string? city, string? postcode, string? state, string? birthDate, StringPool? pool,
        string?[]? extra)
    {
        Id = id;
        _createdTicks = createdAt?.UtcTicks ?? NoTime;
        First = first;
        Last = last;
        FirstCanonical = First is null ? null : Nicknames.Canonical(First);
        (_email, _at) = email;
        _phone = phone;
        Company = company;
        var (streetWords, cityWords, postcodeWords, stateWords, birthDigits) = (
            Text.Normalized(street, Text.WordsInto),
            Text.Normalized(city, Text.WordsInto, pool),
            Text.Normalized(postcode, Text.CompactWordsInto, pool),
            Text.Normalized(state, Text.WordsInto, pool),
            Text.Normalized(birthDate, Text.DigitsInto, pool, min: 6));
        // Many CRMs keep no address, birth date or extra field on most contacts: those records carry no room for them
        // (and make none).
        _place = streetWords is null && cityWords is null && postcodeWords is null && stateWords is null && birthDigits is null
                 && extra is null
            ? null
            : new Place(streetWords, cityWords, postcodeWords, stateWords, birthDigits, extra);
    }

    /// <summary>A first or last name as the matcher compares it: lower-case letters, null when empty or a title.</summary>
    internal static string? Name(string? raw, StringPool? pool) => NotATitle(Text.Normalized(raw, Text.LettersInto, pool));

    /// <summary>The extra fields' values normalized as their kind compares them (exact and text: lower-case words; date:
    /// its digits, six or more), in the order of <paramref name="extras"/>; null when the record has none of them.</summary>
    /// <param name="raw">The record's values by field name (its custom fields, or <see cref="PersonRecord.Extra"/>). A
    /// dictionary rather than a function: a lambda over a record's fields made a closure per record (24 MB at a million
    /// contacts), extra fields or not.</param>
    public static string?[]? PrepareExtra(IReadOnlyList<ExtraField> extras, IReadOnlyDictionary<string, string?> raw, StringPool? pool)
    {
        string?[]? values = null;
        for (var e = 0; e < extras.Count; e++)
        {
            if (PrepareExtra(extras[e], raw.GetValueOrDefault(extras[e].Name), pool) is not { } v) continue;
            (values ??= new string?[extras.Count])[e] = v;
        }
        return values;
    }

    /// <summary>One extra field's value normalized as its kind compares it (<see cref="PrepareExtra(IReadOnlyList{ExtraField}, IReadOnlyDictionary{string, string?}, StringPool?)"/>):
    /// what <see cref="ContactInputs"/> calls with a value read from the field's column.</summary>
    internal static string? PrepareExtra(ExtraField field, string? text, StringPool? pool) => field.Kind == DedupeFieldKind.Date
        ? Text.Normalized(text, Text.DigitsInto, pool, min: 6)
        : Text.Normalized(text, Text.WordsInto, pool);

    /// <summary>The value of extra field <paramref name="index"/> (<see cref="PrepareExtra"/>), or null.</summary>
    public string? Extra(int index) => _place?.Extra?[index];

    /// <summary>Titles and honorifics typed into a name field ("sir baronet", "mr", "dr"): they name no one, so the
    /// field counts as missing rather than as a name two strangers share.</summary>
    /// <remarks>Only words that are rarely a name themselves: "earl", "duke", "major" or "lord" are given and family
    /// names too, and stay names.</remarks>
    private static readonly HashSet<string> Titles = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "revd", "reverend", "hon", "baronet", "bart",
        "esq", "esquire", "baron", "baroness", "viscount", "viscountess", "countess", "marquess", "captain", "capt",
        "colonel", "lieut", "jr", "sr", "unknown", "none",
    };

    private static string? NotATitle(string? name) => name is not null && Titles.Contains(name) ? null : name;

    /// <summary>True for a birth date "YYYY0101" (ISO order, digits only): how a year-only date is written, so it
    /// says the year and nothing about the day. A real 1 January is taken the same way; the year still counts.</summary>
    public static bool YearOnly(string birthDate) => birthDate.Length == 8 && birthDate.EndsWith("0101", StringComparison.Ordinal);

    /// <summary>The address, birth date and extra fields (null for a record without any: most contacts, and every one
    /// when none are configured), apart from the fields every contact has. The extra fields sit here rather than in
    /// the struct: 8 bytes a record, for the room the e-mail's slice takes.</summary>
    private sealed record Place(string? Street, string? City, string? Postcode, string? State, string? BirthDate, string?[]? Extra);

    private readonly Place? _place;

    /// <summary>The e-mail trimmed and lower-cased, and the position of its '@'; empty when it does not look like an
    /// address ("n/a", "-" or "x@" are no evidence). An e-mail already in that form is kept, not copied.</summary>
    private static (ReadOnlyMemory<char> Email, int At) PrepareEmail(string? raw) => raw is null ? (default, -1) : PrepareEmail(raw, raw);

    /// <summary>As <see cref="PrepareEmail(string?)"/> for an e-mail held as characters; <paramref name="rawString"/> is the
    /// same text as a string when the caller has one (kept when already in form), else the address is copied into
    /// <see cref="EmailArena"/> (no string of its own).</summary>
    internal static (ReadOnlyMemory<char> Email, int At) PrepareEmail(ReadOnlySpan<char> raw, string? rawString)
    {
        var trimmed = raw.Trim();
        var at = trimmed.IndexOf('@');
        if (!(at > 0 && at < trimmed.Length - 3 && trimmed[at..].IndexOf('.') > 0)) return (default, -1);
        if (trimmed.Length == raw.Length && !trimmed.ContainsAnyInRange('A', 'Z') && Ascii.IsValid(trimmed))
        {
            return (rawString is not null ? rawString.AsMemory() : EmailArena.Copy(trimmed), at);
        }
        // Lower-casing (one character for one, so the length stays) may move the rule's outcome outside ASCII: checked
        // again on the result.
        Span<char> lower = trimmed.Length <= 256 ? stackalloc char[trimmed.Length] : new char[trimmed.Length];
        trimmed.ToLowerInvariant(lower);
        at = lower.IndexOf('@');
        return at > 0 && at < lower.Length - 3 && lower[at..].IndexOf('.') > 0 ? (EmailArena.Copy(lower), at) : (default, -1);
    }

    /// <summary>
    /// Where prepared e-mails read from characters (a snapshot's one-byte column) are kept: blocks of characters, one
    /// per thread at a time, each e-mail a slice of one. A string per e-mail cost 22 bytes of header and padding on top
    /// of its text, about 85 MB for a million contacts; a block is garbage once no prepared person points into it.
    /// </summary>
    /// <remarks>Per thread, so that the matcher's parallel preparation takes no lock. A thread keeps its current block
    /// (at most <see cref="BlockChars"/> characters) between matches.</remarks>
    private static class EmailArena
    {
        // 32K characters (64 KB): under the large-object threshold, so a block starts in generation 0.
        private const int BlockChars = 32 * 1024;
        [ThreadStatic] private static char[]? t_block;
        [ThreadStatic] private static int t_used;

        public static ReadOnlyMemory<char> Copy(ReadOnlySpan<char> email)
        {
            // A very long value (not a real address) gets an array of its own rather than most of a block.
            if (email.Length > BlockChars / 16) return email.ToArray();
            if (t_block is null || t_used + email.Length > t_block.Length) (t_block, t_used) = (new char[BlockChars], 0);
            email.CopyTo(t_block.AsSpan(t_used));
            var slice = new ReadOnlyMemory<char>(t_block, t_used, email.Length);
            t_used += email.Length;
            return slice;
        }
    }

    /// <summary>The last nine digits of a phone with seven or more: "+44 20 7946 0018" and "020 7946 0018" are the same
    /// line. Packed (<see cref="_phone"/>); 0 for none.</summary>
    private static uint PreparePhone(string? raw) => PreparePhone(raw.AsSpan());

    /// <summary>As <see cref="PreparePhone(string?)"/> for a phone held as characters.</summary>
    internal static uint PreparePhone(ReadOnlySpan<char> raw)
    {
        if (raw.IsEmpty) return 0;
        Span<char> buffer = raw.Length <= 256 ? stackalloc char[raw.Length] : new char[raw.Length];
        var n = Text.DigitsInto(raw, buffer);
        if (n < 7) return 0;
        var digits = n > 9 ? buffer[(n - 9)..n] : buffer[..n];
        var value = 0u;
        foreach (var d in digits) value = value * 10 + (uint)(d - '0');
        return (uint)(digits.Length - 6) << 30 | value;
    }

    /// <summary>The company as the matcher compares it: the company id as "#&lt;id&gt;" when there is one (compared
    /// exactly, never as text), otherwise the normalized name ("#…" as typed is taken as an id too).</summary>
    public static string? CompanyKey(PersonRecord r) =>
        r.CompanyId is { Length: > 0 } id ? "#" + id : r.Company is ['#', ..] ? r.Company : CompanyNames.Normalize(r.Company);

    public string Id { get; }

    /// <summary>When the record was created, as a UTC instant (the offset it was written with plays no part: only the
    /// instant picks a cluster's survivor).</summary>
    public DateTimeOffset? CreatedAt => _createdTicks == NoTime ? null : new DateTimeOffset(_createdTicks, TimeSpan.Zero);

    // UTC ticks, NoTime for none: 8 bytes a record where a DateTimeOffset? takes 24.
    private readonly long _createdTicks;
    private const long NoTime = long.MinValue;

    public string? First { get; }
    public string? Last { get; }
    public string? FirstCanonical { get; }
    // The prepared e-mail: the raw string when it was already in form, otherwise a slice of an EmailArena block; empty
    // for none. The user name and domain are views of it, not strings of their own.
    private readonly ReadOnlyMemory<char> _email;
    private readonly int _at;

    /// <summary>Whether the person has an e-mail that looks like an address.</summary>
    public bool HasEmail => !_email.IsEmpty;

    /// <summary>The prepared e-mail (empty without one).</summary>
    public ReadOnlySpan<char> EmailText => _email.Span;

    /// <summary>Whether both have the same prepared e-mail (with <see cref="HasEmail"/> on both).</summary>
    public bool SameEmail(in PreparedPerson other) => _email.Span.SequenceEqual(other._email.Span);

    /// <summary>The prepared e-mail as a string (a new one on each call unless it was kept as given: the matcher reads
    /// <see cref="EmailText"/>).</summary>
    public string? Email => _email.IsEmpty ? null : _email.ToString();

    /// <summary>The e-mail's user name (empty without an e-mail).</summary>
    public ReadOnlySpan<char> EmailLocal => _email.IsEmpty ? default : _email.Span[.._at];

    /// <summary>The e-mail's domain (empty without an e-mail).</summary>
    public ReadOnlySpan<char> EmailDomain => _email.IsEmpty ? default : _email.Span[(_at + 1)..];
    // The phone's digits (PreparePhone) packed in the room next to _at, not a string: a million contacts held 750,000
    // strings for them (30 MB). Bits 30-31: how many digits less six (1 to 3); bits 0-29: their value (under 10^9 < 2^30).
    // Two phones are equal when their packed values are; 0 is none.
    private readonly uint _phone;

    /// <summary>Whether the person has a phone of seven digits or more.</summary>
    public bool HasPhone => _phone != 0;

    /// <summary>Whether both have the same phone digits (with <see cref="HasPhone"/> on both).</summary>
    public bool SamePhone(in PreparedPerson other) => _phone == other._phone;

    /// <summary>The phone's last nine digits (seven or more), written into <paramref name="buffer"/> (9 or more long);
    /// empty without a phone.</summary>
    public ReadOnlySpan<char> PhoneDigits(Span<char> buffer)
    {
        if (_phone == 0) return default;
        var (count, value) = ((int)(_phone >> 30) + 6, _phone & 0x3FFF_FFFF);
        for (var k = count - 1; k >= 0; k--, value /= 10) buffer[k] = (char)('0' + value % 10);
        return buffer[..count];
    }

    /// <summary>The phone's digits as a string (a new one on each call: the matcher reads <see cref="PhoneDigits"/>).</summary>
    public string? Phone => _phone == 0 ? null : new string(PhoneDigits(stackalloc char[9]));
    public string? Company { get; }
    public string? Street => _place?.Street;
    public string? City => _place?.City;
    public string? Postcode => _place?.Postcode;
    public string? State => _place?.State;
    public string? BirthDate => _place?.BirthDate;

    /// <summary>The most keys <see cref="AddKeys"/> writes.</summary>
    public const int MaxKeys = 21;

    /// <summary>
    /// The blocking keys: records sharing any key are compared. Each key is cheap and tolerant of a different kind of
    /// error, so a true pair survives when some of its fields are wrong: the e-mail, the e-mail's user name, the phone
    /// digits, both names (in either order), the birth date, the first name's code with the birth date, either name's
    /// code with the birth year, the last name's code with the birth month and day, the postcode with the street
    /// number, the street name's code or the last name's code, the company with the last name's code, the
    /// last name's code with the street name's code, the street number with the street name's code, the city with the
    /// last name's code and first initial; and, only for a record with neither an e-mail nor a phone, the postcode with
    /// the first name's code or the city, and the city with the exact last name or the exact first name.
    /// </summary>
    /// <remarks>A function of this record alone: a record's keys can be computed when it changes, without the others.</remarks>
    /// <returns>How many keys were written (at most <see cref="MaxKeys"/>).</returns>
    public int AddKeys(Span<long> keys)
    {
        var n = 0;
        // The codes are computed here, once per record, rather than kept: only the keys need them. No strings are
        // made: codes, the birth year and the street's parts are spans.
        Span<char> firstSoundex = stackalloc char[4], lastSoundex = stackalloc char[4], streetSoundex = stackalloc char[4];
        var hasFirstSoundex = Text.Soundex(First, firstSoundex);
        var hasLastSoundex = Text.Soundex(Last, lastSoundex);
        // The place keys (v, o, l, m: a name or the city with the place, no other field) only for a record with neither
        // an e-mail nor a phone. Such a record (a register entry, an old paper form) has few other keys to be found by,
        // and its place is most of what identifies it; a contact with an e-mail or a phone is found by those and by its
        // name keys, and in a CRM where most contacts share a few cities the place keys doubled the candidates at 1M
        // (3.2M → 6.0M) for little recall. A function of this record alone, so incremental matching is unchanged.
        var placeKeys = !HasEmail && !HasPhone;
        if (HasEmail) keys[n++] = Text.KeyHash('e', EmailText);
        if (EmailLocal.Length >= 4) keys[n++] = Text.KeyHash('u', EmailLocal);
        Span<char> phone = stackalloc char[9];
        if (HasPhone) keys[n++] = Text.KeyHash('p', PhoneDigits(phone));
        if (First is not null && Last is not null)
        {
            // The exact names, not their codes: at a million contacts, Soundex pairs make blocks of dozens of
            // strangers. A typo in a name is caught by the keys that carry a code (postcode, company, birth year).
            var ordered = string.CompareOrdinal(First, Last) <= 0;
            keys[n++] = Text.KeyHash('n', ordered ? First : Last, ordered ? Last : First);
        }
        if (BirthDate is not null)
        {
            // A year-only date blocks by the codes with the year below, not by itself: "1862-01-01" is hundreds of people.
            if (!YearOnly(BirthDate))
            {
                keys[n++] = Text.KeyHash('b', BirthDate);
                // A surname missing, married or mistyped: the first name's code with the full date.
                if (hasFirstSoundex) keys[n++] = Text.KeyHash('f', firstSoundex, BirthDate);
            }
            // A mistyped birth date keeps its year more often than not: either name's code with the year.
            if (BirthDate.Length >= 8)
            {
                if (hasLastSoundex) keys[n++] = Text.KeyHash('h', lastSoundex, BirthDate.AsSpan(0, 4));
                if (hasFirstSoundex) keys[n++] = Text.KeyHash('h', firstSoundex, BirthDate.AsSpan(0, 4));
                // A mistyped year keeps the month and day: the last name's code with them (not for a placeholder).
                if (hasLastSoundex && !YearOnly(BirthDate)) keys[n++] = Text.KeyHash('d', lastSoundex, BirthDate.AsSpan(4));
            }
        }
        // Street is single-spaced words: its first word's digits (the number; 0 when none) and its first word that
        // does not start with a digit (the street name).
        Span<char> number = stackalloc char[16];
        var digits = StreetNumber(Street, number);
        var hasStreetSoundex = Text.Soundex(StreetName(Street), streetSoundex);
        if (Postcode is not null)
        {
            if (digits > 0) keys[n++] = Text.KeyHash('z', Postcode, number[..digits]);
            if (hasLastSoundex) keys[n++] = Text.KeyHash('y', Postcode, lastSoundex);
            if (hasStreetSoundex) keys[n++] = Text.KeyHash('s', Postcode, streetSoundex);
            if (placeKeys)
            {
                // A surname missing, changed or garbled at the same postcode: the first name's code with it.
                if (hasFirstSoundex) keys[n++] = Text.KeyHash('v', Postcode, firstSoundex);
                // Both names replaced or garbled (aliases, a title's place name), the place intact: the postcode with the city.
                if (City is not null) keys[n++] = Text.KeyHash('o', Postcode, City);
            }
        }
        if (hasLastSoundex && Company is not null) keys[n++] = Text.KeyHash('c', Company, lastSoundex);
        // No key on the company with the first name's code: under fitted weights (a shared company ~16 bits) it proposed
        // same-first-name colleagues at large companies and cost planted precision at 1M (0.9982 → 0.9906).
        // Without the postcode (one keystroke off, or missing): the last name's code with the street name's code.
        if (hasLastSoundex && hasStreetSoundex) keys[n++] = Text.KeyHash('q', lastSoundex, streetSoundex);
        // The same address whatever the postcode and names say (a postcode one keystroke off and a surname changed):
        // the street number with the street name's code.
        if (digits > 0 && hasStreetSoundex) keys[n++] = Text.KeyHash('a', number[..digits], streetSoundex);
        // City and name: the last name's code, the first initial and the city.
        if (hasLastSoundex && First is not null && City is not null)
        {
            Span<char> code = stackalloc char[5];
            lastSoundex.CopyTo(code);
            code[4] = First[0];
            keys[n++] = Text.KeyHash('g', code, City);
        }
        // City and one exact name, when the other name is missing or replaced (an alias, a foreign form, a married
        // name) and nothing else is shared: the surname with the city, the first name (nicknames as their formal name)
        // with the city. The exact names, not their codes, keep these blocks small in a CRM where most contacts share
        // a few cities; a block still over MaxBlockSize is windowed in name order.
        if (placeKeys && City is not null)
        {
            if (Last is not null) keys[n++] = Text.KeyHash('l', Last, City);
            if (FirstCanonical is not null) keys[n++] = Text.KeyHash('m', FirstCanonical, City);
        }
        return n;
    }

    /// <summary>The order of a large block (<see cref="BlockMatcher.Candidates"/>): the first six letters of the last
    /// name, then of the first name, five bits each from the top bit down, so alike names sort together.</summary>
    public long SortKey()
    {
        long key = 0;
        var shift = 58;
        foreach (var name in new[] { Last, First })
        {
            var letters = name.AsSpan();
            for (var k = 0; k < 6; k++, shift -= 5)
            {
                long v = k < letters.Length ? letters[k] is >= 'a' and <= 'z' ? letters[k] - 'a' + 1 : 27 : 0;
                key |= v << shift;
            }
        }
        return key;
    }

    /// <summary>The digits of a single-spaced street's first word (its number) into <paramref name="number"/>, at most
    /// its length: how many (0 when the first word has none).</summary>
    private static int StreetNumber(string? street, Span<char> number)
    {
        if (street is null) return 0;
        var first = street.AsSpan();
        if (first.IndexOf(' ') is var space and >= 0) first = first[..space];
        var n = 0;
        foreach (var c in first)
        {
            if (char.IsAsciiDigit(c) && n < number.Length) number[n++] = c;
        }
        return n;
    }

    /// <summary>The first word of a single-spaced street that does not start with a digit (empty when none).</summary>
    private static ReadOnlySpan<char> StreetName(string? street)
    {
        var rest = street.AsSpan();
        while (!rest.IsEmpty)
        {
            var space = rest.IndexOf(' ');
            var word = space < 0 ? rest : rest[..space];
            if (!char.IsAsciiDigit(word[0])) return word;
            rest = space < 0 ? default : rest[(space + 1)..];
        }
        return default;
    }
}
