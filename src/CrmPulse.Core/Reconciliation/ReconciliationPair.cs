namespace CrmPulse.Core.Reconciliation;

/// <summary>
/// Two configured sources compared record by record: the old system (for example the legacy CRM's export read by a
/// File source) and the new one (the live HubSpot or Salesforce source). Both are mirrored as usual; the pair only reads
/// their mirrors.
/// </summary>
/// <param name="Name">The pair's name: the <c>source</c> tag of its samples and issues (it must not be a source's name).</param>
/// <param name="OldSource">The old system's source name.</param>
/// <param name="NewSource">The new system's source name.</param>
/// <param name="CutOver">When the old system should have stopped receiving data; records created or changed in it
/// after this time are the delta still to migrate. Null: no delta KPI.</param>
/// <param name="Objects">How each reconciled object ("contact", "company", "deal") is matched and which properties are
/// compared; an object left out is not reconciled.</param>
public sealed record ReconciliationPair(
    string Name,
    string OldSource,
    string NewSource,
    DateTimeOffset? CutOver,
    IReadOnlyDictionary<string, ObjectMatch> Objects)
{
    /// <summary>True for two systems an integration keeps in step (not a one-off migration): the pass adds the sync-health
    /// KPIs (<see cref="SyncHealth"/>) on the matched records.</summary>
    public bool Sync { get; init; }
}

/// <summary>How the records of one object are matched across the pair, and the properties compared on matched records.</summary>
/// <param name="Keys">The match keys, tried in order: a record matched by an earlier key is not matched again.</param>
/// <param name="ExternalIdField">For <see cref="MatchKey.ExternalId"/>: the new system's field holding the old record's id
/// (e.g. a custom <c>legacy_id</c>; <c>id</c> when both systems share ids).</param>
/// <param name="Properties">The compared properties: old field name → new field name (as <see cref="Model.CrmRecord.GetField"/> reads them).</param>
public sealed record ObjectMatch(IReadOnlyList<MatchKey> Keys, string? ExternalIdField, IReadOnlyList<PropertyMap> Properties);

/// <summary>A compared property: its name in the old system and in the new one.</summary>
public sealed record PropertyMap(string Old, string New);

/// <summary>The keys records are matched on.</summary>
public enum MatchKey
{
    /// <summary>The new record's <see cref="ObjectMatch.ExternalIdField"/> equals the old record's id.</summary>
    ExternalId,

    /// <summary>Contacts: the same e-mail (trimmed, case-insensitive).</summary>
    Email,

    /// <summary>Companies: the same web domain (case-insensitive, without scheme, "www." and path).</summary>
    Domain,

    /// <summary>Companies and deals: the same name (case-insensitive, runs of white space as one space).</summary>
    Name,

    /// <summary>Contacts and companies: the duplicate matcher (Dedupe) finds the two records to be the same one.</summary>
    Duplicate,
}
