using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmPulse.Sources.Tests.Salesforce.Auth;

/// <summary>
/// A local Salesforce token endpoint on 127.0.0.1 (POST /services/oauth2/token) for both server-to-server flows. It
/// checks the form fields, verifies a JWT assertion's RS256 signature with the uploaded public key and its claims
/// (iss, sub, aud = this server's origin, exp a few minutes ahead of <see cref="Clock"/>), and answers the recorded
/// token response (instance_url pointing here; the n-th token gets "-n" appended and issued_at n-1 minutes later) or
/// the OAuth error shape. GET /services/data/… answers 200 to the current token and the recorded 401
/// INVALID_SESSION_ID to any other, like a REST call after the session was revoked.
/// </summary>
internal sealed class FakeSalesforceLogin : IDisposable
{
    public const string ClientId = "test-client-id-not-real";
    public const string ClientSecret = "test-client-secret-not-real";
    public const string Username = "integration.user@example.invalid";

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _tokenRequestSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _currentToken;

    public FakeSalesforceLogin(TimeProvider clock)
    {
        Clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(ServeAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>The server's origin, e.g. "http://127.0.0.1:40123" (also the audience a JWT must name).</summary>
    public string BaseUrl { get; }

    public TimeProvider Clock { get; }

    /// <summary>The audience a JWT must name; default the server's origin (<see cref="BaseUrl"/>).</summary>
    public string? Audience { get; set; }

    /// <summary>The public key of the certificate "uploaded to the connected app".</summary>
    public RSA UploadedKey { get; set; } = TestKeys.Uploaded;

    /// <summary>False plays a connected app without the client-credentials flow or run-as user.</summary>
    public bool ClientCredentialsEnabled { get; set; } = true;

    /// <summary>Answers a token request instead of the normal handler when it returns non-null (status, body).</summary>
    public Func<int, (int Status, string Body)?>? Fault { get; set; }

    /// <summary>When set, token answers wait for it (to hold one authentication while another caller arrives).</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>The form of every token request, in order.</summary>
    public List<Dictionary<string, string>> TokenRequests { get; } = [];

    /// <summary>The decoded claims of the last JWT assertion, and why it was refused (null when it was accepted).</summary>
    public JsonObject? LastClaims { get; private set; }
    public string? LastRefusal { get; private set; }

    /// <summary>Completes when a token request arrives after <see cref="Hold"/> was set.</summary>
    public Task TokenRequestSeen => _tokenRequestSeen.Task;

    public int TokenCount { get { lock (_gate) return TokenRequests.Count; } }

    /// <summary>Revokes the current session: REST calls with it now get the recorded 401.</summary>
    public void Revoke() { lock (_gate) _currentToken = null; }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
    }

    private async Task ServeAsync(HttpContext context)
    {
        var request = context.Request;
        (int Status, string Body) answer;
        if (request.Method == "GET" && request.Path.StartsWithSegments("/services/data"))
        {
            lock (_gate)
                answer = _currentToken is { } t && request.Headers.Authorization.ToString() == $"Bearer {t}"
                    ? (200, "{}") : (401, RecordedOAuth.InvalidSession401);
        }
        else if (request.Method == "POST" && request.Path == "/services/oauth2/token" && request.HasFormContentType)
        {
            var form = (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
            int n;
            lock (_gate)
            {
                TokenRequests.Add(form);
                n = TokenRequests.Count;
            }
            if (Hold is { } hold)
            {
                _tokenRequestSeen.TrySetResult();
                await hold.Task;
            }
            answer = Fault?.Invoke(n) ?? Token(form, n);
        }
        else
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>URL No Longer Exists</body></html>");
            return;
        }
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.WriteAsync(answer.Body);
    }

    private (int, string) Token(Dictionary<string, string> form, int n)
    {
        var grant = form.GetValueOrDefault("grant_type");
        if (grant == "client_credentials")
        {
            if (form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
                return (400, """{"error":"invalid_client","error_description":"invalid client credentials"}""");
            if (!ClientCredentialsEnabled)
                return (400, """{"error":"invalid_grant","error_description":"no client credentials user enabled"}""");
            return Issue(n);
        }
        if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            LastRefusal = CheckAssertion(form.GetValueOrDefault("assertion") ?? "");
            if (LastRefusal == "iss") return (400, """{"error":"invalid_client_id","error_description":"client identifier invalid"}""");
            return LastRefusal is null ? Issue(n) : (400, RecordedOAuth.InvalidGrant);
        }
        return (400, """{"error":"unsupported_grant_type","error_description":"grant type not supported"}""");
    }

    /// <summary>Null when the assertion is good, else the part that is wrong.</summary>
    private string? CheckAssertion(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3) return "shape";
        if (Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])) != """{"alg":"RS256"}""") return "header";
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!UploadedKey.VerifyData(signed, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return "signature";
        var claims = LastClaims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        if ((string?)claims["iss"] != ClientId) return "iss";
        if ((string?)claims["sub"] != Username) return "sub";
        if ((string?)claims["aud"] != (Audience ?? BaseUrl)) return "aud";
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        var exp = (long?)claims["exp"];
        return exp > now && exp <= now + 300 ? null : "exp";
    }

    private (int, string) Issue(int n)
    {
        var token = JsonNode.Parse(RecordedOAuth.TokenResponse)!.AsObject();
        var accessToken = n == 1 ? RecordedOAuth.AccessToken : $"{RecordedOAuth.AccessToken}-{n}";
        token["access_token"] = accessToken;
        token["instance_url"] = BaseUrl;
        token["issued_at"] = (1_689_000_000_000 + (n - 1) * 60_000L).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate) _currentToken = accessToken;
        return (200, token.ToJsonString());
    }
}
