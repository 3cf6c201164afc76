using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.AspNetCore.Http;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>
/// A local Salesforce on 127.0.0.1 that behaves as documented and recorded: the OAuth token endpoint (client
/// credentials; instance_url is this server), bearer sessions that can expire (401 INVALID_SESSION_ID), SOQL query and
/// queryAll over a small honest parser with nextRecordsUrl paging, getDeleted (30-day window), /limits with nested
/// per-app entries, the daily allowance (403 REQUEST_LIMIT_EXCEEDED) and Sforce-Limit-Info on every REST answer.
/// Tests can inject faults per request. Rows are field → value maps (string, bool, number, null, nested map).
/// </summary>
internal sealed partial class FakeSalesforce : IDisposable
{
    public const string ClientId = "fake-consumer-key";
    public const string ClientSecret = "fake-consumer-secret";

    private readonly FakeServer _server;
    private readonly HashSet<string> _validTokens = new(StringComparer.Ordinal);

    public FakeSalesforce(Func<DateTimeOffset> now)
    {
        Now = now;
        _server = new FakeServer(Answer, _ => { });
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>The org's clock (getDeleted's window, deletion dates).</summary>
    public Func<DateTimeOffset> Now { get; }

    /// <summary>Live rows by object, by Id.</summary>
    public Dictionary<string, Dictionary<string, Dictionary<string, object?>>> Rows { get; } = new(StringComparer.Ordinal);

    /// <summary>Deleted rows still in the recycle bin (queryAll sees them with IsDeleted true).</summary>
    public Dictionary<string, Dictionary<string, Dictionary<string, object?>>> RecycleBin { get; } = new(StringComparer.Ordinal);

    /// <summary>Every deletion, for getDeleted.</summary>
    public List<(string Object, string Id, DateTimeOffset At)> DeletionLog { get; } = [];

    /// <summary>Fields each object has, beyond the standard ones the source reads (custom fields: add them here).</summary>
    public Dictionary<string, HashSet<string>> ExtraFields { get; } = new(StringComparer.Ordinal);

    /// <summary>"Object.Field" paths the run-as user cannot see (field-level security): queries naming them are refused.</summary>
    public HashSet<string> HiddenFields { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows per query page at most (Salesforce sends up to 2,000 and may send fewer).</summary>
    public int MaxBatch { get; set; } = 2000;

    public long DailyLimit { get; set; } = 100_000;
    public long DailyUsed { get; set; }

    /// <summary>/limits sends Max and Remaining as strings, as a v29-era sample did.</summary>
    public bool LimitsAsStrings { get; set; }

    /// <summary>Answers a request instead of the normal handler when it returns non-null.</summary>
    public Func<FakeRequest, FakeResponse?>? Fault { get; set; }

    public int TokensIssued { get; private set; }

    public List<FakeRequest> Requests => _server.Requests;

    public int Count(Func<FakeRequest, bool> which) => _server.Count(which);

    /// <summary>REST calls (everything but the token endpoint).</summary>
    public int RestCalls => Count(r => r.Path.StartsWith("/services/data/", StringComparison.Ordinal));

    /// <summary>Every issued token stops working (401 INVALID_SESSION_ID until a new one is issued).</summary>
    public void ExpireSessions() { lock (_server.Gate) _validTokens.Clear(); }

    public Dictionary<string, Dictionary<string, object?>> Of(string obj)
    {
        if (!Rows.TryGetValue(obj, out var map)) Rows[obj] = map = new(StringComparer.Ordinal);
        return map;
    }

    /// <summary>Adds a row: IsDeleted false, and SystemModstamp from LastModifiedDate when the row has none.</summary>
    public Dictionary<string, object?> Add(string obj, Dictionary<string, object?> row)
    {
        row.TryAdd("IsDeleted", false);
        if (!row.ContainsKey("SystemModstamp") && row.GetValueOrDefault("LastModifiedDate") is string modified) row["SystemModstamp"] = modified;
        Of(obj)[(string)row["Id"]!] = row;
        return row;
    }

    /// <summary>Changes a field as a user would: LastModifiedDate and SystemModstamp move to <paramref name="at"/>.</summary>
    public void Touch(string obj, string id, DateTimeOffset at, string field, object? value)
    {
        var row = Of(obj)[id];
        row[field] = value;
        row["LastModifiedDate"] = row["SystemModstamp"] = Sf(at);
    }

    /// <summary>Deletes a row: it goes to the recycle bin and the deletion log.</summary>
    public void Delete(string obj, string id, DateTimeOffset at)
    {
        var row = Of(obj)[id];
        Of(obj).Remove(id);
        row["IsDeleted"] = true;
        row["SystemModstamp"] = Sf(at);
        if (!RecycleBin.TryGetValue(obj, out var bin)) RecycleBin[obj] = bin = new(StringComparer.Ordinal);
        bin[id] = row;
        DeletionLog.Add((obj, id, at));
    }

    /// <summary>Loads the "records" of a recorded query payload (attributes kept as they were recorded).</summary>
    public void LoadRecorded(string fileName)
    {
        foreach (var e in JsonDocument.Parse(RecordedFiles.Read(fileName)).RootElement.GetProperty("records").EnumerateArray())
        {
            var row = (Dictionary<string, object?>)FromJson(e)!;
            var attributes = (Dictionary<string, object?>)row["attributes"]!;
            row.TryAdd("Id", ((string)attributes["url"]!).Split('/')[^1]);
            Add((string)attributes["type"]!, row);
        }
    }

    /// <summary>Salesforce's datetime form: 2024-09-27T15:18:19.000+0000.</summary>
    public static string Sf(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private FakeResponse Answer(HttpContext context, FakeRequest request)
    {
        if (Fault?.Invoke(request) is { } fault) return Count(fault);
        if (request.Method == "POST" && request.Path == "/services/oauth2/token") return Token(request);
        if (!request.Path.StartsWith("/services/data/", StringComparison.Ordinal))
            return new FakeResponse(404, """[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""");
        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_validTokens.Contains(auth["Bearer ".Length..]))
            return FakeResponse.Recorded(401, "salesforce_error_invalid_session_401_observed.json");
        DailyUsed++;
        if (DailyUsed > DailyLimit) return WithUsage(FakeResponse.Recorded(403, "salesforce_error_request_limit_exceeded.RECONSTRUCTED.json"));
        return WithUsage(Route(request, context.Request.Headers["Sforce-Query-Options"].ToString()));
    }

    /// <summary>A faulted REST call still costs a request, as a real one would.</summary>
    private FakeResponse Count(FakeResponse fault)
    {
        DailyUsed++;
        return fault.Reset || fault.Stall ? fault : WithUsage(fault);
    }

    private FakeResponse WithUsage(FakeResponse response)
    {
        // A fault may bring its own Sforce-Limit-Info.
        var headers = new Dictionary<string, string>(response.Headers ?? new Dictionary<string, string>());
        headers.TryAdd("Sforce-Limit-Info", $"api-usage={Math.Min(DailyUsed, DailyLimit)}/{DailyLimit}");
        return response with { Headers = headers };
    }

    private FakeResponse Token(FakeRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.Body);
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            return FakeResponse.Recorded(400, "salesforce_oauth_error_invalid_grant.json");
        var token = JsonNode.Parse(RecordedFiles.Read("salesforce_oauth_token_response.json"))!.AsObject();
        TokensIssued++;
        var access = $"00DFAKE!token-{TokensIssued}";
        _validTokens.Add(access);
        token["access_token"] = access;
        token["instance_url"] = BaseUrl;
        token["issued_at"] = Now().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return new FakeResponse(200, token.ToJsonString());
    }

    public void Dispose() => _server.Dispose();
}
