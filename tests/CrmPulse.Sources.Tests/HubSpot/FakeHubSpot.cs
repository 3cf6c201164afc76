using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>
/// A local HubSpot on 127.0.0.1 that behaves as documented and recorded: bearer token, cursor paging that ends when
/// "paging" is absent, string-typed values, search with filters, sorts and the 10,000-result cap (400), archived
/// listings, v4 association batches, owners, users, login history, pipelines, properties and rate-limit headers.
/// Tests can inject faults per request.
/// </summary>
internal sealed partial class FakeHubSpot : IDisposable
{
    public const string Token = "test-token-not-real";

    private readonly FakeServer _server;

    public FakeHubSpot()
    {
        _server = new FakeServer(Answer, AddRateLimitHeaders);
    }

    public string BaseUrl => _server.BaseUrl;

    /// <summary>Objects by type name ("contacts", "deals", "calls", …).</summary>
    public Dictionary<string, SortedList<long, FakeObject>> Objects { get; } = new(StringComparer.Ordinal);

    public List<JsonElement> Owners { get; } = [];
    public List<JsonElement> ArchivedOwners { get; } = [];
    public List<JsonElement> Users { get; } = [];
    public List<JsonElement> Logins { get; } = [];
    public string DealPipelines { get; set; } = """{"results":[]}""";
    public Dictionary<string, string> PropertyDefinitions { get; } = new(StringComparer.Ordinal);
    public long PortalId { get; set; } = 62515;

    /// <summary>Ignore associations= on list endpoints (as a simpler HubSpot-shaped server might).</summary>
    public bool IgnoreInlineAssociations { get; set; }

    /// <summary>403 on the login history (a tier without it).</summary>
    public bool LoginsForbidden { get; set; }

    /// <summary>Targets per page of one source record in association batches (HubSpot pages past 500).</summary>
    public int AssociationPageSize { get; set; } = 500;

    public long DailyLimit { get; set; } = 500_000;
    public long DailyUsed { get; private set; }

    /// <summary>Answers a request instead of the normal handler when it returns non-null.</summary>
    public Func<FakeRequest, FakeResponse?>? Fault { get; set; }

    public List<FakeRequest> Requests => _server.Requests;

    public int Count(Func<FakeRequest, bool> which) => _server.Count(which);

    public SortedList<long, FakeObject> Of(string type)
    {
        if (!Objects.TryGetValue(type, out var map)) Objects[type] = map = [];
        return map;
    }

    public static string ReadRecorded(string fileName) => RecordedFiles.Read(fileName);

    /// <summary>Loads the "results" of a recorded list payload into <paramref name="type"/>.</summary>
    public void LoadRecorded(string type, string fileName)
    {
        foreach (var e in JsonDocument.Parse(ReadRecorded(fileName)).RootElement.GetProperty("results").EnumerateArray())
        {
            var o = FakeObject.FromRecorded(e);
            Of(type)[o.Id] = o;
        }
    }

    public static List<JsonElement> RecordedResults(string fileName) =>
        JsonDocument.Parse(ReadRecorded(fileName)).RootElement.GetProperty("results").EnumerateArray().ToList();

    private FakeResponse Answer(HttpContext context, FakeRequest request)
    {
        DailyUsed++;
        return Fault?.Invoke(request) ?? Authorize(context.Request) ?? Route(request);
    }

    private void AddRateLimitHeaders(IHeaderDictionary headers)
    {
        headers["X-HubSpot-RateLimit-Daily"] = DailyLimit.ToString();
        headers["X-HubSpot-RateLimit-Daily-Remaining"] = Math.Max(0, DailyLimit - DailyUsed).ToString();
        headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        headers["X-HubSpot-RateLimit-Max"] = "190";
        headers["X-HubSpot-RateLimit-Remaining"] = "189";
    }

    private static FakeResponse? Authorize(HttpRequest request) =>
        request.Headers.Authorization.ToString() == $"Bearer {Token}" ? null : FakeResponse.Recorded(401, "hubspot_error_401_observed.json");

    public void Dispose() => _server.Dispose();
}
