namespace CrmPulse.Core.Kpis;

/// <summary>Per-source options of the KPI engine (bound from the source's configuration).</summary>
public sealed class KpiOptions
{
    /// <summary>User ids or e-mails that are integration/API users: never counted as humans.</summary>
    public IReadOnlyCollection<string> ExcludeUsers { get; init; } = [];

    /// <summary>Monitored fields per object ("contact", "company", "deal"). Missing objects use <see cref="DefaultRequiredFields"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> RequiredFields { get; init; } = DefaultRequiredFields;

    /// <summary>A licensed user is an active contributor with at least this many activities in 7 days.</summary>
    public int ContributorMinActivities { get; init; } = 3;

    /// <summary>The team dimension for users who have none.</summary>
    public const string NoTeam = "unassigned";

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
}
