using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CrmPulse.Sources.Tests.Salesforce;

internal sealed partial class FakeSalesforce
{
    /// <summary>Fields every object of the fake has (what the source reads, and a few more); relationship paths included.</summary>
    private static readonly Dictionary<string, string[]> StandardFields = new(StringComparer.Ordinal)
    {
        ["User"] = ["Id", "Name", "FirstName", "LastName", "Username", "Email", "Alias", "IsActive", "UserType", "ProfileId", "Profile.Name",
            "Profile.UserLicense.Name", "Profile.PermissionsModifyAllData", "UserRoleId", "UserRole.Name", "LastLoginDate", "CreatedDate", "LastModifiedDate", "SystemModstamp"],
        ["LoginHistory"] = ["Id", "UserId", "LoginTime", "Status", "LoginType", "Application", "Browser", "Platform", "SourceIp", "LoginUrl", "ApiType", "ApiVersion"],
        ["Account"] = ["Id", "Name", "Website", "Industry", "ParentId", "OwnerId", "Owner.Name", "Type", "NumberOfEmployees", "BillingCity",
            "BillingCountry", "Description", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"],
        ["Contact"] = ["Id", "FirstName", "LastName", "Name", "Email", "Phone", "AccountId", "OwnerId", "LeadSource", "LastActivityDate",
            "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"],
        ["Lead"] = ["Id", "FirstName", "LastName", "Name", "Email", "Phone", "Company", "Status", "LeadSource", "IsConverted", "ConvertedDate",
            "ConvertedContactId", "ConvertedAccountId", "ConvertedOpportunityId", "OwnerId", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"],
        ["Opportunity"] = ["Id", "Name", "StageName", "IsClosed", "IsWon", "CloseDate", "Amount", "Probability", "OwnerId", "AccountId", "ContactId",
            "LastActivityDate", "LastStageChangeDate", "LeadSource", "Type", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted"],
        ["Task"] = ["Id", "Subject", "TaskSubtype", "Type", "Status", "IsClosed", "ActivityDate", "CompletedDateTime", "CallType", "OwnerId", "WhoId",
            "WhatId", "AccountId", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted", "IsArchived"],
        ["Event"] = ["Id", "Subject", "EventSubtype", "StartDateTime", "EndDateTime", "ActivityDateTime", "OwnerId", "WhoId", "WhatId",
            "AccountId", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted", "IsArchived"],
    };

    private static readonly Dictionary<(string Parent, string Relationship), string[]> ChildFields = new()
    {
        [("Opportunity", "OpportunityContactRoles")] = ["Id", "ContactId", "IsPrimary", "Role"],
    };

    private readonly Dictionary<string, (List<Dictionary<string, object?>> Rows, FakeSoql Query, int Position, int Batch)> _cursors = new(StringComparer.Ordinal);
    private int _nextCursor;

    private FakeResponse Route(FakeRequest r, string queryOptions)
    {
        var p = r.Path;
        if (r.Method != "GET") return Error(405, "METHOD_NOT_ALLOWED", $"HTTP Method '{r.Method}' not allowed. Allowed are GET");
        if (DataPath().Match(p) is not { Success: true } m) return Error(404, "NOT_FOUND", "The requested resource does not exist");
        var rest = m.Groups["rest"].Value;
        if (rest is "limits" or "limits/") return Limits();
        if (rest is "query" or "queryAll")
        {
            if (r.Query["q"] is not { } q) return Error(400, "MALFORMED_QUERY", "q: missing query");
            return Query(q, rest == "queryAll", queryOptions, m.Groups["version"].Value);
        }
        if (rest.StartsWith("query/", StringComparison.Ordinal)) return NextPage(rest["query/".Length..], m.Groups["version"].Value);
        if (DeletedPath().Match(rest) is { Success: true } d) return Deleted(d.Groups["obj"].Value, r);
        return Error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private FakeResponse Query(string soql, bool all, string queryOptions, string version)
    {
        FakeSoql query;
        try
        {
            query = FakeSoql.Parse(soql);
        }
        catch (FakeSoqlException e)
        {
            return Error(400, "MALFORMED_QUERY", $"\n{soql}\n^\nERROR at Row:1:Column:1\n{e.Message}");
        }
        if (!StandardFields.ContainsKey(query.Object)) return Error(400, "INVALID_TYPE", $"sObject type '{query.Object}' is not supported.");
        foreach (var field in query.Fields.Concat(query.Where.Select(w => w.Field)).Concat(query.OrderBy.Select(o => o.Field)))
        {
            if (!Knows(query.Object, field)) return InvalidField(field, query.Object);
        }
        foreach (var child in query.Children)
        {
            if (!ChildFields.TryGetValue((query.Object, child.Object), out var known))
                return Error(400, "INVALID_TYPE", $"Didn't understand relationship '{child.Object}' in FROM part of query call.");
            if (child.Fields.FirstOrDefault(f => !known.Contains(f)) is { } bad) return InvalidField(bad, child.Object);
        }

        var source = Of(query.Object).Values.AsEnumerable();
        if (all && RecycleBin.TryGetValue(query.Object, out var bin)) source = source.Concat(bin.Values);
        var rows = source.Where(row => query.Where.All(c => Matches(row, c))).ToList();
        rows.Sort((a, b) => Compare(a, b, query.OrderBy));
        if (query.Limit is { } limit && rows.Count > limit) rows = rows.Take(limit).ToList();
        var hint = Regex.Match(queryOptions, @"batchSize=(\d+)") is { Success: true } h ? int.Parse(h.Groups[1].Value, CultureInfo.InvariantCulture) : 2000;
        var batch = Math.Min(MaxBatch, Math.Clamp(hint, 200, 2000));
        var cursor = $"01gFAKE{++_nextCursor:D10}";
        _cursors[cursor] = (rows, query, 0, batch);
        return NextPage($"{cursor}-0", version);
    }

    private FakeResponse NextPage(string locator, string version)
    {
        var dash = locator.LastIndexOf('-');
        if (dash < 0 || !_cursors.TryGetValue(locator[..dash], out var cursor) ||
            !int.TryParse(locator[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position != cursor.Position)
            return Error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        var id = locator[..dash];
        var page = cursor.Rows.Skip(position).Take(cursor.Batch).ToList();
        var next = position + page.Count;
        var done = next >= cursor.Rows.Count;
        if (done) _cursors.Remove(id);
        else _cursors[id] = cursor with { Position = next };
        var body = new Dictionary<string, object?>
        {
            ["totalSize"] = (decimal)cursor.Rows.Count,
            ["done"] = done,
        };
        if (!done) body["nextRecordsUrl"] = $"/services/data/{version}/query/{id}-{next}";
        body["records"] = page.Select(row => Project(row, cursor.Query, version)).ToList();
        return new FakeResponse(200, Write(body));
    }

    private FakeResponse Deleted(string obj, FakeRequest r)
    {
        if (!StandardFields.ContainsKey(obj)) return Error(404, "NOT_FOUND", $"The requested resource does not exist");
        if (!DateTimeOffset.TryParse(r.Query["start"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) ||
            !DateTimeOffset.TryParse(r.Query["end"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            return Error(400, "MALFORMED_QUERY", "start and end must be ISO 8601 date-times");
        var now = Now();
        if (start < now.AddDays(-30)) return Error(400, "INVALID_REPLICATION_DATE", "startDate cannot be more than 30 days ago");
        if (end <= start) return Error(400, "INVALID_REPLICATION_DATE", "EndDate can not be before StartDate");
        var covered = Minute(end < now ? end : now);
        var body = new Dictionary<string, object?>
        {
            ["deletedRecords"] = DeletionLog.Where(d => d.Object == obj && d.At >= Minute(start) && d.At <= covered)
                .Select(d => (object?)new Dictionary<string, object?> { ["id"] = d.Id, ["deletedDate"] = Sf(d.At) }).ToList(),
            ["earliestDateAvailable"] = Sf(Minute(now.AddDays(-30))),
            ["latestDateCovered"] = Sf(covered),
        };
        return new FakeResponse(200, Write(body));
    }

    private FakeResponse Limits()
    {
        object Number(long n) => LimitsAsStrings ? n.ToString(CultureInfo.InvariantCulture) : (decimal)n;
        var remaining = Math.Max(0, DailyLimit - DailyUsed);
        var body = new Dictionary<string, object?>
        {
            ["ConcurrentAsyncGetReportInstances"] = new Dictionary<string, object?> { ["Max"] = Number(200), ["Remaining"] = Number(200) },
            ["DailyApiRequests"] = new Dictionary<string, object?>
            {
                ["Max"] = Number(DailyLimit),
                ["Remaining"] = Number(remaining),
                ["CrmPulse"] = new Dictionary<string, object?> { ["Max"] = Number(0), ["Remaining"] = Number(0) },
            },
            ["DataStorageMB"] = new Dictionary<string, object?> { ["Max"] = Number(5), ["Remaining"] = Number(5) },
        };
        return new FakeResponse(200, Write(body));
    }

    private bool Knows(string obj, string field) =>
        !HiddenFields.Contains($"{obj}.{field}") &&
        (StandardFields[obj].Contains(field) || (ExtraFields.TryGetValue(obj, out var extra) && extra.Contains(field)));

    /// <summary>Salesforce's two refusals: an unknown column, or (for a dotted path) a relationship it does not understand.
    /// A dotted path through a relationship the object has (Profile.PermissionsModifyAllData beside Profile.Name) is an
    /// unknown column of the related entity.</summary>
    private static FakeResponse InvalidField(string field, string obj) =>
        field.LastIndexOf('.') is var dot and > 0 && StandardFields.GetValueOrDefault(obj, []).Any(f => f != field && f.StartsWith(field[..(dot + 1)], StringComparison.Ordinal)
            && !f[(dot + 1)..].Contains('.'))
        ? Error(400, "INVALID_FIELD", $"\n{field}\n^\nERROR at Row:1:Column:1\nNo such column '{field[(dot + 1)..]}' on entity '{field[..dot].Split('.')[^1]}'. If you are " +
            "attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
        : field.Contains('.')
        ? Error(400, "INVALID_FIELD", $"\n{field}\n^\nERROR at Row:1:Column:1\nDidn't understand relationship '{field.Split('.')[^2]}' in field path. If you are " +
            "attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.")
        : Error(400, "INVALID_FIELD", $"\n{field}\n^\nERROR at Row:1:Column:1\nNo such column '{field}' on entity '{obj}'. If you are attempting to use a custom field, be sure to " +
            "append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");

    private static FakeResponse Error(int status, string code, string message) =>
        new(status, JsonSerializer.Serialize(new[] { new { message, errorCode = code } }));

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, t.Offset);

    [GeneratedRegex(@"^/services/data/(?<version>v\d{2,3}\.\d)/(?<rest>.*)$")]
    private static partial Regex DataPath();

    [GeneratedRegex(@"^sobjects/(?<obj>[A-Za-z]+)/deleted/?$")]
    private static partial Regex DeletedPath();

    private static string Write(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) WriteValue(writer, value);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
