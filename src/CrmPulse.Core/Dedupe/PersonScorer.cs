namespace CrmPulse.Core.Dedupe;

/// <summary>
/// The pairwise comparison of two people, in the Fellegi-Sunter style: each field present on both sides adds its
/// agreement weight (log2 of how much likelier the agreement is for the same person than for two people), or its
/// disagreement weight (negative) when it differs; a near match (typo, nickname, one slipped digit) adds part of the
/// way between the two. A field missing on either side adds nothing. The total W becomes a match probability
/// 1 / (1 + 2^(Offset − W)).
/// </summary>
internal static class PersonScorer
{
    // (agreement, disagreement) weights in bits. The README's "Deduplication" section lists the same table.
    public static readonly (double Agree, double Disagree) FirstName = (4, -3);
    public static readonly (double Agree, double Disagree) LastName = (6, -4);
    public static readonly (double Agree, double Disagree) Email = (10, -2);
    public static readonly (double Agree, double Disagree) Phone = (9, -2);
    public static readonly (double Agree, double Disagree) BirthDate = (7, -5);
    /// <summary>The birth year alone, when either date is a year-only placeholder (<see cref="PreparedPerson.YearOnly"/>):
    /// many people share a year, so it weighs less than a full date.</summary>
    public static readonly (double Agree, double Disagree) BirthYear = (3, -3);
    public static readonly (double Agree, double Disagree) Street = (5, -2);
    public static readonly (double Agree, double Disagree) City = (2, -1);
    public static readonly (double Agree, double Disagree) Postcode = (3, -1.5);
    public static readonly (double Agree, double Disagree) State = (0.5, -1);
    public static readonly (double Agree, double Disagree) Company = (2, -1);

    /// <summary>Each extra field (<see cref="DedupeOptions.ExtraFields"/>): a difference counts more than an agreement
    /// ("male"/"female", two occupations tell two people apart; agreeing on them is common among strangers). Text by
    /// Jaro-Winkler; a date one keystroke off or with day and month swapped counts half-way.</summary>
    public static readonly (double Agree, double Disagree) Extra = (1, -2);

    /// <summary>The prior: W at which a pair is even odds (probability 0.5). The default threshold 0.8 needs W ≥ 11:
    /// more than an exact first and last name alone (10 bits), so a name needs one more agreeing field.</summary>
    public const double Offset = 9;

    /// <summary>Similarity (0..1) to the share of the agreement weight: 0 at 0.75 or less, all of it at 0.95 or more.</summary>
    private static double Level(double similarity) =>
        // Rounded so that 0.85 is exactly half-way: (0.85 − 0.75) / 0.2 is 0.49999999999999994 in binary.
        Math.Round(Math.Clamp((similarity - 0.75) / 0.2, 0, 1), 9);

    private static double Weigh((double Agree, double Disagree) w, double similarity) =>
        w.Disagree + (w.Agree - w.Disagree) * Level(similarity);

    /// <summary>The match probability of a pair (0..1).</summary>
    public static double Score(in PreparedPerson a, in PreparedPerson b, IReadOnlyList<ExtraField>? extras = null) =>
        Probability(Weight(a, b, null, double.NegativeInfinity, extras ?? []));

    /// <summary>
    /// The match probability of a pair when it can reach <paramref name="threshold"/>; otherwise some value below it.
    /// Most candidates are strangers who share a blocking key, and the cheap fields already show that even full
    /// agreement on the names, street, city and company could not lift them to the threshold.
    /// </summary>
    public static double Score(in PreparedPerson a, in PreparedPerson b, double threshold, IReadOnlyList<ExtraField>? extras = null) =>
        Probability(Weight(a, b, null, Offset + Math.Log2(threshold / (1 - threshold)), extras ?? []));

    public static double Probability(double w) => 1 / (1 + Math.Pow(2, Offset - w));

    /// <summary>Why the pair matched: the fields that agreed, strongest evidence first ("e-mail + phone + name").</summary>
    public static string Reason(in PreparedPerson a, in PreparedPerson b, IReadOnlyList<ExtraField>? extras = null)
    {
        var parts = new List<string>();
        Weight(a, b, parts, double.NegativeInfinity, extras ?? []);
        return parts.Count == 0 ? "overall similarity" : string.Join(" + ", parts);
    }

    /// <summary>
    /// The total weight W; names the agreeing fields into <paramref name="reasons"/> when given. Stops early with an
    /// upper bound of W when that bound is below <paramref name="needed"/>.
    /// </summary>
    private static double Weight(in PreparedPerson a, in PreparedPerson b, List<string>? reasons, double needed, IReadOnlyList<ExtraField> extras)
    {
        // The cheap fields first: exact or one-edit comparisons.
        var w = 0.0;
        double? email = null;
        string? emailReason = null, phoneReason = null, birthReason = null, nameReason = null;
        var address = false;
        if (a.HasEmail && b.HasEmail && (a.SameEmail(b) ? 1 : EmailSimilarity(a, b)) is { } mail)
        {
            email = Weigh(Email, mail);
            w += email.Value;
            if (mail >= 0.95) emailReason = mail == 1 ? "same e-mail" : "similar e-mail";
        }
        if (a.HasPhone && b.HasPhone)
        {
            var s = a.SamePhone(b) ? 1 : Text.WithinOneEdit(a.PhoneDigits(stackalloc char[9]), b.PhoneDigits(stackalloc char[9])) ? 0.85 : 0;
            w += Weigh(Phone, s);
            if (s == 1) phoneReason = "same phone";
        }
        if (a.BirthDate is not null && b.BirthDate is not null)
        {
            if (PreparedPerson.YearOnly(a.BirthDate) || PreparedPerson.YearOnly(b.BirthDate))
            {
                // "1831-01-01" says 1831, not the first of January: twice that date is the same year, no more.
                var sameYear = a.BirthDate.AsSpan(0, 4).SequenceEqual(b.BirthDate.AsSpan(0, 4));
                w += sameYear ? BirthYear.Agree : BirthYear.Disagree;
                if (sameYear) birthReason = "birth year";
            }
            else
            {
                var s = a.BirthDate == b.BirthDate ? 1 : NearDate(a.BirthDate, b.BirthDate) ? 0.85 : 0;
                w += Weigh(BirthDate, s);
                if (s >= 0.85) birthReason = "birth date";
            }
        }
        if (a.Postcode is not null && b.Postcode is not null)
        {
            var s = a.Postcode == b.Postcode ? 1 : Text.WithinOneEdit(a.Postcode, b.Postcode) ? 0.85 : 0;
            w += Weigh(Postcode, s);
            address |= s == 1;
        }
        if (a.State is not null && b.State is not null) w += Weigh(State, a.State == b.State ? 1 : 0);
        List<string>? extraReasons = null;
        for (var e = 0; e < extras.Count; e++)
        {
            if (a.Extra(e) is not { } x || b.Extra(e) is not { } y) continue;
            var s = extras[e].Kind switch
            {
                DedupeFieldKind.Text => x == y ? 1 : Text.JaroWinkler(x, y),
                DedupeFieldKind.Date => x == y ? 1 : NearDate(x, y) ? 0.85 : 0,
                _ => x == y ? 1 : 0,
            };
            w += Weigh(Extra, s);
            if (s >= 0.85) (extraReasons ??= []).Add(extras[e].Name);
        }

        // The Jaro-Winkler fields can add at most their agreement weights: skip them when even that falls short.
        var upper = w
            + ((a.First ?? a.Last) is not null && (b.First ?? b.Last) is not null ? FirstName.Agree + LastName.Agree : 0)
            + (a.Street is not null && b.Street is not null ? Street.Agree : 0)
            + (a.City is not null && b.City is not null ? City.Agree : 0)
            + (a.Company is not null && b.Company is not null ? Company.Agree : 0);
        if (upper < needed) return upper;

        var (names, nameText, namesDiffer) = Names(a, b);
        w += names;
        nameReason = nameText;
        // An e-mail built from the name repeats the name's difference ("emily.treson@", "emily.treison@"): when the
        // names differ, a differing user name is no evidence for the pair.
        if (email > 0 && namesDiffer && !a.EmailLocal.SequenceEqual(b.EmailLocal))
        {
            w -= email.Value;
            emailReason = null;
        }
        if (Similarity(a.Street, b.Street) is { } street) { w += Weigh(Street, street); address |= street >= 0.85; }
        if (Similarity(a.City, b.City) is { } city) { w += Weigh(City, city); address |= city >= 0.85; }
        string? companyReason = null;
        if (CompanySimilarity(a.Company, b.Company) is { } company)
        {
            w += Weigh(Company, company);
            if (company >= 0.85) companyReason = "company";
        }
        if (reasons is not null)
        {
            foreach (var r in new[] { emailReason, phoneReason, nameReason, birthReason, address ? "address" : null, companyReason })
            {
                if (r is not null) reasons.Add(r);
            }
            if (extraReasons is not null) reasons.AddRange(extraReasons);
        }
        return w;
    }

    /// <summary>First and last name, in the given order or swapped (typed into each other's fields), whichever agrees
    /// better: their weight, the reason to give, and whether they differ at all.</summary>
    private static (double Weight, string? Reason, bool Differ) Names(in PreparedPerson a, in PreparedPerson b)
    {
        var f = FirstSimilarity(a.First, a.FirstCanonical, b.First, b.FirstCanonical);
        var l = Similarity(a.Last, b.Last);
        var direct = (f is null ? 0 : Weigh(FirstName, f.Value)) + (l is null ? 0 : Weigh(LastName, l.Value));
        if (f is not 1 || l is not 1)
        {
            var (sf, sl) = (Similarity(a.First, b.Last), Similarity(a.Last, b.First));
            if (sf is not null && sl is not null && Weigh(FirstName, sf.Value) + Weigh(LastName, sl.Value) is var swapped && swapped > direct)
            {
                return (swapped, sf >= 0.85 && sl >= 0.85 ? "swapped names" : null, sf < 1 || sl < 1);
            }
        }
        var reason = f >= 0.85 && l >= 0.85 ? (f == 1 && l == 1 ? "same name" : "similar name") : l >= 0.85 ? "last name" : null;
        return (direct, reason, f < 1 || l < 1);
    }

    private static double? Similarity(string? a, string? b) => a is null || b is null ? null : Text.JaroWinkler(a, b);

    /// <summary>Company ids ("#co-17") when both sides have one: equal or not. Names by Jaro-Winkler when neither has
    /// one. An id against a name is no evidence either way (missing).</summary>
    private static double? CompanySimilarity(string? a, string? b) =>
        a is null || b is null ? null
        : a[0] == '#' && b[0] == '#' ? (a == b ? 1 : 0)
        : a[0] == '#' || b[0] == '#' ? null
        : Text.JaroWinkler(a, b);

    /// <summary>First names: equal, the same formal name ("bob", "robert"), an initial of the other, or Jaro-Winkler.</summary>
    private static double? FirstSimilarity(string? a, string? aFormal, string? b, string? bFormal)
    {
        if (a is null || b is null) return null;
        if (a == b) return 1;
        if (aFormal == bFormal) return 0.95;
        // "j" and "john": consistent, but weaker than the full name.
        if ((a.Length == 1 && b[0] == a[0]) || (b.Length == 1 && a[0] == b[0])) return 0.85;
        return Text.JaroWinkler(a, b);
    }

    /// <summary>
    /// E-mails that differ. At one domain: a typo in the user name, by Jaro-Winkler held to a stricter scale
    /// (jane.smith@ and john.smith@ at one company are 0.94 alike and two people); john.smith@, john.smith2@ and johnsmith7@
    /// are how a mail system tells John Smiths apart, not typos. At two domains: only the same user name at a domain one
    /// keystroke off counts ("acme.com", "acne.com"; "goldenline…" and "goldenwind…" are two companies); "first.last" at another provider merely repeats the name.
    /// Otherwise, when either domain is a personal mail provider (<see cref="PersonalMail"/>), the two are no evidence either
    /// way (null): one person keeps a work and a personal address, so a second mailbox says no more against the pair than
    /// a missing e-mail does. Two company domains that differ still count against it (two employers' addresses).
    /// </summary>
    internal static double? EmailSimilarity(in PreparedPerson a, in PreparedPerson b)
    {
        if (a.EmailDomain.SequenceEqual(b.EmailDomain))
        {
            if (SameLetters(a.EmailLocal, b.EmailLocal)) return 0;
            return 0.75 + 0.2 * Math.Clamp((Text.JaroWinkler(a.EmailLocal, b.EmailLocal) - 0.9) / 0.08, 0, 1);
        }
        if (a.EmailLocal.SequenceEqual(b.EmailLocal) && Text.WithinOneEdit(a.EmailDomain, b.EmailDomain)) return 0.95;
        return PersonalMail.Contains(a.EmailDomain) || PersonalMail.Contains(b.EmailDomain) ? null : 0;
    }

    /// <summary>Providers of personal mailboxes: an address there sits beside a work address of the same person.</summary>
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> PersonalMail = new HashSet<string>(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "outlook.com",
        "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
        "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "t-online.de", "mail.com", "yandex.ru",
        "mail.ru", "qq.com", "163.com", "zoho.com", "fastmail.com", "orange.fr", "free.fr", "btinternet.com", "comcast.net",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when the two texts have the same letters once digits and punctuation are left out.</summary>
    private static bool SameLetters(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && !char.IsLetter(a[i])) i++;
            while (j < b.Length && !char.IsLetter(b[j])) j++;
            if (i == a.Length || j == b.Length) return i == a.Length && j == b.Length;
            if (a[i++] != b[j++]) return false;
        }
    }

    /// <summary>Dates one keystroke apart, or with day and month swapped (YYYYMMDD or YYYYDDMM).</summary>
    private static bool NearDate(string a, string b)
    {
        if (Text.WithinOneEdit(a, b)) return true;
        return a.Length == 8 && b.Length == 8 && a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4))
               && a.AsSpan(4, 2).SequenceEqual(b.AsSpan(6, 2)) && a.AsSpan(6, 2).SequenceEqual(b.AsSpan(4, 2));
    }
}
