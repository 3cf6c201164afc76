using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Kpis;

/// <summary>Per-source options of the KPI engine (bound from the source's configuration).</summary>
public sealed class KpiOptions
{
    /// <summary>User ids or e-mails that are integration/API users: never counted as humans.</summary>
    public IReadOnlyCollection<string> ExcludeUsers { get; init; } = [];

    /// <summary>Monitored fields per object ("contact", "company", "deal"). Missing objects use <see cref="DefaultRequiredFields"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredFields { get; init; } = DefaultRequiredFields;

    /// <summary>
    /// Custom fields per object that the source pulls and the data-quality KPIs watch (fill rate, unused below
    /// <see cref="DataQualityOptions.UnusedBelow"/>). Read through <see cref="Model.CrmRecord.Custom"/>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> CustomFields { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A licensed user is an active contributor with at least this many activities in 7 days.</summary>
    public int ContributorMinActivities { get; init; } = 3;

    public DataQualityOptions DataQuality { get; init; } = new();

    public PipelineOptions Pipeline { get; init; } = new();

    public OutcomeOptions Outcomes { get; init; } = new();

    /// <summary>Licence waste and access review: cost per seat, HR roster.</summary>
    public LicenceOptions Licences { get; init; } = new();

    public DedupeOptions Dedupe { get; init; } = new();

    /// <summary>Integrations recognised by a field on the records they write (from CrmPulse:Integrations).</summary>
    public IReadOnlyList<IntegrationFieldRule> Integrations { get; init; } = [];

    /// <summary>The team dimension for users who have none.</summary>
    public const string NoTeam = "unassigned";

    /// <summary>The objects that have monitored fields.</summary>
    public static readonly IReadOnlyList<string> Objects = ["contact", "company", "deal"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> DefaultRequiredFields =
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["contact"] = ["email", "phone", "lifecycle_stage", "owner", "company"],
            ["company"] = ["domain", "industry", "owner"],
            ["deal"] = ["amount", "close_date", "stage", "owner"],
        };

    /// <summary>The monitored fields of an object: the configured list, or the default one.</summary>
    public IReadOnlyList<string> FieldsFor(string objectType) =>
        RequiredFields.TryGetValue(objectType, out var f) ? f
        : DefaultRequiredFields.TryGetValue(objectType, out var d) ? d : [];

    /// <summary>The custom fields watched on an object (none by default).</summary>
    public IReadOnlyList<string> CustomFieldsFor(string objectType) =>
        CustomFields.TryGetValue(objectType, out var f) ? f : [];

    /// <summary>Checks a per-object field map: known objects, no empty names. Messages start with <paramref name="key"/>.</summary>
    public static IEnumerable<string> CheckObjectFields(string key, IReadOnlyDictionary<string, List<string>> map)
    {
        foreach (var (obj, fields) in map)
        {
            if (!Objects.Contains(obj)) yield return $"{key}:{obj}: unknown object (known: {string.Join(", ", Objects)}).";
            if (fields.Any(string.IsNullOrWhiteSpace)) yield return $"{key}:{obj}: field names must not be empty.";
        }
    }
}
