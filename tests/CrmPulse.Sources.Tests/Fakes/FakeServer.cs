using System.Net;
using System.Text;
using System.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmPulse.Sources.Tests.Fakes;

/// <summary>
/// The Kestrel plumbing of the fake CRM servers, on 127.0.0.1 and a free port: records every request, lets the CRM's
/// handler answer it under one lock (so a handler needs no locking of its own), and writes the answer, a connection
/// reset or no answer at all.
/// </summary>
internal sealed class FakeServer : IDisposable
{
    private readonly WebApplication _app;
    private readonly Func<HttpContext, FakeRequest, FakeResponse> _answer;
    private readonly Action<IHeaderDictionary> _headers;

    /// <param name="answer">Answers a request; runs under the server's lock.</param>
    /// <param name="headers">Adds the headers every answer carries (before the answer's own).</param>
    public FakeServer(Func<HttpContext, FakeRequest, FakeResponse> answer, Action<IHeaderDictionary> headers)
    {
        _answer = answer;
        _headers = headers;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>http://127.0.0.1:&lt;port&gt; (no trailing slash).</summary>
    public string BaseUrl { get; }

    /// <summary>The lock the handler runs under.</summary>
    public object Gate { get; } = new();

    public List<FakeRequest> Requests { get; } = [];

    public int Count(Func<FakeRequest, bool> which) { lock (Gate) return Requests.Count(which); }

    private async Task ServeAsync(HttpContext context)
    {
        using var bodyReader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await bodyReader.ReadToEndAsync();
        var request = new FakeRequest(context.Request.Method, context.Request.Path.Value ?? "",
            HttpUtility.ParseQueryString(context.Request.QueryString.Value ?? ""), body);
        FakeResponse response;
        lock (Gate)
        {
            Requests.Add(request);
            try
            {
                response = _answer(context, request);
            }
            catch (Exception e)
            {
                // A bug in a fake shows as a 500 naming it, instead of an empty 500.
                response = new FakeResponse(500, $"fake server error: {e}");
            }
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
        _headers(context.Response.Headers);
        foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[k] = v;
        await context.Response.WriteAsync(response.Body);
    }

    public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
