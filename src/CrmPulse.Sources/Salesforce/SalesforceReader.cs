using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Salesforce.SalesforceValues;

namespace CrmPulse.Sources.Salesforce;

/// <summary>The SOQL queries and resources the source reads, each returning rows as JSON (mapping is the mapper's).</summary>
internal sealed class SalesforceReader(SalesforceClient client, string sourceName)
{
    /// <summary>Ids per "Id IN (…)" lookup: keeps the URL well under Salesforce's 16,384-character limit.</summary>
    public const int IdsPerLookup = 200;

    public const string UserFields = "Id, Name, FirstName, LastName, Username, Email, IsActive, UserType, Profile.Name, Profile.UserLicense.Name, UserRole.Name, CreatedDate";

    public const string LoginFields = "Id, UserId, LoginTime, Status, LoginType, Application";

    /// <summary>Every user (few, and Salesforce never deletes one: deactivation is a change like another).</summary>
    public async Task<List<JsonElement>> UsersAsync(CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        await client.QueryAsync($"SELECT {UserFields} FROM User ORDER BY Id", false, "User", rows.Add, ct);
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
        var soql = $"SELECT {obj.SelectList(custom)} FROM {obj.Name}{where} ORDER BY SystemModstamp, Id";
        var rows = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await client.QueryAsync(soql, false, obj.Name, r => Keep(rows, r), ct);
        return rows;
    }

    /// <summary>Rows of <paramref name="obj"/> whose <paramref name="field"/> is one of <paramref name="values"/>, in batches.</summary>
    public async Task<List<JsonElement>> WhereInAsync(SalesforceObject obj, IEnumerable<string> custom, string field, IReadOnlyCollection<string> values,
        CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        foreach (var chunk in values.Order(StringComparer.Ordinal).Chunk(IdsPerLookup))
        {
            var list = string.Join(", ", chunk.Select(v => $"'{v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'"));
            await client.QueryAsync($"SELECT {obj.SelectList(custom)} FROM {obj.Name} WHERE {field} IN ({list}) ORDER BY Id", false, obj.Name, rows.Add, ct);
        }
        return rows;
    }

    /// <summary>LoginHistory rows with LoginTime at or after <paramref name="since"/>; null when the run-as user may not read it.</summary>
    public async Task<List<JsonElement>?> LoginsAsync(DateTimeOffset since, CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        var read = await client.QueryAsync($"SELECT {LoginFields} FROM LoginHistory WHERE LoginTime >= {Literal(since)} ORDER BY LoginTime, Id",
            false, "LoginHistory", rows.Add, ct, optional: true);
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
