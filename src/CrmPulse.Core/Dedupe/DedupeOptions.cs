namespace CrmPulse.Core.Dedupe;

/// <summary>Deduplication settings (configuration: CrmPulse:Sources:N:Dedupe). The defaults are the tuned ones.</summary>
public sealed class DedupeOptions
{
    /// <summary>With the fixed weights (companies; contacts under <see cref="MinRecordsForFit"/> or with
    /// <see cref="DedupeWeights.Fixed"/>), pairs whose match probability is at or above this (0..1] are duplicates. Default 0.8: a total weight of
    /// 11 bits or more (README "Deduplication"). Lower finds more duplicates and more false ones.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Blocks larger than this are too common to compare pairwise (e.g. a shared switchboard number) and are
    /// skipped. Default 50; it bounds the comparisons per record, which keeps the work linear in the records.</summary>
    public int MaxBlockSize { get; set; } = 50;

    /// <summary>In a block larger than <see cref="MaxBlockSize"/>, each record is compared with the next this many of
    /// the block in name order (a sorted neighbourhood) rather than with all of them: the work stays linear, and
    /// "1862-01-01" or a common name still yields its alike pairs. Default 5; 0 skips such blocks.</summary>
    public int LargeBlockWindow { get; set; } = 5;

    /// <summary>Two clusters of two or more records join only when at least this share (0..1) of the pairs between
    /// them that can be judged matched: two pairs of two need two of their four pairs at 0.5 (a record alone joins the
    /// cluster of its match). Default 0.5; 0 is plain connected components, where a chain of look-alikes becomes one
    /// cluster (README "Deduplication" has the trade-off).</summary>
    public double MinLinkShare { get; set; } = 0.5;

    /// <summary>How pairs are weighed: <see cref="DedupeWeights.Fixed"/> (the README's table of weights) or
    /// <see cref="DedupeWeights.Fitted"/> (the default: weights fitted to the data itself, unsupervised, from
    /// <see cref="MinRecordsForFit"/> records on; README "Deduplication").</summary>
    public DedupeWeights Weights { get; set; } = DedupeWeights.Fitted;

    /// <summary>With fitted weights, pairs whose match probability is at or above this (0..1) are duplicates. Default
    /// 0.5, the likelier side: the fitted prior is over all pairs of the input, so the probability is calibrated to its
    /// size (README "Deduplication").</summary>
    public double FittedThreshold { get; set; } = 0.5;

    /// <summary>Fitted weights need this many records (default 1,000); fewer hold too few true pairs for EM to tell them
    /// from look-alikes, and the fixed weights are used.</summary>
    public int MinRecordsForFit { get; set; } = 1000;

    /// <summary>Keep the matcher's state in the store between KPI passes and compare only the records added, changed or
    /// deleted since (the same clusters as a full match; README "Deduplication"). Default true; false matches every
    /// record on every pass. A change of the other settings matches everything again once by itself.</summary>
    public bool Incremental { get; set; } = true;

    /// <summary>Fields compared besides the standard ones: custom-field key (a contact's custom field; in the dedupe
    /// command, the name given to --map) → comparison kind: "exact" (equal or different), "text" (Jaro-Winkler) or
    /// "date" (the birth date's comparison). At most <see cref="MaxExtraFields"/>. Each weighs +1 bit when it agrees
    /// and −2 when it differs (README "Deduplication"); a value missing on either side gives no weight.</summary>
    public Dictionary<string, string> ExtraFields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The most extra fields: each is one more comparison of every candidate pair.</summary>
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
        if (MinLinkShare is < 0 or > 1 || double.IsNaN(MinLinkShare)) yield return $"MinLinkShare must be in [0, 1], was {MinLinkShare}.";
        if (LargeBlockWindow < 0) yield return $"LargeBlockWindow must be 0 or more, was {LargeBlockWindow}.";
        if (FittedThreshold is <= 0 or >= 1 || double.IsNaN(FittedThreshold)) yield return $"FittedThreshold must be in (0, 1), was {FittedThreshold}.";
        if (MinRecordsForFit < 2) yield return $"MinRecordsForFit must be at least 2, was {MinRecordsForFit}.";
        if (!Enum.IsDefined(Weights)) yield return $"Weights must be Fixed or Fitted, was {Weights}.";
        if (MaxBlockSize < 2) yield return $"MaxBlockSize must be at least 2, was {MaxBlockSize}.";
        foreach (var (name, kind) in ExtraFields.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (IsStandard(name)) yield return $"ExtraFields:{name}: '{name}' is compared already (a standard field); extra fields are other custom fields.";
            if (ParseKind(kind) is null) yield return $"ExtraFields:{name} must be exact, text or date, was '{kind}'.";
        }
        if (ExtraFields.Count > MaxExtraFields) yield return $"ExtraFields: at most {MaxExtraFields} extra fields, were {ExtraFields.Count}.";
    }
}

/// <summary>How pairs are weighed (<see cref="DedupeOptions.Weights"/>).</summary>
public enum DedupeWeights
{
    /// <summary>The fixed weights of the README's table (PersonScorer).</summary>
    Fixed,

    /// <summary>Weights fitted to the data by EM, unsupervised (PersonModel), from DedupeOptions.MinRecordsForFit records.</summary>
    Fitted,
}

/// <summary>How an extra field is compared (<see cref="DedupeOptions.ExtraFields"/>).</summary>
public enum DedupeFieldKind
{
    /// <summary>Equal or different (case, spaces and punctuation ignored): gender, a code, a category.</summary>
    Exact,

    /// <summary>By Jaro-Winkler, on the scale of the other text fields: occupation, a building name.</summary>
    Text,

    /// <summary>By its digits, as the birth date: exact; one digit off or day and month swapped counts half-way.</summary>
    Date,
}

/// <summary>An extra field of the comparison: its name and kind.</summary>
public sealed record ExtraField(string Name, DedupeFieldKind Kind);
