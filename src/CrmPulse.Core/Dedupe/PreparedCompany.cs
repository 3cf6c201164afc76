using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// A company normalized for matching, with its blocking keys and the pairwise comparison (same weighing as
/// <see cref="PersonScorer"/>: agreement and disagreement weights in bits, probability 1 / (1 + 2^(9 − W))).
/// </summary>
/// <remarks>Phone, city and postcode come from the custom fields "phone", "city" and "postcode" when present.</remarks>
internal sealed class PreparedCompany
{
    public static readonly (double Agree, double Disagree) NameWeight = (7, -5);
    public static readonly (double Agree, double Disagree) DomainWeight = (8, -3);
    public static readonly (double Agree, double Disagree) PhoneWeight = (6, -1);
    public static readonly (double Agree, double Disagree) CityWeight = (1, -1);
    public static readonly (double Agree, double Disagree) PostcodeWeight = (2, -1);

    public PreparedCompany(Company c)
        : this(c.Id, c.CreatedAt, c.ParentId, CompanyNames.Normalize(c.Name), CompanyNames.Domain(c.Domain),
            c.Custom.GetValueOrDefault("phone"), c.Custom.GetValueOrDefault("city"),
            c.Custom.GetValueOrDefault("postcode") ?? c.Custom.GetValueOrDefault("postal_code"))
    {
    }

    /// <summary>A company from its fields, <paramref name="name"/> and <paramref name="domain"/> already normalized
    /// (<see cref="CompanyNames"/>), the custom fields' phone, city and postcode (or postal code) raw: what
    /// <see cref="CompanyInputs"/> reads from the columns.</summary>
    public PreparedCompany(string id, DateTimeOffset createdAt, string? parentId, string? name, string? domain,
        string? phone, string? city, string? postcode)
    {
        Id = id;
        CreatedAt = createdAt;
        ParentId = parentId;
        Name = name;
        Domain = domain;
        Phone = PhoneDigits(phone);
        City = Text.Words(city);
        // The words without their spaces: "SW1A 1AA" → "sw1a1aa".
        Postcode = Text.Normalized(postcode, Text.CompactWordsInto);
    }

    public string Id { get; }
    public DateTimeOffset CreatedAt { get; }
    public string? ParentId { get; }
    public string? Name { get; }
    public string? Domain { get; }
    public string? Phone { get; }
    public string? City { get; }
    public string? Postcode { get; }

    /// <summary>The last nine of the phone's digits, or null when it has fewer than seven.</summary>
    private static string? PhoneDigits(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return null;
        Span<char> buffer = phone.Length <= 256 ? stackalloc char[phone.Length] : new char[phone.Length];
        var n = Text.DigitsInto(phone, buffer);
        return n < 7 ? null : new string(buffer[Math.Max(0, n - 9)..n]);
    }

    /// <summary>The most keys <see cref="AddKeys"/> writes.</summary>
    public const int MaxKeys = 4;

    /// <summary>Blocking keys: the domain, the normalized name, the phone digits, and the first word's Soundex code
    /// with the city or postcode.</summary>
    /// <returns>How many keys were written (at most <see cref="MaxKeys"/>).</returns>
    public int AddKeys(Span<long> keys)
    {
        var n = 0;
        if (Domain is not null) keys[n++] = Text.KeyHash('d', Domain);
        if (Name is not null) keys[n++] = Text.KeyHash('n', Name);
        if (Phone is not null) keys[n++] = Text.KeyHash('p', Phone);
        if (Name is not null && (City ?? Postcode) is { } place)
        {
            // The code is made here, not kept: only companies with a city or postcode need it, and only for this key.
            Span<char> soundex = stackalloc char[4];
            var firstWord = Name.AsSpan();
            if (firstWord.IndexOf(' ') is var space and >= 0) firstWord = firstWord[..space];
            if (Text.Soundex(firstWord, soundex)) keys[n++] = Text.KeyHash('s', soundex, place);
        }
        return n;
    }

    /// <summary>The match probability of two companies (the threshold is not needed: companies are few and cheap).</summary>
    public static double Score(in PreparedCompany a, in PreparedCompany b, double threshold) => Score(a, b);

    /// <summary>The match probability of two companies (0 for a parent and its child: related, not duplicates).</summary>
    public static double Score(PreparedCompany a, PreparedCompany b) =>
        a.ParentId == b.Id || b.ParentId == a.Id ? 0 : PersonScorer.Probability(Weight(a, b, null));

    /// <summary>The fields that agreed ("same domain + same name").</summary>
    public static string Reason(in PreparedCompany a, in PreparedCompany b)
    {
        var parts = new List<string>();
        Weight(a, b, parts);
        return parts.Count == 0 ? "overall similarity" : string.Join(" + ", parts);
    }

    private static double Weight(PreparedCompany a, PreparedCompany b, List<string>? reasons)
    {
        var w = 0.0;
        if (a.Domain is not null && b.Domain is not null)
        {
            var same = a.Domain == b.Domain;
            w += same ? DomainWeight.Agree : DomainWeight.Disagree;
            if (same) reasons?.Add("same domain");
        }
        if (a.Name is not null && b.Name is not null)
        {
            var s = a.Name == b.Name ? 1 : Text.JaroWinkler(a.Name, b.Name);
            w += Weigh(NameWeight, s);
            if (s >= 0.85) reasons?.Add(s == 1 ? "same name" : "similar name");
        }
        if (a.Phone is not null && b.Phone is not null)
        {
            var same = a.Phone == b.Phone;
            w += same ? PhoneWeight.Agree : PhoneWeight.Disagree;
            if (same) reasons?.Add("same phone");
        }
        if (a.City is not null && b.City is not null) w += Weigh(CityWeight, Text.JaroWinkler(a.City, b.City));
        if (a.Postcode is not null && b.Postcode is not null) w += a.Postcode == b.Postcode ? PostcodeWeight.Agree : PostcodeWeight.Disagree;
        return w;
    }

    private static double Weigh((double Agree, double Disagree) w, double similarity) =>
        w.Disagree + (w.Agree - w.Disagree) * Math.Clamp((similarity - 0.75) / 0.2, 0, 1);
}
