using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Salesforce.SalesforceValues;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// The SOQL queries and resources the source reads, each returning rows as JSON (mapping is the mapper's). A standard
/// field Salesforce refuses (field-level security hides it from the run-as user, or the org's edition lacks it) is
/// dropped from that object's queries for the life of the source, reported once, and left empty; Id, SystemModstamp,
/// LoginHistory's UserId and LoginTime, and configured custom fields are never dropped: without them the sync fails.
/// </summary>
/// <param name="unreadable">Select items dropped per object; owned by the source so it outlives one pull.</param>
internal sealed partial class SalesforceReader(SalesforceClient client, string sourceName, Dictionary<string, HashSet<string>> unreadable,
    List<SourceProblem> notices)
{
    /// <summary>Ids per "Id IN (…)" lookup: keeps the URL well under Salesforce's 16,384-character limit.</summary>
    public const int IdsPerLookup = 200;

    private bool _inRefused;

    private static readonly string[] UserFields =
        ["Id", "Name", "FirstName", "LastName", "Username", "Email", "IsActive", "UserType", "Profile.Name", "Profile.UserLicense.Name",
         "Profile.PermissionsModifyAllData", "UserRole.Name", "CreatedDate"];

    private static readonly string[] LoginFields = ["Id", "UserId", "LoginTime", "Status", "LoginType", "Application"];

    /// <summary>Every user (few, and Salesforce never deletes one: deactivation is a change like another).</summary>
    public async Task<List<JsonElement>> UsersAsync(CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        await QueryAsync("User", UserFields, ["Id"], select => $"SELECT {select} FROM User ORDER BY Id", rows.Add, ct);
        return rows;
    }

    /// <summary>
    /// Rows of <paramref name="obj"/> with SystemModstamp at or after <paramref name="since"/> (all rows when null),
    /// by Id: a row read twice (it changed while the pages were read) is kept once, in its latest version.
    /// </summary>
    public async Task<Dictionary<string, JsonElement>> ChangedAsync(SalesforceObject obj, IEnumerable<string> custom, DateTimeOffset? since,
        CancellationToken ct)
    {
        var where = since is { } s ? $" WHERE SystemModstamp >= {Literal(s)}" : "";
        var rows = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await QueryAsync(obj.Name, obj.SelectItems(custom), ["Id", "SystemModstamp", .. custom], select => $"SELECT {select} FROM {obj.Name}{where} ORDER BY SystemModstamp, Id",
            r => Keep(rows, r), ct);
        return rows;
    }

    /// <summary>
    /// Rows of <paramref name="obj"/> whose <paramref name="field"/> is one of <paramref name="values"/>, in batches
    /// ("IN"). A server that refuses IN as malformed is asked one value at a time ("=") for the rest of the pull.
    /// </summary>
    public async Task<List<JsonElement>> WhereInAsync(SalesforceObject obj, IEnumerable<string> custom, string field, IReadOnlyCollection<string> values,
        CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        var items = obj.SelectItems(custom);
        string[] required = ["Id", "SystemModstamp", .. custom];
        foreach (var chunk in values.Order(StringComparer.Ordinal).Chunk(IdsPerLookup))
        {
            if (!_inRefused)
            {
                try
                {
                    var list = string.Join(", ", chunk.Select(Quote));
                    await QueryAsync(obj.Name, items, required, select => $"SELECT {select} FROM {obj.Name} WHERE {field} IN ({list}) ORDER BY Id", rows.Add, ct,
                        malformedThrows: true);
                    continue;
                }
                catch (SalesforceFieldRefusedException)
                {
                    _inRefused = true;
                }
            }
            foreach (var value in chunk)
                await QueryAsync(obj.Name, items, required, select => $"SELECT {select} FROM {obj.Name} WHERE {field} = {Quote(value)} ORDER BY Id", rows.Add, ct);
        }
        return rows;
    }

    private static string Quote(string value) => $"'{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    /// <summary>LoginHistory rows with LoginTime at or after <paramref name="since"/>; null when the run-as user may not read it.</summary>
    public async Task<List<JsonElement>?> LoginsAsync(DateTimeOffset since, CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        var read = await QueryAsync("LoginHistory", LoginFields, ["Id", "UserId", "LoginTime"],
            select => $"SELECT {select} FROM LoginHistory WHERE LoginTime >= {Literal(since)} ORDER BY LoginTime, Id", rows.Add, ct, optional: true);
        return read is null ? null : rows;
    }

    /// <summary>/limits, or null when the run-as user lacks View Setup and Configuration.</summary>
    public Task<JsonElement?> LimitsAsync(CancellationToken ct) => client.GetAsync($"{client.DataPath}/limits", ct, optional: true);

    /// <summary>
    /// getDeleted: ids deleted in [start, end] and latestDateCovered (the next start). Salesforce only answers for
    /// windows inside the last 30 days.
    /// </summary>
    public async Task<(List<string> Ids, DateTimeOffset Covered)> DeletedAsync(SalesforceObject obj, DateTimeOffset start, DateTimeOffset end,
        CancellationToken ct)
    {
        var path = $"{client.DataPath}/sobjects/{obj.Name}/deleted/?start={Uri.EscapeDataString(Iso(start))}&end={Uri.EscapeDataString(Iso(end))}";
        var doc = (await client.GetAsync(path, ct))!.Value;
        if (!doc.TryGetProperty("deletedRecords", out var records) || records.ValueKind != JsonValueKind.Array)
            throw new SourceException($"Salesforce source '{sourceName}': the {obj.Name} getDeleted answer has no \"deletedRecords\" array; nothing of this sync is committed.");
        if (!TryParseDateTime(Text(doc, "latestDateCovered"), out var covered))
            throw new SourceException($"Salesforce source '{sourceName}': the {obj.Name} getDeleted answer has no readable latestDateCovered ('{Text(doc, "latestDateCovered")}').");
        var ids = records.EnumerateArray().Select(r => Text(r, "id")).OfType<string>().ToList();
        return (ids, covered);
    }

    /// <summary>Runs a query without the items dropped before; drops a refused standard item and asks again.</summary>
    /// <param name="malformedThrows">A MALFORMED_QUERY with nothing to drop is thrown as it is, for the caller to ask differently.</param>
    private async Task<int?> QueryAsync(string objectName, IReadOnlyList<string> items, IReadOnlyCollection<string> required, Func<string, string> soql,
        Action<JsonElement> onRecord, CancellationToken ct, bool optional = false, bool malformedThrows = false)
    {
        if (!unreadable.TryGetValue(objectName, out var dropped)) unreadable[objectName] = dropped = new(StringComparer.Ordinal);
        while (true)
        {
            try
            {
                // The refusal comes with the first page, before any row was handed on: asking again repeats nothing.
                return await client.QueryAsync(soql(string.Join(", ", items.Where(i => !dropped.Contains(i)))), false, objectName, onRecord, ct, optional);
            }
            catch (SalesforceFieldRefusedException e)
            {
                var refused = RefusedName().Match(e.Error.Message);
                var name = refused.Success ? refused.Groups["name"].Value : null;
                // "No such column 'X' on entity 'Profile'" in a User query: the refused column is Profile.X, not X.
                var entity = refused.Groups["entity"] is { Success: true } g && !g.Value.Equals(objectName, StringComparison.OrdinalIgnoreCase) ? g.Value : null;
                var drop = name is null ? [] : items.Where(i => !dropped.Contains(i) && !required.Contains(i)
                    && (entity is null ? Names(i, name) : i.EndsWith($"{entity}.{name}", StringComparison.OrdinalIgnoreCase))).ToList();
                // Salesforce takes child sub-queries; a server that does not says MALFORMED_QUERY: read without the roles.
                if (e.Error.Code == "MALFORMED_QUERY") drop = items.Where(i => i.StartsWith('(') && !dropped.Contains(i)).ToList();
                if (drop.Count == 0 && malformedThrows && e.Error.Code == "MALFORMED_QUERY") throw;
                if (drop.Count == 0) throw new SourceException(e.Message);
                dropped.UnionWith(drop);
                notices.Add(new SourceProblem(objectName, null, string.Join(", ", drop), e.Error.Code == "MALFORMED_QUERY"
                    ? $"the server refused the child sub-query ({e.Error}); it is left out from now on."
                    : $"cannot be read ({e.Error}); left empty from now on. Field-level security hides it from the run-as user, or the org's edition has no such field."));
            }
        }
    }

    /// <summary>The item is the refused field, goes through the refused relationship, or is the refused child sub-query.</summary>
    private static bool Names(string item, string name) =>
        item.StartsWith('(') ? item.Contains($"FROM {name})", StringComparison.OrdinalIgnoreCase)
        : item.Equals(name, StringComparison.OrdinalIgnoreCase) || item.Split('.')[..^1].Contains(name, StringComparer.OrdinalIgnoreCase);

    // "No such column 'Phone' on entity 'Contact'…", "Didn't understand relationship 'UserLicense' in field path…".
    [GeneratedRegex(@"(?:No such column|relationship) '(?<name>[A-Za-z0-9_]+)'(?: on entity '(?<entity>[A-Za-z0-9_]+)')?")]
    private static partial Regex RefusedName();

    private static void Keep(Dictionary<string, JsonElement> rows, JsonElement row)
    {
        if (Text(row, "Id") is not { } id)
        {
            // Kept under a key no real Id has, so the mapper reports it.
            rows[$"#missing-id-{rows.Count.ToString(CultureInfo.InvariantCulture)}"] = row;
            return;
        }
        // SystemModstamp strings of one org sort in time order (same format, same offset).
        if (!rows.TryGetValue(id, out var seen) || string.CompareOrdinal(Text(row, "SystemModstamp"), Text(seen, "SystemModstamp")) >= 0)
            rows[id] = row;
    }

    /// <summary>getDeleted's date form: ISO 8601 with an offset.</summary>
    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
}
