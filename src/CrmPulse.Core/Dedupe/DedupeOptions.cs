namespace CrmPulse.Core.Dedupe;

/// <summary>Deduplication settings (configuration: CrmPulse:Sources:N:Dedupe). The defaults are the tuned ones.</summary>
public sealed class DedupeOptions
{
    /// <summary>With the fixed weights (fewer than <see cref="MinRecordsForModel"/> records), pairs whose match
    /// probability is at or above this (0..1] are duplicates. Default 0.8: a total weight of
    /// 11 bits or more (README "Deduplication"). Lower finds more duplicates and more false ones.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>With weights fitted to the data (<see cref="MinRecordsForModel"/> records or more), pairs whose match
    /// probability is at or above this (0..1] are duplicates. Default 0.999: the fitted model takes the fields as
    /// independent, which they are not quite (a duplicate typed from one source agrees on many fields at once), so its
    /// probabilities are more extreme than the fixed weights' (README "Deduplication" has the figures).</summary>
    public double ModelThreshold { get; set; } = 0.999;

    /// <summary>Blocks larger than this are too common to compare pairwise (e.g. a shared switchboard number, a common
    /// birth date): their records are sorted by name code and each is compared with its next MaxBlockSize − 1.
    /// Default 50; it bounds the comparisons per record, which keeps the work linear in the records.</summary>
    public int MaxBlockSize { get; set; } = 50;

    /// <summary>Two clusters join only when at least this share (0..1] of the pairs between them matched. Default 0.5:
    /// a record joins a cluster only by matching half its members, so a chain of look-alikes does not become one
    /// cluster (README "Deduplication"). 0 would be plain connected components.</summary>
    public double MinLinkShare { get; set; } = 0.5;

    /// <summary>From this many records on, the weights are fitted to the data (unsupervised, EM); below it the fixed
    /// weights are used. Default 1,000 (README "Deduplication").</summary>
    public int MinRecordsForModel { get; set; } = 1000;

    /// <summary>Fields compared besides the standard ones: custom-field key (a contact's custom field; in the dedupe
    /// command, the name given to --map) → comparison kind: "exact" (equal or different), "text" (equal, Jaro-Winkler
    /// close, far) or "date" (the birth date's levels). At most <see cref="MaxExtraFields"/>. The fitted model fits their
    /// m and u like the other fields'; the fixed weights give them +1 bit when they agree and −2 when they differ (README
    /// "Deduplication"). A value missing on either side gives no weight.</summary>
    public Dictionary<string, string> ExtraFields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The most extra fields (the fitted model packs 16 fields' levels into one 64-bit pattern; 10 are taken).</summary>
    public const int MaxExtraFields = 6;

    /// <summary>The fields every person has, which an extra field may not repeat.</summary>
    public static readonly IReadOnlyList<string> StandardFields =
        ["first_name", "last_name", "email", "phone", "company", "street", "city", "postcode", "state", "birth_date"];

    /// <summary>The comparison kind named <paramref name="kind"/> (exact, text, date; any case), or null.</summary>
    public static DedupeFieldKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        "exact" => DedupeFieldKind.Exact,
        "text" => DedupeFieldKind.Text,
        "date" => DedupeFieldKind.Date,
        _ => null,
    };

    /// <summary>The valid <see cref="ExtraFields"/>, by name (ordinal), so that a run is repeatable.</summary>
    internal IReadOnlyList<ExtraField> Extras() =>
        ExtraFields.Where(e => ParseKind(e.Value) is not null && !IsStandard(e.Key))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(MaxExtraFields)
            .Select(e => new ExtraField(e.Key, ParseKind(e.Value)!.Value))
            .ToList();

    private static bool IsStandard(string name) => StandardFields.Contains(name.Trim().ToLowerInvariant());

    /// <summary>The problems of these settings, one sentence each (none when valid).</summary>
    public IEnumerable<string> Validate()
    {
        if (Threshold is <= 0 or > 1) yield return $"Threshold must be in (0, 1], was {Threshold}.";
        if (ModelThreshold is <= 0 or > 1) yield return $"ModelThreshold must be in (0, 1], was {ModelThreshold}.";
        if (MinLinkShare is < 0 or > 1) yield return $"MinLinkShare must be in [0, 1], was {MinLinkShare}.";
        if (MinRecordsForModel < 2) yield return $"MinRecordsForModel must be at least 2, was {MinRecordsForModel}.";
        if (MaxBlockSize < 2) yield return $"MaxBlockSize must be at least 2, was {MaxBlockSize}.";
        foreach (var (name, kind) in ExtraFields.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (IsStandard(name)) yield return $"ExtraFields:{name}: '{name}' is compared already (a standard field); extra fields are other custom fields.";
            if (ParseKind(kind) is null) yield return $"ExtraFields:{name} must be exact, text or date, was '{kind}'.";
        }
        if (ExtraFields.Count > MaxExtraFields) yield return $"ExtraFields: at most {MaxExtraFields} extra fields, were {ExtraFields.Count}.";
    }
}

/// <summary>How an extra field is compared (<see cref="DedupeOptions.ExtraFields"/>).</summary>
public enum DedupeFieldKind
{
    /// <summary>Equal or different (case, spaces and punctuation ignored): gender, a code, a category.</summary>
    Exact,

    /// <summary>Equal, Jaro-Winkler ≥ 0.9, or far: occupation, a free-text field.</summary>
    Text,

    /// <summary>By its digits, with the birth date's levels (exact; day and month swapped or one digit off; same year; two digits off; else).</summary>
    Date,
}

/// <summary>An extra field of the comparison: its name and kind.</summary>
public sealed record ExtraField(string Name, DedupeFieldKind Kind);
