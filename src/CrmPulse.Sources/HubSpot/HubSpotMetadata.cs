using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// The small, always-complete listings of a portal: account details, owners and users, deal pipelines, custom
/// property types, and login history.
/// </summary>
internal sealed class HubSpotMetadata(HubSpotClient client, HubSpotReader reader, HubSpotPaths paths, string sourceName)
{
    /// <summary>portalId and uiDomain from /account-info/v3/details; null when the token may not read it.</summary>
    public async Task<(long PortalId, string? UiDomain)?> AccountAsync(CancellationToken ct)
    {
        var details = await client.GetAsync(paths.AccountDetails, ct, optional: true);
        if (details is not { } d || !d.TryGetProperty("portalId", out var p) || !p.TryGetInt64(out var portalId)) return null;
        var ui = d.TryGetProperty("uiDomain", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        return (portalId, ui);
    }

    /// <summary>Owners (active, then archived = deactivated) as users; owner ids are what records name as owner.</summary>
    public async Task<(List<CrmUser> Users, Dictionary<string, string> OwnerByUserId)> OwnersAsync(CancellationToken ct)
    {
        var users = new Dictionary<string, CrmUser>(StringComparer.Ordinal);
        var ownerByUserId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var archived in new[] { false, true })
        {
            foreach (var o in await PagedAsync(paths.Owners, $"archived={(archived ? "true" : "false")}", 100, ct))
            {
                var id = o.TryGetProperty("id", out var i) ? HubSpotValues.IdText(i) : null;
                if (id is null) throw new SourceException($"HubSpot source '{sourceName}': {paths.Owners} returned an owner without id.");
                if (archived && users.ContainsKey(id)) continue; // listed live too: the live entry wins
                var email = Text(o, "email");
                var name = string.Join(" ", new[] { Text(o, "firstName"), Text(o, "lastName") }.Where(s => !string.IsNullOrWhiteSpace(s)));
                var team = o.TryGetProperty("teams", out var teams) && teams.ValueKind == JsonValueKind.Array
                    ? teams.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Object)
                        .OrderByDescending(t => HubSpotValues.Bool(Scalar(t, "primary")) == true)
                        .Select(t => Text(t, "name")).FirstOrDefault(n => n is not null)
                    : null;
                // A queue owns records but is no person: never count it toward adoption.
                var isQueue = string.Equals(Text(o, "type"), "QUEUE", StringComparison.OrdinalIgnoreCase);
                users[id] = new CrmUser(id, name.Length > 0 ? name : email ?? id, email, team, !archived, isQueue,
                    HubSpotValues.DateTime(Text(o, "createdAt")));
                foreach (var key in new[] { "userId", "userIdIncludingInactive" })
                {
                    if (o.TryGetProperty(key, out var u) && HubSpotValues.IdText(u) is { } userId) ownerByUserId.TryAdd(NormalizeUserId(userId), id);
                }
            }
        }
        return (users.Values.ToList(), ownerByUserId);
    }

    /// <summary>
    /// Users of the settings API that have no owner record (they own nothing, but hold a seat), and the owners given
    /// back with their super-admin flag (superAdmin, a JSON bool or a string). Without the settings API (the token may
    /// not read it) the owners come back as they were: whether they are administrators is unknown.
    /// </summary>
    public async Task<(List<CrmUser> Owners, List<CrmUser> WithoutOwner)> UsersAsync(IReadOnlyDictionary<string, string> ownerByUserId,
        IReadOnlyList<CrmUser> owners, CancellationToken ct)
    {
        var first = await client.GetAsync($"{paths.Users}?limit=100", ct, optional: true);
        if (first is null) return (owners.ToList(), []);
        var ownerByEmail = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in owners.Where(o => o.Email is not null)) ownerByEmail.TryAdd(o.Email!, o.Id);
        var adminByOwner = new Dictionary<string, bool>(StringComparer.Ordinal);
        var result = new List<CrmUser>();
        foreach (var u in await PagedAsync(paths.Users, null, 100, ct, first))
        {
            var id = u.TryGetProperty("id", out var i) ? HubSpotValues.IdText(i) : null;
            if (id is null) continue;
            var admin = HubSpotValues.Bool(Scalar(u, "superAdmin")) ?? false; // absent: not a super admin
            var email = Text(u, "email");
            if (ownerByUserId.TryGetValue(NormalizeUserId(id), out var ownerId) || (email is not null && ownerByEmail.TryGetValue(email, out ownerId)))
            {
                adminByOwner[ownerId] = admin;
                continue;
            }
            var name = string.Join(" ", new[] { Text(u, "firstName"), Text(u, "lastName") }.Where(s => !string.IsNullOrWhiteSpace(s)));
            result.Add(new CrmUser($"user:{id}", name.Length > 0 ? name : email ?? id, email, null, true, false, IsAdmin: admin,
                Profile: admin ? "Super Admin" : null));
        }
        // An owner the settings API does not list (an archived one, a queue) stays unknown.
        var flagged = owners.Select(o => adminByOwner.TryGetValue(o.Id, out var a) ? o with { IsAdmin = a, Profile = a ? "Super Admin" : null } : o).ToList();
        return (flagged, result);
    }

    /// <summary>Deal stages by id, from every deal pipeline (none when the endpoint is not offered: the deals' own flags remain).</summary>
    public async Task<Dictionary<string, HubSpotStage>> DealStagesAsync(CancellationToken ct)
    {
        var path = paths.DealPipelines;
        var stages = new Dictionary<string, HubSpotStage>(StringComparer.Ordinal);
        if (await client.GetAsync(path, ct, optional: true) is not { } page) return stages;
        foreach (var pipeline in reader.Results(page, path))
        {
            var pipelineId = Text(pipeline, "id") ?? "";
            if (!pipeline.TryGetProperty("stages", out var list) || list.ValueKind != JsonValueKind.Array) continue;
            foreach (var s in list.EnumerateArray())
            {
                if (Text(s, "id") is not { } id) continue;
                var meta = s.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
                var isClosed = meta.ValueKind == JsonValueKind.Object && HubSpotValues.Bool(Scalar(meta, "isClosed")) == true;
                var probability = meta.ValueKind == JsonValueKind.Object ? HubSpotValues.Decimal(Scalar(meta, "probability")) : null;
                stages[id] = new HubSpotStage(id, pipelineId, Text(s, "label") ?? id, isClosed, probability);
            }
        }
        return stages;
    }

    /// <summary>The HubSpot type ("string", "number", "datetime", …) of each configured custom property; unknown ones are problems.</summary>
    public async Task<Dictionary<string, string>> PropertyTypesAsync(string objectName, IReadOnlyList<string> wanted,
        List<SourceProblem> problems, CancellationToken ct)
    {
        var path = paths.Properties(objectName);
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await client.GetAsync(path, ct, optional: true) is not { } page)
        {
            // Without the properties API (scope crm.schemas.*.read) the values are kept as sent.
            problems.Add(new SourceProblem(path, null, null, "the properties API is not available to this token; custom properties are stored as sent, without type conversion."));
            return wanted.Distinct().ToDictionary(n => n, _ => "string", StringComparer.Ordinal);
        }
        foreach (var p in reader.Results(page, path))
        {
            if (Text(p, "name") is { } name) known[name] = Text(p, "type") ?? "string";
        }
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in wanted.Distinct())
        {
            if (known.TryGetValue(name, out var type)) types[name] = type;
            else problems.Add(new SourceProblem(path, null, name, $"custom property '{name}' (CustomFields) does not exist on {objectName}; it is not pulled."));
        }
        return types;
    }

    /// <summary>Login history (last 90 days), or null when the portal's tier or the token's scopes do not offer it (403).</summary>
    public async Task<List<LoginEvent>?> LoginsAsync(IReadOnlyDictionary<string, string> ownerByUserId, CancellationToken ct)
    {
        var first = await client.GetAsync($"{paths.Logins}?limit=200", ct, optional: true);
        if (first is null) return null;
        var result = new List<LoginEvent>();
        foreach (var e in await PagedAsync(paths.Logins, null, 200, ct, first))
        {
            var userId = e.TryGetProperty("userId", out var u) ? HubSpotValues.IdText(u) : null;
            var at = HubSpotValues.DateTime(Scalar(e, "loginAt"));
            if (userId is null || at is null) continue;
            var user = ownerByUserId.TryGetValue(NormalizeUserId(userId), out var owner) ? owner : $"user:{userId}";
            var id = (e.TryGetProperty("id", out var i) ? HubSpotValues.IdText(i) : null) ?? $"{userId}@{at.Value.ToUnixTimeMilliseconds()}";
            var ok = e.TryGetProperty("loginSucceeded", out var s)
                ? s.ValueKind == JsonValueKind.True || (s.ValueKind == JsonValueKind.String && HubSpotValues.Bool(s.GetString()) == true)
                : true;
            result.Add(new LoginEvent(id, user, at.Value, ok));
        }
        return result;
    }

    private async Task<List<JsonElement>> PagedAsync(string path, string? query, int limit, CancellationToken ct, JsonElement? first = null)
    {
        var items = new List<JsonElement>();
        string? after = null;
        var page = first;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var url = $"{path}?limit={limit.ToString(CultureInfo.InvariantCulture)}" + (query is null ? "" : $"&{query}") +
                      (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            page ??= (await client.GetAsync(url, ct))!.Value;
            items.AddRange(reader.Results(page.Value, url));
            after = HubSpotReader.NextAfter(page.Value, url);
            if (after is null) return items;
            if (!seen.Add(after)) throw new SourceException($"HubSpot source '{sourceName}': {path} returned the cursor '{after}' twice; stopping instead of looping.");
            page = null;
        }
    }

    /// <summary>User ids compare as numbers ("010101" and 10101 are one user).</summary>
    private static string NormalizeUserId(string id) =>
        long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : id;

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Scalar(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => null,
        } : null;
}
