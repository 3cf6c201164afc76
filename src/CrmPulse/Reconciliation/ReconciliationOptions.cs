using CrmPulse.Core.Reconciliation;

namespace CrmPulse.Reconciliation;

/// <summary>
/// One entry of CrmPulse:Reconciliation: two configured sources compared record by record (a migration's old and new
/// systems, or two systems an integration keeps in step).
/// </summary>
public sealed class ReconciliationOptions
{
    /// <summary>The pair's name: the <c>source</c> tag of its samples and issues. Lower-case letters, digits, '-' and
    /// '_'; unique, and not the name of a source. Required.</summary>
    public string? Name { get; set; }

    /// <summary>The old system's source name (e.g. a File source reading the legacy export). Required.</summary>
    public string? Old { get; set; }

    /// <summary>The new system's source name (e.g. the live HubSpot source). Required.</summary>
    public string? New { get; set; }

    /// <summary>When the old system should have stopped receiving data (ISO 8601 with an offset). Records created or
    /// changed in it after this are the delta still to migrate. Optional: without it, no delta KPI.</summary>
    public DateTimeOffset? CutOver { get; set; }

    /// <summary>True for two systems an integration keeps in step (Salesforce ↔ ActiveCampaign, HubSpot ↔ a File export
    /// of the other tool): the pass adds the sync-health KPIs (sync_*) on matched records. Default false (a migration).</summary>
    public bool Sync { get; set; }

    /// <summary>Interval between reconciliation passes. Default 1 hour; at least 10 seconds. A pass is skipped while
    /// either source has never synced.</summary>
    public TimeSpan? Every { get; set; }

    /// <summary>Contacts: default match by email, then the duplicate matcher; compared: email, phone, first_name,
    /// last_name, lifecycle_stage.</summary>
    public ObjectMatchOptions? Contacts { get; set; }

    /// <summary>Companies: default match by domain, then name; compared: name, domain, industry.</summary>
    public ObjectMatchOptions? Companies { get; set; }

    /// <summary>Deals: default match by name; compared: name, amount, stage, close_date.</summary>
    public ObjectMatchOptions? Deals { get; set; }

    public static readonly TimeSpan DefaultEvery = TimeSpan.FromHours(1);

    /// <summary>The object → (options key, default keys, default properties).</summary>
    public static readonly IReadOnlyList<(string Object, string Key, string[] Keys, string[] Properties)> Defaults =
    [
        ("contact", nameof(Contacts), ["email", "duplicate"], ["email", "phone", "first_name", "last_name", "lifecycle_stage"]),
        ("company", nameof(Companies), ["domain", "name"], ["name", "domain", "industry"]),
        ("deal", nameof(Deals), ["name"], ["name", "amount", "stage", "close_date"]),
    ];

    public ObjectMatchOptions? For(string objectType) => objectType switch
    {
        "contact" => Contacts,
        "company" => Companies,
        "deal" => Deals,
        _ => null,
    };

    /// <summary>The validated pair (call after <see cref="ReconciliationChecks"/> found no problem).</summary>
    public ReconciliationPair ToPair()
    {
        var objects = new Dictionary<string, ObjectMatch>(StringComparer.Ordinal);
        foreach (var (obj, _, keys, properties) in Defaults)
        {
            var o = For(obj);
            if (o?.Enabled == false) continue;
            objects[obj] = new ObjectMatch(
                (o?.MatchBy is { Count: > 0 } m ? m : [.. keys]).Select(k => ObjectMatchOptions.ParseKey(k)!.Value).ToList(),
                o?.ExternalIdField,
                (o?.Properties ?? [.. properties]).Select(ObjectMatchOptions.ParseProperty).ToList());
        }
        return new ReconciliationPair(Name!, Old!, New!, CutOver, objects) { Sync = Sync };
    }
}

/// <summary>How one object is matched and compared within a pair.</summary>
public sealed class ObjectMatchOptions
{
    /// <summary>False: the object is not reconciled. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Match keys tried in order: external_id, email (contacts), domain (companies), name (companies, deals),
    /// duplicate (contacts, companies: the duplicate matcher).</summary>
    public List<string>? MatchBy { get; set; }

    /// <summary>With external_id: the new system's field holding the old record's id (a custom field such as
    /// legacy_id, or id when both systems share ids).</summary>
    public string? ExternalIdField { get; set; }

    /// <summary>The properties compared on matched records: "field" (same name in both) or "old_field=new_field".</summary>
    public List<string>? Properties { get; set; }

    public static readonly IReadOnlyList<string> KeyNames = ["external_id", "email", "domain", "name", "duplicate"];

    public static MatchKey? ParseKey(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "external_id" => MatchKey.ExternalId,
        "email" => MatchKey.Email,
        "domain" => MatchKey.Domain,
        "name" => MatchKey.Name,
        "duplicate" => MatchKey.Duplicate,
        _ => null,
    };

    public static PropertyMap ParseProperty(string text)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 ? new PropertyMap(parts[0], parts[1]) : new PropertyMap(parts[0], parts[0]);
    }
}
