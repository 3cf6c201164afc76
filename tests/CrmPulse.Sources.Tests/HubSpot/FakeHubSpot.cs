using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Web;

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

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly object _gate = new();

    public FakeHubSpot()
    {
        // HttpListener needs a fixed port: take a free one from the OS first.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Objects by type name ("contacts", "deals", "calls", …).</summary>
    public Dictionary<string, SortedDictionary<long, FakeObject>> Objects { get; } = new(StringComparer.Ordinal);

    public List<JsonElement> Owners { get; } = [];
    public List<JsonElement> ArchivedOwners { get; } = [];
    public List<JsonElement> Users { get; } = [];
    public List<JsonElement> Logins { get; } = [];
    public string DealPipelines { get; set; } = """{"results":[]}""";
    public Dictionary<string, string> PropertyDefinitions { get; } = new(StringComparer.Ordinal);
    public long PortalId { get; set; } = 62515;

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

    public SortedDictionary<long, FakeObject> Of(string type)
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

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        try
        {
            using var bodyReader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var url = context.Request.Url!;
            var request = new FakeRequest(context.Request.HttpMethod, url.AbsolutePath, HttpUtility.ParseQueryString(url.Query), bodyReader.ReadToEnd());
            FakeResponse response;
            lock (_gate)
            {
                Requests.Add(request);
                DailyUsed++;
                response = Fault?.Invoke(request) ?? Authorize(context.Request) ?? Route(request);
            }
            if (response.Reset)
            {
                context.Response.Abort();
                return;
            }
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = "application/json;charset=utf-8";
            context.Response.Headers["X-HubSpot-RateLimit-Daily"] = DailyLimit.ToString();
            context.Response.Headers["X-HubSpot-RateLimit-Daily-Remaining"] = Math.Max(0, DailyLimit - DailyUsed).ToString();
            context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
            context.Response.Headers["X-HubSpot-RateLimit-Max"] = "190";
            context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = "189";
            foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[k] = v;
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength64 = bytes.Length;
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (e.g. a test's timeout): nothing to answer.
        }
    }

    private static FakeResponse? Authorize(HttpListenerRequest request) =>
        request.Headers["Authorization"] == $"Bearer {Token}" ? null : FakeResponse.Recorded(401, "hubspot_error_401_observed.json");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
