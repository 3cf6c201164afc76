namespace CrmPulse.Core.Dedupe;

/// <summary>
/// The comparison levels of two people, field by field, for the fitted model (<see cref="PersonModel"/>). Level 0 is
/// "missing on either side" (no weight), 1 is exact agreement, then closer to farther; the last level of a field is
/// "disagrees". A pair's levels pack into one ulong, 4 bits a field, so that EM runs over distinct patterns.
/// </summary>
/// <remarks>
/// Names: 1 equal; 2 the same formal name (Bob, Robert) or Jaro-Winkler ≥ 0.92; 3 an initial of the other or ≥ 0.8;
/// 4 else. First and last name swapped count when that agrees better, and so does a lone name (the other missing)
/// compared with the other record's other name, as 2 at most. Birth date: 1 the same full date; 2 day and
/// month swapped or one digit off; 3 the same year only (a "YYYY0101" date is a year, never a full date); 4 two digits
/// off; 5 else. E-mail: 1 equal; 2 a typo of the other (<see cref="PersonScorer.EmailSimilarity"/>); 3 the same user
/// name at an alike domain; 4 else (and a user name that differs as the names differ). Phone and postcode: 1 equal;
/// 2 one edit; 3 else. Street: 1 the same words in any order (or the same words as street and text extra fields
/// together: address lines swapped); 2 most words or Jaro-Winkler ≥ 0.9; 3 else. City: 1 equal; 2 Jaro-Winkler
/// ≥ 0.9; 3 else. State: 1 equal; 2 else. Company: 1 the same (the same id when both have one); 2 alike names (only
/// when neither has an id: an id against a name is missing); 3 else. Extra fields: exact 1 equal / 2 else; text
/// 1 equal / 2 ≥ 0.9 / 3 else; date as the birth date.
/// </remarks>
internal sealed class PersonLevels
{
    public const int First = 0, Last = 1, Birth = 2, Email = 3, Phone = 4, Street = 5, City = 6, Postcode = 7, State = 8, Company = 9;

    /// <summary>The standard fields; extra fields follow them.</summary>
    public const int StandardFields = 10;

    /// <summary>At most 16 fields of 4 bits in a pattern.</summary>
    public const int MaxFields = StandardFields + DedupeOptions.MaxExtraFields;

    private static readonly int[] StandardLevels = [5, 5, 6, 5, 4, 4, 4, 4, 3, 4];

    private readonly IReadOnlyList<ExtraField> _extras;
    private readonly bool _textExtras;

    public PersonLevels(IReadOnlyList<ExtraField> extras)
    {
        _extras = extras;
        _textExtras = extras.Any(e => e.Kind == DedupeFieldKind.Text);
        LevelCount = [.. StandardLevels, .. extras.Select(e => e.Kind switch
        {
            DedupeFieldKind.Exact => 3,
            DedupeFieldKind.Text => 4,
            _ => 6,
        })];
    }

    /// <summary>Levels per field, level 0 (missing) included.</summary>
    public int[] LevelCount { get; }

    public int Fields => LevelCount.Length;

    public static ulong Pack(ReadOnlySpan<byte> levels, int fields)
    {
        ulong key = 0;
        for (var f = 0; f < fields; f++) key |= (ulong)levels[f] << (4 * f);
        return key;
    }

    public static int Level(ulong key, int field) => (int)(key >> (4 * field)) & 0xF;

    /// <summary>A field's name in a match reason: "first name", …, or the extra field's own name.</summary>
    public string FieldName(int field) => field switch
    {
        First => "first name", Last => "last name", Birth => "birth date", Email => "e-mail", Phone => "phone",
        Street => "street", City => "city", Postcode => "postcode", State => "state", Company => "company",
        _ => _extras[field - StandardFields].Name,
    };

    /// <summary>A level's name in a match reason (the class remarks say what each level holds).</summary>
    public string LevelName(int field, int level)
    {
        string[] names = field switch
        {
            First or Last => ["", "exact", "alike", "initial or similar", "differs"],
            Birth => BirthNames,
            Email => ["", "exact", "typo", "same user name", "differs"],
            Phone or Postcode => ["", "exact", "one edit", "differs"],
            Street => ["", "same words", "most words", "differs"],
            City => ["", "exact", "alike", "differs"],
            State => ["", "exact", "differs"],
            Company => ["", "same", "alike names", "differs"],
            _ => _extras[field - StandardFields].Kind switch
            {
                DedupeFieldKind.Exact => ["", "exact", "differs"],
                DedupeFieldKind.Text => ["", "exact", "alike", "differs"],
                _ => BirthNames,
            },
        };
        return level < names.Length ? names[level] : "differs";
    }

    private static readonly string[] BirthNames = ["", "exact", "swapped or one digit off", "same year", "two digits off", "differs"];

    /// <summary>The levels of every field.</summary>
    public void Compare(in PreparedPerson a, in PreparedPerson b, Span<byte> levels)
    {
        CompareCheap(a, b, levels);
        CompareText(a, b, levels);
    }

    /// <summary>True for the standard fields compared exactly or by one edit (<see cref="CompareCheap"/>).</summary>
    public static bool IsCheap(int field) => field is Birth or Email or Phone or Postcode or State or Company;

    /// <summary>True for the extra fields that <see cref="CompareCheap"/> writes (exact and date), false for text.</summary>
    public bool IsCheapExtra(int field) => field >= StandardFields && _extras[field - StandardFields].Kind != DedupeFieldKind.Text;

    /// <summary>True when both sides have the field (for the text fields, whose levels <see cref="CompareCheap"/> leaves out).</summary>
    public bool Present(int field, in PreparedPerson a, in PreparedPerson b) => field switch
    {
        First or Last => (a.First ?? a.Last) is not null && (b.First ?? b.Last) is not null,
        Street => a.Street is not null && b.Street is not null,
        City => a.City is not null && b.City is not null,
        >= StandardFields => a.Extra(field - StandardFields) is not null && b.Extra(field - StandardFields) is not null,
        _ => true,
    };

    /// <summary>The levels of the cheap fields (birth date, e-mail, phone, postcode, state, company) and of the exact
    /// and date extra fields; the others are written by <see cref="CompareText"/>.</summary>
    public void CompareCheap(in PreparedPerson a, in PreparedPerson b, Span<byte> levels)
    {
        for (var f = Birth; f <= Company; f++)
        {
            if (IsCheap(f)) levels[f] = CheapLevel(f, a, b);
        }
        for (var e = 0; e < _extras.Count; e++) levels[StandardFields + e] = CheapLevel(StandardFields + e, a, b);
    }

    /// <summary>The level of one cheap field (<see cref="IsCheap"/>) or extra field (0 for a text extra field, which
    /// <see cref="CompareText"/> writes), as <see cref="CompareCheap"/> writes it.</summary>
    public byte CheapLevel(int field, in PreparedPerson a, in PreparedPerson b)
    {
        switch (field)
        {
            case Birth: return BirthLevel(a.BirthDate, b.BirthDate);
            case Email: return EmailLevel(a, b);
            case Phone:
                return !a.HasPhone || !b.HasPhone ? (byte)0 : a.SamePhone(b) ? (byte)1
                    : Text.WithinOneEdit(a.PhoneDigits(stackalloc char[9]), b.PhoneDigits(stackalloc char[9])) ? (byte)2 : (byte)3;
            case Postcode: return ExactOrOneEdit(a.Postcode, b.Postcode);
            case State: return a.State is null || b.State is null ? (byte)0 : a.State == b.State ? (byte)1 : (byte)2;
            case Company: return CompanyLevel(a.Company, b.Company);
            case >= StandardFields:
                var e = field - StandardFields;
                var (x, y) = (a.Extra(e), b.Extra(e));
                return _extras[e].Kind switch
                {
                    DedupeFieldKind.Exact => x is null || y is null ? (byte)0 : x == y ? (byte)1 : (byte)2,
                    DedupeFieldKind.Date => DateLevel(x, y, yearOnly: false),
                    _ => 0,
                };
            default: return 0;
        }
    }

    /// <summary>True when <see cref="CheapLevel"/> of the field can be above 0 for the pair (both sides have it).</summary>
    public bool CheapPresent(int field, in PreparedPerson a, in PreparedPerson b) => field switch
    {
        Birth => a.BirthDate is not null && b.BirthDate is not null,
        Email => a.HasEmail && b.HasEmail,
        Phone => a.HasPhone && b.HasPhone,
        Postcode => a.Postcode is not null && b.Postcode is not null,
        State => a.State is not null && b.State is not null,
        Company => a.Company is not null && b.Company is not null,
        >= StandardFields => _extras[field - StandardFields].Kind != DedupeFieldKind.Text
                             && a.Extra(field - StandardFields) is not null && b.Extra(field - StandardFields) is not null,
        _ => false,
    };

    /// <summary>The levels of the names, street, city and text extra fields (after <see cref="CompareCheap"/>, whose
    /// e-mail level it may lower: a user name that differs as the names differ is two names, not a typo).</summary>
    public void CompareText(in PreparedPerson a, in PreparedPerson b, Span<byte> levels)
    {
        var (first, last) = Names(a, b);
        levels[First] = first;
        levels[Last] = last;
        if (levels[Email] is 2 or 3 && (first > 1 || last > 1) && !a.EmailLocal.SequenceEqual(b.EmailLocal)) levels[Email] = 4;
        levels[Street] = StreetLevel(a.Street, b.Street);
        levels[City] = a.City is null || b.City is null ? (byte)0
            : a.City == b.City ? (byte)1 : Text.JaroWinkler(a.City, b.City) >= 0.9 ? (byte)2 : (byte)3;
        if (!_textExtras) return;
        for (var e = 0; e < _extras.Count; e++)
        {
            if (_extras[e].Kind != DedupeFieldKind.Text) continue;
            var (x, y) = (a.Extra(e), b.Extra(e));
            levels[StandardFields + e] = x is null || y is null ? (byte)0 : x == y ? (byte)1 : Text.JaroWinkler(x, y) >= 0.9 ? (byte)2 : (byte)3;
        }
        // Address lines typed into each other's fields: the same words in the street and text fields together make
        // one address; the lines' own disagreement is then no evidence.
        if (levels[Street] != 1 && a.Street is not null && b.Street is not null && SameAddressWords(a, b))
        {
            levels[Street] = 1;
            for (var e = 0; e < _extras.Count; e++)
            {
                if (_extras[e].Kind == DedupeFieldKind.Text) levels[StandardFields + e] = 0;
            }
        }
    }

    /// <summary>True when the words of the street and the text extra fields together are the same on both sides, as
    /// multisets (each word as often). No lists are made: the totals are equal and every word of a occurs as often in b
    /// as in a, so b holds no other word.</summary>
    private bool SameAddressWords(in PreparedPerson a, in PreparedPerson b)
    {
        if (AddressWordCount(a) != AddressWordCount(b)) return false;
        for (var source = -1; source < _extras.Count; source++)
        {
            if (AddressSource(a, source) is not { } text) continue;
            foreach (var range in text.AsSpan().Split(' '))
            {
                var word = text.AsSpan(range);
                if (Occurrences(a, word) != Occurrences(b, word)) return false;
            }
        }
        return true;
    }

    /// <summary>The street (source −1) or text extra field <paramref name="source"/> of a person, or null.</summary>
    private string? AddressSource(in PreparedPerson p, int source) =>
        source < 0 ? p.Street : _extras[source].Kind == DedupeFieldKind.Text ? p.Extra(source) : null;

    private int AddressWordCount(in PreparedPerson p)
    {
        var n = 0;
        for (var source = -1; source < _extras.Count; source++)
        {
            if (AddressSource(p, source) is { } text) n += text.AsSpan().Count(' ') + 1;
        }
        return n;
    }

    private int Occurrences(in PreparedPerson p, ReadOnlySpan<char> word)
    {
        var n = 0;
        for (var source = -1; source < _extras.Count; source++)
        {
            if (AddressSource(p, source) is not { } text) continue;
            foreach (var range in text.AsSpan().Split(' ')) n += text.AsSpan(range).SequenceEqual(word) ? 1 : 0;
        }
        return n;
    }

    /// <summary>The value of a field as compared exactly and counted for term frequencies (null when missing).</summary>
    public static string? ValueOf(int field, in PreparedPerson r) => field switch
    {
        First => r.First,
        Last => r.Last,
        Birth => r.BirthDate,
        Email => r.Email,
        Phone => r.Phone,
        City => r.City,
        Postcode => r.Postcode,
        Company => r.Company,
        _ => null,
    };

    /// <summary>
    /// A name alone is never enough, however rare: two "Michelle Ulison" with nothing else in common (or nothing else
    /// known) are namesakes as often as one person. Some other field must agree or nearly agree: the person's own
    /// (birth date, e-mail, phone, street, postcode), or the city or the company. The same birth year counts (a
    /// year-only date, or two dates of one year): namesakes share it about once in the span of years the data covers,
    /// and the year's own weight says how much that is (on the historical stand-in, a third of the true pairs that
    /// blocking proposed and the weights refused had the same names and the same year). So does an extra field of kind
    /// text that agrees exactly (an occupation, a building name) or of kind date that agrees as a birth date does (1 or
    /// 2): a fact about the person that the user chose to compare; not a field of kind exact (a gender, a code), whose
    /// few values namesakes share as often as not.
    /// </summary>
    public bool Supported(ReadOnlySpan<byte> levels)
    {
        if (levels[Birth] is 1 or 2 or 3 || levels[Email] is 1 or 2 || levels[Phone] is 1 or 2 || levels[Street] is 1 or 2
            || levels[Postcode] is 1 or 2 || levels[City] is 1 or 2 || levels[Company] is 1 or 2) return true;
        for (var e = 0; e < _extras.Count; e++)
        {
            var level = levels[StandardFields + e];
            if (_extras[e].Kind switch { DedupeFieldKind.Text => level == 1, DedupeFieldKind.Date => level is 1 or 2, _ => false }) return true;
        }
        return false;
    }

    /// <summary>
    /// Whether both records have one of the standard fields <see cref="Supported"/> looks at: otherwise the pair has only
    /// names (and extra fields such as a gender) to go by, which can neither make nor refute a match, and the clustering
    /// rule counts it neither way (<see cref="BlockMatcher.Clusters"/>). A text or date extra field on both sides could
    /// judge the pair too, but measured so it changed nothing that mattered (historical stand-in F1 −0.0002 to
    /// −0.0004 on three seeds), and judged by the standard fields alone the rule is the same with fixed weights.
    /// </summary>
    public static bool Judged(in PreparedPerson a, in PreparedPerson b) =>
        (a.BirthDate is not null && b.BirthDate is not null) || (a.HasEmail && b.HasEmail)
        || (a.HasPhone && b.HasPhone) || (a.Street is not null && b.Street is not null)
        || (a.Postcode is not null && b.Postcode is not null) || (a.City is not null && b.City is not null)
        || (a.Company is not null && b.Company is not null);

    /// <summary>First and last name levels, as given or swapped (typed into each other's fields), whichever agrees more.</summary>
    public static (byte First, byte Last) Names(in PreparedPerson a, in PreparedPerson b)
    {
        var first = NameLevel(a.First, a.FirstCanonical, b.First, b.FirstCanonical);
        var last = NameLevel(a.Last, a.Last, b.Last, b.Last);
        if (first + last > 2 && a.First is not null && a.Last is not null && b.First is not null && b.Last is not null)
        {
            var sf = NameLevel(a.First, a.First, b.Last, b.Last);
            var sl = NameLevel(a.Last, a.Last, b.First, b.First);
            if (sf + sl < first + last) return (sf, sl);
        }
        return Lone(a, b, first, last) ?? Lone(b, a, first, last) ?? (first, last);
    }

    /// <summary>
    /// A record with one name only (a one-word name: "smith" as the first name, no surname) against one with both: the
    /// lone word may stand for either name, so it is also compared with the other record's other name, and counts
    /// there when that agrees better, in that record's field: "alike" (2) at most, never exact, since it was written in
    /// the other field (and the exact level's term frequency would be looked up in the wrong field's values).
    /// </summary>
    private static (byte First, byte Last)? Lone(in PreparedPerson lone, in PreparedPerson full, byte first, byte last)
    {
        if ((lone.First is null) == (lone.Last is null) || full.First is null || full.Last is null) return null;
        if (lone.First is { } name)
        {
            var cross = Math.Max((byte)2, NameLevel(name, name, full.Last, full.Last));
            return cross < first ? ((byte)0, cross) : null;
        }
        var other = Math.Max((byte)2, NameLevel(lone.Last, lone.Last, full.First, full.FirstCanonical));
        return other < last ? (other, (byte)0) : null;
    }

    /// <summary>1 equal; 2 the same formal name (nickname) or Jaro-Winkler ≥ 0.92; 3 an initial of the other or ≥ 0.8; 4 else.</summary>
    public static byte NameLevel(string? a, string? aFormal, string? b, string? bFormal)
    {
        if (a is null || b is null) return 0;
        if (a == b) return 1;
        if (aFormal == bFormal) return 2;
        if ((a.Length == 1 && b[0] == a[0]) || (b.Length == 1 && a[0] == b[0])) return 3;
        var s = Text.JaroWinkler(a, b);
        return s >= 0.92 ? (byte)2 : s >= 0.8 ? (byte)3 : (byte)4;
    }

    public static byte BirthLevel(string? a, string? b) => DateLevel(a, b, yearOnly: true);

    /// <summary>
    /// 1 the same full date; 2 day and month swapped or one digit off; 3 the same year only; 4 two digits off; 5 else.
    /// With <paramref name="yearOnly"/>, a "YYYY0101" date is a year (how year-only dates are stored), not a full date.
    /// </summary>
    private static byte DateLevel(string? a, string? b, bool yearOnly)
    {
        if (a is null || b is null) return 0;
        var aYear = yearOnly && PreparedPerson.YearOnly(a);
        var bYear = yearOnly && PreparedPerson.YearOnly(b);
        if (a == b) return aYear ? (byte)3 : (byte)1;
        var full = !aYear && !bYear;
        if (full)
        {
            if (a.Length == 8 && b.Length == 8 && a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4))
                && a.AsSpan(4, 2).SequenceEqual(b.AsSpan(6, 2)) && a.AsSpan(6, 2).SequenceEqual(b.AsSpan(4, 2))) return 2;
            if (a.Length == b.Length && Mismatches(a, b) == 1) return 2;
        }
        if (a.Length >= 4 && b.Length >= 4 && a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4))) return 3;
        return full && a.Length == b.Length && Mismatches(a, b) == 2 ? (byte)4 : (byte)5;
    }

    /// <summary>Positions at which two strings of one length differ.</summary>
    private static int Mismatches(string a, string b)
    {
        var n = 0;
        for (var i = 0; i < a.Length; i++) n += a[i] != b[i] ? 1 : 0;
        return n;
    }

    public static byte ExactOrOneEdit(string? a, string? b) =>
        a is null || b is null ? (byte)0 : a == b ? (byte)1 : Text.WithinOneEdit(a, b) ? (byte)2 : (byte)3;

    private static byte EmailLevel(in PreparedPerson a, in PreparedPerson b)
    {
        if (!a.HasEmail || !b.HasEmail) return 0;
        if (a.SameEmail(b)) return 1;
        if (PersonScorer.EmailSimilarity(a, b) is >= 0.85) return 2;
        if (a.EmailLocal.SequenceEqual(b.EmailLocal) && Text.JaroWinkler(a.EmailDomain, b.EmailDomain) >= 0.85) return 3;
        return 4;
    }

    /// <summary>1 the same words in any order (lines swapped); 2 Jaro-Winkler ≥ 0.9 or two thirds of the words shared; 3 else.</summary>
    public static byte StreetLevel(string? a, string? b)
    {
        if (a is null || b is null) return 0;
        if (a == b) return 1;
        // Words of a (with repeats) found anywhere in b, without splitting either into strings.
        var (aWords, bWords, shared) = (a.AsSpan().Count(' ') + 1, b.AsSpan().Count(' ') + 1, 0);
        foreach (var range in a.AsSpan().Split(' ')) shared += HasWord(b, a.AsSpan(range)) ? 1 : 0;
        if (shared == aWords && shared == bWords) return 1;
        if (shared * 3 >= 2 * Math.Max(aWords, bWords) || Text.JaroWinkler(a, b) >= 0.9) return 2;
        return 3;
    }

    private static bool HasWord(string text, ReadOnlySpan<char> word)
    {
        foreach (var range in text.AsSpan().Split(' '))
        {
            if (text.AsSpan(range).SequenceEqual(word)) return true;
        }
        return false;
    }

    /// <summary>1 the same company (by id when both have one); 2 names alike (only without ids); 3 else.</summary>
    public static byte CompanyLevel(string? a, string? b)
    {
        if (a is null || b is null) return 0;
        if (a == b) return 1;
        var (aId, bId) = (a[0] == '#', b[0] == '#');
        if (aId != bId) return 0; // an id against a name is no evidence either way
        if (aId) return 3;
        return Text.JaroWinkler(a, b) >= 0.9 ? (byte)2 : (byte)3;
    }
}
