using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// Reads object listings from HubSpot: cursor-paged lists (full and archived), incremental search past the
/// 10,000-result cap, and v4 association batches. Any page it cannot read fails the whole sync.
/// </summary>
internal sealed class HubSpotReader(HubSpotClient client, HubSpotSourceOptions options, HubSpotPaths paths, string sourceName)
{
    /// <summary>HubSpot answers 400 when a search pages past 10,000 results: a query never goes beyond this.</summary>
    internal const int SearchCap = 10_000;

    /// <summary>
    /// All records of a list endpoint (live or archived ones), following "paging.next.after" until it is absent; null
    /// when the first page answers 404 or 403 (an object type this portal or token does not offer).
    /// </summary>
    public async Task<List<HubSpotRecord>?> ListAsync(HubSpotObject obj, IEnumerable<string> properties, bool archived, CancellationToken ct)
    {
        var records = new List<HubSpotRecord>();
        var props = string.Join(",", properties);
        var assoc = obj.AssociationTargets.Length > 0 && !archived ? string.Join(",", obj.AssociationTargets) : null;
        string? after = null;
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var query = HubSpotClient.Query(("limit", options.PageSize.ToString(CultureInfo.InvariantCulture)), ("after", after),
                ("properties", props), ("associations", assoc), ("archived", archived ? "true" : "false"));
            var path = $"{paths.Objects(obj.Name)}?{query}";
            if (await client.GetAsync(path, ct, optional: after is null) is not { } page) return null;
            records.AddRange(Results(page, path).Select(HubSpotRecord.Read));
            after = NextAfter(page, path);
            if (after is not null && !seenCursors.Add(after))
                throw new SourceException($"HubSpot source '{sourceName}': {obj.Name} listing returned the cursor '{after}' twice; stopping instead of looping.");
        } while (after is not null);
        return records;
    }

    /// <summary>
    /// Records modified at or after <paramref name="fromMs"/> (epoch ms), through the search API sorted on the
    /// modification stamp. Before a query reaches the 10,000-result cap a new one starts at the latest stamp seen;
    /// when a whole query shares one stamp, that stamp is read in id windows (hs_object_id GT last id) and the
    /// time windows go on just after it. Duplicates across windows are dropped by id.
    /// </summary>
    public async Task<List<HubSpotRecord>> SearchModifiedSinceAsync(HubSpotObject obj, IReadOnlyList<string> properties, long fromMs,
        CancellationToken ct)
    {
        var byId = new Dictionary<string, HubSpotRecord>(StringComparer.Ordinal);
        var path = $"{paths.Objects(obj.Name)}/search";
        var windowStart = fromMs;
        while (true)
        {
            var filters = new object[] { Filter(obj.ModifiedProperty, "GTE", windowStart) };
            var (window, complete) = await SearchWindowAsync(path, properties, filters, obj.ModifiedProperty, ct);
            foreach (var r in window) byId[r.Id] = r;
            if (complete) break;

            var maxStamp = window.Max(r => Stamp(r, obj));
            if (maxStamp > windowStart)
            {
                windowStart = maxStamp;
                continue;
            }
            // Stuck: 10,000 records share the stamp windowStart. Read that stamp by id, then move past it.
            string? lastId = null;
            while (true)
            {
                var idFilters = new List<object> { Filter(obj.ModifiedProperty, "EQ", windowStart) };
                if (lastId is not null) idFilters.Add(new { propertyName = "hs_object_id", @operator = "GT", value = lastId });
                var (ids, idComplete) = await SearchWindowAsync(path, properties, idFilters.ToArray(), "hs_object_id", ct);
                foreach (var r in ids) byId[r.Id] = r;
                if (idComplete || ids.Count == 0) break;
                lastId = ids.MaxBy(r => long.TryParse(r.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue)!.Id;
            }
            windowStart++;
        }
        return byId.Values.ToList();
    }

    /// <summary>One query, paged until its end or until the next page would pass the cap. Complete = reached the end.</summary>
    private async Task<(List<HubSpotRecord> Records, bool Complete)> SearchWindowAsync(string path, IReadOnlyList<string> properties,
        object[] filters, string sortProperty, CancellationToken ct)
    {
        var records = new List<HubSpotRecord>();
        string? after = null;
        while (true)
        {
            var body = new Dictionary<string, object>
            {
                ["filterGroups"] = new[] { new { filters } },
                ["sorts"] = new[] { new { propertyName = sortProperty, direction = "ASCENDING" } },
                ["properties"] = properties,
                ["limit"] = options.SearchPageSize,
            };
            if (after is not null) body["after"] = after;
            var page = await client.PostAsync(path, body, isSearch: true, ct);
            records.AddRange(Results(page, path).Select(HubSpotRecord.Read));
            after = NextAfter(page, path);
            if (after is null) return (records, true);
            if (records.Count + options.SearchPageSize > SearchCap) return (records, false);
        }
    }

    /// <summary>Associated ids of <paramref name="ids"/> to <paramref name="toType"/> via v4 batch reads (with per-id paging).</summary>
    public async Task<Dictionary<string, List<string>>> AssociationsAsync(string fromType, string toType, IReadOnlyList<string> ids,
        CancellationToken ct) =>
        (await BatchReadAsync(fromType, toType, ids, _ => true, optional: false, ct))!;

    /// <summary>
    /// The parent of each company in <paramref name="ids"/> that has one, from the company→company associations: a
    /// target is the parent when its association type is HubSpot's "child to parent company" (typeId 14) or, for any
    /// other type id but 13 ("parent to child"), labelled "Parent Company". Null when the portal does not offer these
    /// associations (403/404).
    /// </summary>
    public async Task<Dictionary<string, string>?> ParentCompaniesAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var found = await BatchReadAsync("companies", "companies", ids, IsParentLink, optional: true, ct);
        // HubSpot allows one parent; should a server list several, the first listed is taken.
        return found?.Where(f => f.Value.Count > 0).ToDictionary(f => f.Key, f => f.Value[0], StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, List<string>>?> BatchReadAsync(string fromType, string toType, IReadOnlyList<string> ids,
        Func<JsonElement, bool> keep, bool optional, CancellationToken ct)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var path = paths.AssociationBatch(fromType, toType);
        var pending = ids.Select(id => (Id: id, After: (string?)null)).ToList();
        while (pending.Count > 0)
        {
            var batch = pending.Take(options.AssociationBatchSize).ToList();
            pending.RemoveRange(0, batch.Count);
            var inputs = batch.Select(b => b.After is null ? (object)new { id = b.Id } : new { id = b.Id, after = b.After }).ToArray();
            JsonElement page;
            if (optional)
            {
                if (await client.PostOptionalAsync(path, new { inputs }, ct) is not { } answer) return null;
                page = answer;
            }
            else
            {
                page = await client.PostAsync(path, new { inputs }, isSearch: false, ct);
            }
            foreach (var item in Results(page, path))
            {
                var from = item.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("id", out var fid)
                    ? HubSpotValues.IdText(fid) : null;
                if (from is null) throw new SourceException($"HubSpot source '{sourceName}': {path} returned a result without from.id.");
                if (!result.TryGetValue(from, out var list)) result[from] = list = [];
                var primary = new List<string>();
                if (item.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.Array)
                {
                    foreach (var target in to.EnumerateArray())
                    {
                        var targetId = target.ValueKind == JsonValueKind.Object && target.TryGetProperty("toObjectId", out var t) ? HubSpotValues.IdText(t) : null;
                        if (targetId is null || !keep(target)) continue;
                        if (IsPrimary(target)) primary.Add(targetId);
                        else list.Add(targetId);
                    }
                }
                list.InsertRange(0, primary);
                var next = NextAfter(item, path);
                if (next is not null) pending.Add((from, next));
            }
        }
        foreach (var key in result.Keys.ToList()) result[key] = result[key].Distinct(StringComparer.Ordinal).ToList();
        return result;
    }

    private static bool IsParentLink(JsonElement target) =>
        AssociationTypes(target).Any(t =>
        {
            var typeId = t.TryGetProperty("typeId", out var id) ? HubSpotValues.IdText(id) : null;
            var hubSpotDefined = !t.TryGetProperty("category", out var c) || c.ValueKind != JsonValueKind.String ||
                                 string.Equals(c.GetString(), "HUBSPOT_DEFINED", StringComparison.OrdinalIgnoreCase);
            if (hubSpotDefined && typeId == "14") return true;
            if (hubSpotDefined && typeId == "13") return false;
            return t.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String &&
                   string.Equals(l.GetString()?.Trim(), "Parent Company", StringComparison.OrdinalIgnoreCase);
        });

    private static IEnumerable<JsonElement> AssociationTypes(JsonElement target) =>
        target.TryGetProperty("associationTypes", out var types) && types.ValueKind == JsonValueKind.Array
            ? types.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Object)
            : [];

    private static bool IsPrimary(JsonElement target) =>
        AssociationTypes(target).Any(t => t.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String &&
                                          string.Equals(l.GetString(), "Primary", StringComparison.OrdinalIgnoreCase));

    /// <summary>The "results" array of a page; a page without one is malformed and fails the sync.</summary>
    public IEnumerable<JsonElement> Results(JsonElement page, string path)
    {
        if (!page.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            throw new SourceException($"HubSpot source '{sourceName}': {HubSpotClient.PathOnly(path)} returned a page without a \"results\" array; nothing of this sync is committed.");
        try
        {
            return results.EnumerateArray().ToList();
        }
        catch (JsonException e)
        {
            throw new SourceException($"HubSpot source '{sourceName}': {HubSpotClient.PathOnly(path)}: {e.Message}", e);
        }
    }

    /// <summary>paging.next.after, or null at the end (HubSpot ends a listing by leaving "paging" out).</summary>
    public static string? NextAfter(JsonElement page, string path)
    {
        if (!page.TryGetProperty("paging", out var paging) || paging.ValueKind != JsonValueKind.Object) return null;
        if (!paging.TryGetProperty("next", out var next) || next.ValueKind != JsonValueKind.Object) return null;
        if (next.TryGetProperty("after", out var after) && HubSpotValues.IdText(after) is { } cursor) return cursor;
        // An answer with only the (deprecated) link: its "after" parameter is the cursor.
        return next.TryGetProperty("link", out var link) && link.ValueKind == JsonValueKind.String ? AfterOf(link.GetString()!) : null;
    }

    private static string? AfterOf(string link)
    {
        var query = link.IndexOf('?', StringComparison.Ordinal);
        if (query < 0) return null;
        foreach (var pair in link[(query + 1)..].Split('&'))
        {
            if (pair.StartsWith("after=", StringComparison.Ordinal) && pair.Length > "after=".Length)
                return Uri.UnescapeDataString(pair["after=".Length..]);
        }
        return null;
    }

    public static long Stamp(HubSpotRecord r, HubSpotObject obj) =>
        (HubSpotValues.DateTime(r.Get(obj.ModifiedProperty)) ?? r.UpdatedAt ?? DateTimeOffset.UnixEpoch).ToUnixTimeMilliseconds();

    private static object Filter(string property, string op, long ms) =>
        new { propertyName = property, @operator = op, value = ms.ToString(CultureInfo.InvariantCulture) };
}
