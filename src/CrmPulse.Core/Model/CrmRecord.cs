namespace CrmPulse.Core.Model;

/// <summary>
/// What contacts, companies and deals share: an id, an owner, timestamps, and fields that can be read by name
/// (the data-quality KPIs check fill rates of configured fields, standard or custom, through <see cref="GetField"/>).
/// </summary>
public abstract record CrmRecord
{
    /// <summary>The CRM's id.</summary>
    public required string Id { get; init; }

    /// <summary>Owning user id, or null when unowned.</summary>
    public string? OwnerId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Custom (or other non-modelled) fields by their configured name; values as text, null when unset.</summary>
    public IReadOnlyDictionary<string, string?> Custom { get; init; } = EmptyFields;

    /// <summary>The object kind as it appears in KPI dimensions: "contact", "company" or "deal".</summary>
    public abstract string ObjectType { get; }

    /// <summary>
    /// The value of a field by its snake_case name (see each record's list of standard fields), falling back to
    /// <see cref="Custom"/>. Returns null when the record has no such field or it is unset.
    /// </summary>
    public string? GetField(string name)
    {
        var value = name switch
        {
            "id" => Id,
            "owner" => OwnerId,
            _ => GetStandardField(name, out var found) is var v && found ? v : Custom.GetValueOrDefault(name),
        };
        return value;
    }

    /// <summary>Reads one of the record's own standard fields; sets <paramref name="found"/> false when the name is not one of them.</summary>
    protected abstract string? GetStandardField(string name, out bool found);

    /// <summary>True when a value is present: not null, not empty, not only white space.</summary>
    public static bool IsFilled(string? value) => !string.IsNullOrWhiteSpace(value);

    internal static readonly IReadOnlyDictionary<string, string?> EmptyFields =
        new Dictionary<string, string?>(StringComparer.Ordinal);
}
