namespace CrmPulse.Core.Kpis;

/// <summary>
/// Data-quality settings of a source (configuration: CrmPulse:Sources:N:DataQuality). Objects are "contact",
/// "company", "deal"; field names are the KPI field names (standard ones such as "industry", or custom ones).
/// </summary>
public sealed class DataQualityOptions
{
    /// <summary>Picklist fields whose values are checked for inconsistent spellings. Missing objects use the defaults.</summary>
    public Dictionary<string, List<string>> PicklistFields { get; set; } = [];

    /// <summary>Fields used to segment (segmentation coverage is their fill rate). Missing objects use the defaults.</summary>
    public Dictionary<string, List<string>> SegmentationFields { get; set; } = [];

    /// <summary>A record not modified for this many days is stale. Default 365.</summary>
    public int StaleAfterDays { get; set; } = 365;

    /// <summary>A contact with no activity for this many days counts in contacts_without_activity. Default 180.</summary>
    public int NoActivityDays { get; set; } = 180;

    /// <summary>A custom field filled in fewer than this share of records is unused. Default 0.01 (1 %).</summary>
    public double UnusedBelow { get; set; } = 0.01;

    /// <summary>
    /// The region (ISO 3166-1 alpha-2, e.g. "US", "GB", "DE") whose numbering plan judges a phone written without a
    /// country code ("020 7946 0958"), when the contact has no usable <see cref="PhoneCountryField"/>. Default "US".
    /// </summary>
    public string PhoneRegion { get; set; } = DefaultPhoneRegion;

    /// <summary>
    /// A contact field (standard or custom, e.g. a country code pulled through CustomFields) holding the contact's
    /// ISO 3166-1 alpha-2 country: when filled with a code libphonenumber knows, it replaces <see cref="PhoneRegion"/>
    /// for that contact. Default none.
    /// </summary>
    public string? PhoneCountryField { get; set; }

    public const string DefaultPhoneRegion = "US";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultPicklistFields =
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["contact"] = ["lifecycle_stage", "lead_status"],
            ["company"] = ["industry"],
            ["deal"] = ["stage", "pipeline"],
        };

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultSegmentationFields =
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["contact"] = ["lifecycle_stage"],
            ["company"] = ["industry"],
        };

    public IReadOnlyList<string> PicklistFieldsFor(string objectType) => For(PicklistFields, DefaultPicklistFields, objectType);

    public IReadOnlyList<string> SegmentationFieldsFor(string objectType) => For(SegmentationFields, DefaultSegmentationFields, objectType);

    /// <summary>Problems with these settings, each starting with its key relative to the section ("StaleAfterDays: …").</summary>
    public IEnumerable<string> Validate()
    {
        if (StaleAfterDays < 1) yield return $"StaleAfterDays must be at least 1, was {StaleAfterDays}.";
        if (NoActivityDays < 1) yield return $"NoActivityDays must be at least 1, was {NoActivityDays}.";
        if (UnusedBelow is < 0 or > 1) yield return $"UnusedBelow must be between 0 and 1, was {UnusedBelow}.";
        if (!DataQualityChecks.IsKnownPhoneRegion(PhoneRegion))
            yield return $"PhoneRegion must be an ISO 3166-1 alpha-2 region code in upper case that libphonenumber knows (e.g. US, GB, DE), was '{PhoneRegion}'.";
        if (PhoneCountryField is not null && string.IsNullOrWhiteSpace(PhoneCountryField))
            yield return "PhoneCountryField must name a contact field or be left out.";
        foreach (var p in KpiOptions.CheckObjectFields("PicklistFields", PicklistFields)) yield return p;
        foreach (var p in KpiOptions.CheckObjectFields("SegmentationFields", SegmentationFields)) yield return p;
    }

    private static IReadOnlyList<string> For(Dictionary<string, List<string>> configured,
        IReadOnlyDictionary<string, IReadOnlyList<string>> defaults, string objectType) =>
        configured.TryGetValue(objectType, out var f) ? f : defaults.TryGetValue(objectType, out var d) ? d : [];
}
