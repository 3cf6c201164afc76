using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmPulse.Sources.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>
/// An ActiveCampaign account's API v3 on 127.0.0.1, in the documented shapes (see SOURCES.md): the Api-Token header,
/// list endpoints answering {"&lt;resource&gt;": [...], "meta": {"total": "n"}} with limit (capped at 100) and offset,
/// filters[updated_after] on contacts (udate) and deals (mdate), ids[] on contacts, orders[cdate], 429 with
/// Retry-After and RateLimit-* headers, and {"message": …} error bodies.
/// </summary>
internal sealed class FakeActiveCampaign : IDisposable
{
    /// <summary>An obviously fake token.</summary>
    public const string Token = "fake-activecampaign-token-for-tests";

    private readonly FakeServer _server;

    public FakeActiveCampaign()
    {
        foreach (var name in new[] { "users", "dealGroups", "dealStages", "accounts", "accountContacts", "contacts", "deals", "dealTasks", "notes" })
            Tables[name] = [];
        _server = new FakeServer(Answer, h =>
        {
            h["RateLimit-Limit"] = "5";
            h["RateLimit-Remaining"] = "4";
        });
    }

    public string BaseUrl => _server.BaseUrl;

    public Dictionary<string, List<JsonObject>> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>A canned answer for some requests (null: answer normally); runs after the token check.</summary>
    public Func<FakeRequest, FakeResponse?>? Fault { get; set; }

    /// <summary>The next this-many requests get 429 Too Many Requests with Retry-After: <see cref="RetryAfterSeconds"/>.</summary>
    public int TooManyRequests { get; set; }

    public int RetryAfterSeconds { get; set; } = 2;

    public List<FakeRequest> Requests => _server.Requests;

    public int Count(Func<FakeRequest, bool> which) => _server.Count(which);

    public void Clear() { lock (_server.Gate) _server.Requests.Clear(); }

    public void Add(string table, JsonObject record) { lock (_server.Gate) Tables[table].Add(record); }

    public void Remove(string table, string id) { lock (_server.Gate) Tables[table].RemoveAll(r => (string?)r["id"] == id); }

    /// <summary>Changes a record's fields and its update time (udate, mdate or updatedTimestamp, as the resource names it).</summary>
    public void Update(string table, string id, DateTimeOffset at, params (string Field, string? Value)[] fields)
    {
        lock (_server.Gate)
        {
            var r = Tables[table].Single(x => (string?)x["id"] == id);
            foreach (var (f, v) in fields) r[f] = v;
            r[UpdatedField(table)] = Time(at);
        }
    }

    private static string UpdatedField(string table) => table switch
    {
        "contacts" or "dealTasks" or "dealGroups" or "dealStages" => "udate",
        "deals" or "notes" => "mdate",
        _ => "updatedTimestamp",
    };

    private FakeResponse Answer(HttpContext context, FakeRequest request)
    {
        if (context.Request.Headers["Api-Token"].ToString() != Token)
            return new FakeResponse(403, """{"message":"No Result found for User with api key"}""");
        if (Fault?.Invoke(request) is { } fault) return fault;
        if (TooManyRequests > 0)
        {
            TooManyRequests--;
            return new FakeResponse(429, """{"message":"Too Many Requests"}""",
                new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture), ["RateLimit-Remaining"] = "0" });
        }
        if (request.Method != "GET" || !request.Path.StartsWith("/api/3/", StringComparison.Ordinal))
            return new FakeResponse(404, """{"message":"Not Found"}""");
        var resource = request.Path["/api/3/".Length..];
        if (!Tables.TryGetValue(resource, out var table)) return new FakeResponse(404, """{"message":"Not Found"}""");

        IEnumerable<JsonObject> rows = table;
        if (request.Query["filters[updated_after]"] is { } after && resource is "contacts" or "deals")
        {
            var since = DateTimeOffset.Parse(after, CultureInfo.InvariantCulture);
            var field = UpdatedField(resource);
            rows = rows.Where(r => DateTimeOffset.Parse((string)r[field]!, CultureInfo.InvariantCulture) > since);
        }
        if (resource == "contacts" && request.Query.GetValues("ids[]") is { } ids) rows = rows.Where(r => ids.Contains((string?)r["id"]));
        rows = request.Query["orders[cdate]"] is "ASC"
            ? rows.OrderBy(r => DateTimeOffset.Parse((string)r["cdate"]!, CultureInfo.InvariantCulture)).ThenBy(Id)
            : rows.OrderBy(Id);
        var all = rows.ToList();
        var limit = Math.Min(int.Parse(request.Query["limit"] ?? "20", CultureInfo.InvariantCulture), 100);
        var offset = int.Parse(request.Query["offset"] ?? "0", CultureInfo.InvariantCulture);
        var page = new JsonArray(all.Skip(offset).Take(limit).Select(r => (JsonNode)r.DeepClone()).ToArray());
        var body = new JsonObject { [resource] = page, ["meta"] = new JsonObject { ["total"] = all.Count.ToString(CultureInfo.InvariantCulture) } };
        return new FakeResponse(200, body.ToJsonString());
    }

    private static long Id(JsonObject r) => long.Parse((string)r["id"]!, CultureInfo.InvariantCulture);

    /// <summary>The API's time format: ISO 8601 with the account's offset (here -05:00, as the docs' examples).</summary>
    public static string Time(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // Record builders in the documented shapes (fields CrmPulse does not read are kept where the docs show them).

    public static JsonObject User(string id, string username, string first, string last, string email) => Parse($$"""
        {"username":"{{username}}","firstName":"{{first}}","lastName":"{{last}}","email":"{{email}}","phone":"","signature":null,
         "links":{"lists":"/api/3/users/{{id}}/lists","userGroup":"/api/3/users/{{id}}/userGroup"},"id":"{{id}}"}
        """);

    public static JsonObject Pipeline(string id, string title, params string[] stages) => Parse($$"""
        {"allgroups":"1","allusers":"1","autoassign":"1","cdate":"2017-01-16T14:51:57-06:00","currency":"usd","id":"{{id}}",
         "links":{"stages":"/api/3/dealGroups/{{id}}/stages"},"stages":[{{string.Join(",", stages.Select(s => $"\"{s}\""))}}],"title":"{{title}}","udate":"2017-03-01T11:06:32-06:00"}
        """);

    public static JsonObject Stage(string id, string title, string group) => Parse($$"""
        {"cardRegion1":"title","cdate":null,"color":"18D499","dealOrder":"next-action DESC","group":"{{group}}","id":"{{id}}",
         "links":{"group":"/api/3/dealStages/{{id}}/group"},"order":"1","title":"{{title}}","udate":null,"width":"280"}
        """);

    public static JsonObject Account(string id, string name, string? url, DateTimeOffset created, DateTimeOffset? updated = null) => Parse($$"""
        {"name":"{{name}}","accountUrl":{{Json(url)}},"createdTimestamp":"{{Time(created)}}","updatedTimestamp":"{{Time(updated ?? created)}}",
         "contactCount":"0","dealCount":"0","links":[],"id":"{{id}}"}
        """);

    public static JsonObject AccountContact(string id, string account, string contact, DateTimeOffset created) => Parse($$"""
        {"account":"{{account}}","contact":"{{contact}}","jobTitle":"","createdTimestamp":"{{Time(created)}}","updatedTimestamp":"{{Time(created)}}",
         "links":{"account":"/api/3/accountContacts/{{id}}/account","contact":"/api/3/accountContacts/{{id}}/contact"},"id":"{{id}}"}
        """);

    public static JsonObject Contact(string id, string first, string last, string? email, string? phone, DateTimeOffset created, DateTimeOffset? updated = null) => Parse($$"""
        {"cdate":"{{Time(created)}}","email":{{Json(email ?? "")}},"phone":{{Json(phone ?? "")}},"firstName":"{{first}}","lastName":"{{last}}","orgid":"0",
         "segmentio_id":"","bounced_hard":"0","bounced_soft":"0","bounced_date":null,"ip":"0","ua":null,"hash":"","socialdata_lastcheck":null,
         "email_local":"","email_domain":"","sentcnt":"0","rating_tstamp":null,"gravatar":"0","deleted":"0","anonymized":"0","adate":null,
         "udate":"{{Time(updated ?? created)}}","edate":null,"deleted_at":null,"links":{"notes":"/api/3/contacts/{{id}}/notes"},"id":"{{id}}","organization":null}
        """);

    /// <param name="cents">The value in cents, as the API keeps it.</param>
    /// <param name="status">0 open, 1 won, 2 lost.</param>
    public static JsonObject Deal(string id, string title, long cents, string group, string stage, string owner, string? contact, string? account,
        int status, DateTimeOffset created, DateTimeOffset? updated = null) => Parse($$"""
        {"owner":"{{owner}}","contact":{{Json(contact)}},"organization":null,"account":{{Json(account)}},"group":"{{group}}","stage":"{{stage}}",
         "title":"{{title}}","description":"","percent":"0","cdate":"{{Time(created)}}","mdate":"{{Time(updated ?? created)}}","nextdate":null,
         "nextdealid":null,"value":"{{cents}}","currency":"usd","winProbability":null,"winProbabilityMdate":null,"status":"{{status}}",
         "activitycount":"0","nextdealtask":null,"links":{"notes":"/api/3/deals/{{id}}/notes"},"id":"{{id}}","isDisabled":false}
        """);

    /// <param name="reltype">"Deal" or "Subscriber" (a contact).</param>
    public static JsonObject Task(string id, string reltype, string relid, string user, string? assignee, DateTimeOffset created, DateTimeOffset due,
        bool done) => Parse($$"""
        {"relid":"{{relid}}","reltype":"{{reltype}}","dealTasktype":"1","user":"{{user}}","assignee":{{Json(assignee)}},"automation":null,
         "cdate":"{{Time(created)}}","duedate":"{{Time(due)}}","edate":"{{Time(due.AddMinutes(15))}}","duration":"0","status":"{{(done ? 1 : 0)}}",
         "title":"","note":"Call back","donedate":null,"doneAutomation":null,"udate":"{{Time(created)}}",
         "owner":{"type":"{{(reltype == "Deal" ? "deal" : "contact")}}","id":"{{relid}}"},"id":"{{id}}","links":{"notes":"/{{id}}/notes"} }
        """);

    /// <param name="reltype">"Deal", "Subscriber", "CustomerAccount", "DealTask" or "Activity".</param>
    public static JsonObject Note(string id, string reltype, string relid, string user, DateTimeOffset created) => Parse($$"""
        {"relid":"{{relid}}","reltype":"{{reltype}}","userid":"{{user}}","is_draft":"0","cdate":"{{Time(created)}}","mdate":"{{Time(created)}}",
         "note":"Here is a note","links":{"user":"/api/3/notes/{{id}}/user"},"id":"{{id}}","user":"{{user}}","owner":{"type":"deal","id":"{{relid}}"} }
        """);

    /// <summary>Adds the records of a documentation example (Recorded/&lt;file&gt;, its array &lt;member&gt;) to a table.</summary>
    public void LoadRecorded(string table, string fileName, string member)
    {
        foreach (var r in JsonNode.Parse(RecordedFiles.Read(fileName))![member]!.AsArray()) Add(table, r!.AsObject().DeepClone().AsObject());
    }

    private static string Json(string? s) => JsonSerializer.Serialize(s);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public void Dispose() => _server.Dispose();
}
