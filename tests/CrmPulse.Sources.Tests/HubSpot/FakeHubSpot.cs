using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    private readonly WebApplication _app;
    private readonly object _gate = new();

    public FakeHubSpot()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public string BaseUrl { get; }

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

    public List<FakeRequest> Requests { get; } = [];

    public int Count(Func<FakeRequest, bool> which) { lock (_gate) return Requests.Count(which); }

    public SortedList<long, FakeObject> Of(string type)
    {
        if (!Objects.TryGetValue(type, out var map)) Objects[type] = map = [];
        return map;
    }

    public static string ReadRecorded(string fileName) =>
        System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HubSpot", "Recorded", fileName));

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

    private async Task ServeAsync(HttpContext context)
    {
        using var bodyReader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await bodyReader.ReadToEndAsync();
        var request = new FakeRequest(context.Request.Method, context.Request.Path.Value ?? "",
            HttpUtility.ParseQueryString(context.Request.QueryString.Value ?? ""), body);
        FakeResponse response;
        lock (_gate)
        {
            Requests.Add(request);
            DailyUsed++;
            response = Fault?.Invoke(request) ?? Authorize(context.Request) ?? Route(request);
        }
        if (response.Stall)
        {
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
            return;
        }
        if (response.Reset)
        {
            context.Abort();
            return;
        }
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json;charset=utf-8";
        var headers = context.Response.Headers;
        headers["X-HubSpot-RateLimit-Daily"] = DailyLimit.ToString();
        headers["X-HubSpot-RateLimit-Daily-Remaining"] = Math.Max(0, DailyLimit - DailyUsed).ToString();
        headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        headers["X-HubSpot-RateLimit-Max"] = "190";
        headers["X-HubSpot-RateLimit-Remaining"] = "189";
        foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) headers[k] = v;
        await context.Response.WriteAsync(response.Body);
    }

    private static FakeResponse? Authorize(HttpRequest request) =>
        request.Headers.Authorization.ToString() == $"Bearer {Token}" ? null : FakeResponse.Recorded(401, "hubspot_error_401_observed.json");

    public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
