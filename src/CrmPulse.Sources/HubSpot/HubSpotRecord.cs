using System.Text.Json;

namespace CrmPulse.Sources.HubSpot;

/// <summary>One CRM object as HubSpot returns it: id, string-or-null properties, archive state, inline associations.</summary>
internal sealed class HubSpotRecord
{
    public required string Id { get; init; }

    public Dictionary<string, string?> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>The record's "createdAt" member: its creation when the create-date property was not sent.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public bool Archived { get; init; }

    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>True when the record came with an "associations" member (the list endpoint honoured associations=).</summary>
    public bool HasInlineAssociations { get; init; }

    /// <summary>Associated ids per target type ("companies", "contacts", "deals"), primary first when labelled so.</summary>
    public Dictionary<string, List<string>> Associations { get; } = new(StringComparer.Ordinal);

    /// <summary>The parent company by the company→company association (read by v4 batch); wins over hs_parent_company_id.</summary>
    public string? AssociatedParentId { get; set; }

    /// <summary>Reads one element of a "results" array; throws <see cref="JsonException"/> naming what is missing.</summary>
    public static HubSpotRecord Read(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new JsonException("a result is not an object");
        var id = e.TryGetProperty("id", out var idElement) ? HubSpotValues.IdText(idElement) : null;
        // hs_object_id is the same id as a property (always sent); a server that leaves "id" out still names the record.
        if (string.IsNullOrEmpty(id) && e.TryGetProperty("properties", out var p0) && p0.ValueKind == JsonValueKind.Object &&
            p0.TryGetProperty("hs_object_id", out var objectId))
            id = HubSpotValues.IdText(objectId);
        if (string.IsNullOrEmpty(id)) throw new JsonException("a result has no id");
        var record = new HubSpotRecord
        {
            Id = id,
            CreatedAt = e.TryGetProperty("createdAt", out var c) && c.ValueKind == JsonValueKind.String ? HubSpotValues.DateTime(c.GetString()) : null,
            UpdatedAt = e.TryGetProperty("updatedAt", out var u) && u.ValueKind == JsonValueKind.String ? HubSpotValues.DateTime(u.GetString()) : null,
            Archived = e.TryGetProperty("archived", out var a) && a.ValueKind == JsonValueKind.True,
            ArchivedAt = e.TryGetProperty("archivedAt", out var aa) && aa.ValueKind == JsonValueKind.String ? HubSpotValues.DateTime(aa.GetString()) : null,
            HasInlineAssociations = e.TryGetProperty("associations", out var inline) && inline.ValueKind == JsonValueKind.Object,
        };
        if (e.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in props.EnumerateObject())
            {
                record.Properties[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Null => null,
                    // Documented as strings; tolerate a raw number or boolean rather than fail the page.
                    _ => p.Value.GetRawText(),
                };
            }
        }
        if (e.TryGetProperty("associations", out var assoc) && assoc.ValueKind == JsonValueKind.Object)
        {
            foreach (var target in assoc.EnumerateObject())
            {
                if (target.Value.ValueKind != JsonValueKind.Object || !target.Value.TryGetProperty("results", out var list) ||
                    list.ValueKind != JsonValueKind.Array) continue;
                var ids = new List<string>();
                var primary = new List<string>();
                foreach (var item in list.EnumerateArray())
                {
                    var targetId = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var t) ? HubSpotValues.IdText(t) : null;
                    if (targetId is null) continue;
                    var type = item.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString() : null;
                    // A company's embedded companies: "child_to_parent_company" names its parent (the v4 read may confirm it).
                    if (string.Equals(type, "child_to_parent_company", StringComparison.OrdinalIgnoreCase)) record.AssociatedParentId ??= targetId;
                    // v3 inline associations list "deal_to_company" and "deal_to_company_unlabeled" for one target: keep one.
                    if (IsPrimaryType(type)) primary.Add(targetId);
                    ids.Add(targetId);
                }
                record.Associations[target.Name] = primary.Concat(ids).Distinct(StringComparer.Ordinal).ToList();
            }
        }
        return record;
    }

    /// <summary>
    /// v3 inline type names: "deal_to_company" is HubSpot's primary company association (v4 typeId 5, "Primary"), listed
    /// beside "deal_to_company_unlabeled"; a target with only the unlabeled type is a secondary company.
    /// </summary>
    private static bool IsPrimaryType(string? type) =>
        type is not null && (type.Contains("primary", StringComparison.OrdinalIgnoreCase) ||
                             type.EndsWith("_to_company", StringComparison.OrdinalIgnoreCase));

    public string? Get(string name) => Properties.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    public string? FirstAssociation(string target) =>
        Associations.TryGetValue(target, out var ids) && ids.Count > 0 ? ids[0] : null;
}
