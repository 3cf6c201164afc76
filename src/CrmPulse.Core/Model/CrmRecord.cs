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

    /// <summary>
    /// Records are equal when their members are; <see cref="Custom"/> compares by value (the same keys, in the same
    /// order, with the same values, ordinally), not by reference as a record would compare a dictionary: the columnar
    /// snapshot (<see cref="CustomColumns"/>) makes a new dictionary each time a row is read, and a record read back
    /// from the columns or a store is the record that was added.
    /// </summary>
    public virtual bool Equals(CrmRecord? other) =>
        ReferenceEquals(this, other)
        || other is not null && EqualityContract == other.EqualityContract && Id == other.Id && OwnerId == other.OwnerId
        && CreatedAt.Equals(other.CreatedAt) && ModifiedAt.Equals(other.ModifiedAt) && SameFields(Custom, other.Custom);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(EqualityContract);
        hash.Add(Id);
        hash.Add(OwnerId);
        hash.Add(CreatedAt);
        hash.Add(ModifiedAt);
        foreach (var (key, value) in Custom)
        {
            hash.Add(key);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    private static bool SameFields(IReadOnlyDictionary<string, string?> a, IReadOnlyDictionary<string, string?> b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        using var other = b.GetEnumerator();
        foreach (var (key, value) in a)
        {
            if (!other.MoveNext() || other.Current.Key != key || other.Current.Value != value) return false;
        }
        return !other.MoveNext();
    }

    internal static readonly IReadOnlyDictionary<string, string?> EmptyFields =
        new Dictionary<string, string?>(StringComparer.Ordinal);
}
