using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmPulse.Sources.Tests.HubSpot;

internal sealed partial class FakeHubSpot
{
    private FakeResponse Route(FakeRequest r)
    {
        var p = Legacy(r.Path);
        if (r.Method == "GET" && p == "/account-info/v3/details")
            return Ok(new JsonObject { ["portalId"] = PortalId, ["timeZone"] = "US/Eastern", ["uiDomain"] = "app.hubspot.com", ["dataHostingLocation"] = "na1" });
        if (r.Method == "GET" && p == "/crm/v3/owners")
            return Page(r.Query["archived"] == "true" ? ArchivedOwners : Owners, r, 500);
        if (r.Method == "GET" && p == "/settings/v3/users") return Page(Users, r, 100);
        if (r.Method == "GET" && p == "/account-info/v3/activity/login")
            return LoginsForbidden
                ? new FakeResponse(403, """{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","category":"MISSING_SCOPES","correlationId":"x"}""")
                : Page(Logins, r, 200);
        if (r.Method == "GET" && p == "/crm/v3/pipelines/deals") return new FakeResponse(200, DealPipelines);
        if (r.Method == "GET" && p.StartsWith("/crm/v3/properties/", StringComparison.Ordinal))
            return new FakeResponse(200, PropertyDefinitions.GetValueOrDefault(p["/crm/v3/properties/".Length..], """{"results":[]}"""));
        if (ObjectPath().Match(p) is { Success: true } m)
        {
            var type = m.Groups["type"].Value;
            if (r.Method == "GET" && !m.Groups["search"].Success) return List(type, r);
            if (r.Method == "POST" && m.Groups["search"].Success) return Search(type, r);
        }
        if (r.Method == "POST" && AssociationPath().Match(p) is { Success: true } a)
            return Associations(a.Groups["from"].Value, a.Groups["to"].Value, r);
        return new FakeResponse(404, """{"status":"error","message":"Unknown path","category":"OBJECT_NOT_FOUND"}""");
    }

    private FakeResponse List(string type, FakeRequest r)
    {
        var limit = int.Parse(r.Query["limit"] ?? "10", CultureInfo.InvariantCulture);
        if (limit > 100) return Error400("limit must be at most 100");
        var archived = r.Query["archived"] == "true";
        var properties = (r.Query["properties"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var associations = IgnoreInlineAssociations ? [] : (r.Query["associations"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        // The cursor is a position in the id-ordered store: each page costs its own size, not the portal's.
        var all = Of(type).Values;
        var page = new List<JsonNode>();
        var index = Offset(r.Query["after"]);
        for (; index < all.Count && page.Count < limit; index++)
        {
            if ((all[index].ArchivedAt is not null) == archived) page.Add(Serialize(type, all[index], properties, associations));
        }
        while (index < all.Count && (all[index].ArchivedAt is not null) != archived) index++;
        return Ok(Envelope(page, index < all.Count ? index : null));
    }

    private FakeResponse Search(string type, FakeRequest r)
    {
        var body = r.Json;
        var limit = body.TryGetProperty("limit", out var l) ? l.GetInt32() : 10;
        if (limit > 200) return Error400("limit must be at most 200");
        var offset = body.TryGetProperty("after", out var a) ? Offset(a.GetString()) : 0;
        if (offset + limit > 10_000)
            return Error400("The maximum number of results a search can page through is 10000.");
        IEnumerable<FakeObject> hits = Of(type).Values.Where(o => o.ArchivedAt is null);
        if (body.TryGetProperty("filterGroups", out var groups) && groups.GetArrayLength() > 0)
        {
            var list = groups.EnumerateArray()
                .Select(g => g.GetProperty("filters").EnumerateArray()
                    .Select(f => (Name: f.GetProperty("propertyName").GetString()!, Op: f.GetProperty("operator").GetString()!, Value: Number(f.GetProperty("value").GetString())))
                    .ToList())
                .ToList();
            hits = hits.Where(o => list.Any(g => g.All(f => Matches(Number(o, f.Name), f.Op, f.Value))));
        }
        var sort = body.TryGetProperty("sorts", out var s) && s.GetArrayLength() > 0 ? s[0].GetProperty("propertyName").GetString()! : "hs_object_id";
        // Ties come back in no particular (but stable) order, as HubSpot gives them.
        var sorted = hits.Select(o => (Key: Number(o, sort), Tie: unchecked((uint)(o.Id * 2654435761L)), Object: o))
            .OrderBy(x => x.Key).ThenBy(x => x.Tie).Select(x => x.Object).ToList();
        var properties = body.TryGetProperty("properties", out var props) ? props.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        var page = sorted.Skip(offset).Take(limit).Select(o => Serialize(type, o, properties, []));
        var envelope = Envelope(page, offset + limit < sorted.Count ? offset + limit : null);
        envelope["total"] = sorted.Count;
        return Ok(envelope);
    }

    private static bool Matches(decimal actual, string op, decimal value) =>
        op switch
        {
            "EQ" => actual == value,
            "GT" => actual > value,
            "GTE" => actual >= value,
            "LT" => actual < value,
            "LTE" => actual <= value,
            _ => throw new NotSupportedException($"fake HubSpot: operator {op}"),
        };

    private FakeResponse Associations(string from, string to, FakeRequest r)
    {
        var results = new JsonArray();
        foreach (var input in r.Json.GetProperty("inputs").EnumerateArray())
        {
            var id = long.Parse(input.GetProperty("id").GetString()!, CultureInfo.InvariantCulture);
            if (!Of(from).TryGetValue(id, out var o) || !o.Associations.TryGetValue(to, out var targets)) continue;
            var distinct = targets.GroupBy(t => t.Id).Select(g => g.First()).ToList();
            var offset = input.TryGetProperty("after", out var a) ? Offset(a.GetString()) : 0;
            var page = distinct.Skip(offset).Take(AssociationPageSize).Select(t => (JsonNode)new JsonObject
            {
                ["toObjectId"] = t.Id,
                ["associationTypes"] = AssociationTypes(from, to, t.Type),
            });
            var item = new JsonObject { ["from"] = new JsonObject { ["id"] = id.ToString(CultureInfo.InvariantCulture) }, ["to"] = new JsonArray(page.ToArray()) };
            if (offset + AssociationPageSize < distinct.Count) item["paging"] = Next(offset + AssociationPageSize);
            results.Add(item);
        }
        return Ok(new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = "2024-10-09T12:00:00Z", ["completedAt"] = "2024-10-09T12:00:01Z" });
    }

    /// <summary>
    /// The v4 associationTypes of one target. Company to company: the unlabeled type 450 alongside HubSpot's paired
    /// labels, "Parent Company" (typeId 14, child to parent) and "Child Company" (typeId 13, parent to child).
    /// </summary>
    private static JsonArray AssociationTypes(string from, string to, string v3Type)
    {
        static JsonObject Type(int id, string? label) => new() { ["category"] = "HUBSPOT_DEFINED", ["typeId"] = id, ["label"] = label };
        return v3Type switch
        {
            "child_to_parent_company" => new JsonArray(Type(450, null), Type(14, "Parent Company")),
            "parent_to_child_company" => new JsonArray(Type(450, null), Type(13, "Child Company")),
            _ => new JsonArray(Type(3, from != "companies" && to == "companies" && !v3Type.EndsWith("unlabeled", StringComparison.Ordinal) ? "Primary" : null)),
        };
    }

    /// <summary>HubSpot's date-versioned paths (/crm/objects/2026-03/contacts) name the same resources as v3/v4 ones.</summary>
    internal static string Legacy(string path)
    {
        var m = DatedPath().Match(path);
        if (!m.Success) return path;
        var (root, family, rest) = (m.Groups["root"].Value, m.Groups["family"].Value, m.Groups["rest"].Value);
        return root switch
        {
            "account-info" => $"/account-info/v3{rest}",
            "settings" => $"/settings/v3/{family}{rest}",
            _ => $"/crm/{(family == "associations" ? "v4" : "v3")}/{family}{rest}",
        };
    }

    private FakeResponse Page(List<JsonElement> items, FakeRequest r, int max)
    {
        var limit = Math.Min(int.Parse(r.Query["limit"] ?? "100", CultureInfo.InvariantCulture), max);
        var offset = Offset(r.Query["after"]);
        var page = items.Skip(offset).Take(limit).Select(e => JsonNode.Parse(e.GetRawText())!);
        return Ok(Envelope(page, offset + limit < items.Count ? offset + limit : null));
    }

    private static JsonObject Serialize(string type, FakeObject o, string[] properties, string[] associations)
    {
        var props = new JsonObject();
        // HubSpot always sends a few default properties, and every requested one (null when unset).
        foreach (var name in properties.Concat(["hs_object_id", "createdate", type == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate"]).Distinct())
            props[name] = name == "hs_object_id" ? o.Id.ToString(CultureInfo.InvariantCulture) : o.Properties.GetValueOrDefault(name);
        var json = new JsonObject
        {
            ["id"] = o.Id.ToString(CultureInfo.InvariantCulture),
            ["properties"] = props,
            ["createdAt"] = o.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["updatedAt"] = o.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["archived"] = o.ArchivedAt is not null,
        };
        if (o.ArchivedAt is { } at) json["archivedAt"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var assoc = new JsonObject();
        foreach (var target in associations)
        {
            if (!o.Associations.TryGetValue(target, out var list)) continue;
            assoc[target] = new JsonObject
            {
                ["results"] = new JsonArray(list.Select(t => (JsonNode)new JsonObject { ["id"] = t.Id.ToString(CultureInfo.InvariantCulture), ["type"] = t.Type }).ToArray()),
            };
        }
        if (assoc.Count > 0) json["associations"] = assoc;
        return json;
    }

    private static JsonObject Envelope(IEnumerable<JsonNode> results, int? next)
    {
        var envelope = new JsonObject { ["results"] = new JsonArray(results.ToArray()) };
        // The end of a listing is signalled by leaving "paging" out.
        if (next is { } n) envelope["paging"] = Next(n);
        return envelope;
    }

    private static JsonObject Next(int offset)
    {
        var after = Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset}"));
        return new JsonObject { ["next"] = new JsonObject { ["after"] = after, ["link"] = $"?after={after}" } };
    }

    private static int Offset(string? after) =>
        after is null ? 0 : int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(after))[2..], CultureInfo.InvariantCulture);

    private static decimal Number(FakeObject o, string property) =>
        property == "hs_object_id" ? o.Id : o.NumberOf(property, Number);

    private static decimal Number(string? text)
    {
        if (string.IsNullOrEmpty(text)) return decimal.MinValue;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
    }

    private static FakeResponse Ok(JsonNode body) => new(200, body.ToJsonString());

    private static FakeResponse Error400(string message) =>
        new(400, new JsonObject { ["status"] = "error", ["message"] = message, ["category"] = "VALIDATION_ERROR", ["correlationId"] = Guid.NewGuid().ToString() }.ToJsonString());

    [GeneratedRegex("^/crm/v3/objects/(?<type>[a-z_0-9-]+)(?<search>/search)?$")]
    private static partial Regex ObjectPath();

    [GeneratedRegex("^/crm/v4/associations/(?<from>[a-z]+)/(?<to>[a-z]+)/batch/read$")]
    private static partial Regex AssociationPath();

    [GeneratedRegex(@"^/(?<root>crm|settings|account-info)/(?:(?<family>[a-z]+)/)?\d{4}-\d{2}(?<rest>/.*)?$")]
    private static partial Regex DatedPath();
}
