using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// Gets and renews the session of one Salesforce source through the OAuth 2.0 token endpoint
/// ({LoginUrl}/services/oauth2/token), with the client-credentials or the JWT bearer flow. The first session is
/// cached; after a REST call answers 401 INVALID_SESSION_ID the client calls <see cref="RenewAsync"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Failures: an OAuth error from the token endpoint (invalid_grant, invalid_client, unsupported_grant_type, …), an
/// answer without access_token or instance_url, and a missing or unreadable secret or key throw
/// <see cref="SourceException"/> naming the source, the flow and what to check; retrying will not help. A 5xx, 408 or
/// 429 answer throws <see cref="HttpRequestException"/> with its StatusCode, and network errors and timeouts surface as
/// <see cref="HttpClient"/> raises them, so the caller's retry policy treats them like any transient failure. No
/// message carries the client id, secret, key or token. A failed authentication is not cached: the next call tries again.
/// </remarks>
/// <param name="sourceName">The source's configured name, for messages.</param>
/// <param name="options">The validated settings (see <see cref="SalesforceAuthOptions.Validate"/>).</param>
/// <param name="http">Posts to the token endpoint; its timeout applies.</param>
/// <param name="time">The clock for the JWT's exp and for sessions whose answer lacks issued_at.</param>
public sealed class SalesforceAuthenticator(string sourceName, SalesforceAuthOptions options, HttpClient http, TimeProvider time)
{
    private const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceSession? _session;

    private string Owner => $"Salesforce source '{sourceName}'";
    private string FlowName => options.IsJwtBearer ? "JwtBearer" : "ClientCredentials";

    /// <summary>The cached session, or a new one from the token endpoint on the first call (or after a failure).</summary>
    public async Task<SalesforceSession> GetSessionAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _session) is { } cached) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            return _session ??= await AuthenticateAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Called after a REST call with <paramref name="rejected"/> answered 401 INVALID_SESSION_ID. When another caller
    /// has already replaced that session, returns the replacement; otherwise authenticates again. Callers re-try their
    /// call once with the result and fail if it is rejected too.
    /// </summary>
    public async Task<SalesforceSession> RenewAsync(SalesforceSession rejected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        await _gate.WaitAsync(ct);
        try
        {
            // Compared by token: Salesforce's issued_at has millisecond resolution and two tokens may share it.
            if (_session is { } current && current.AccessToken != rejected.AccessToken) return current;
            _session = null; // never hand out the rejected session again, even if renewing fails
            return _session = await AuthenticateAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SalesforceSession> AuthenticateAsync(CancellationToken ct)
    {
        if (!Uri.TryCreate(options.LoginUrl, UriKind.Absolute, out var login))
            throw new SourceException($"{Owner}: LoginUrl '{Core.SafeUrl.WithoutSecrets(options.LoginUrl)}' is not an absolute URL.");
        var origin = $"{login.Scheme}://{login.Authority}"; // never the user info: it would show in every error message
        var endpoint = new Uri(origin + "/services/oauth2/token");
        var clientId = Secret.Read(Owner, "client id", options.ClientIdFile, "ClientIdFile", options.ClientIdEnv, "ClientIdEnv");
        var form = options.IsJwtBearer
            ? new Dictionary<string, string> { ["grant_type"] = JwtBearerGrant, ["assertion"] = CreateAssertion(clientId, options.Audience?.TrimEnd('/') ?? origin) }
            : new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = Secret.Read(Owner, "client secret", options.ClientSecretFile, "ClientSecretFile",
                    options.ClientSecretEnv, "ClientSecretEnv"),
            };

        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(endpoint, content, ct);
        var status = (int)response.StatusCode;
        if (status >= 500 || status is 408 or 429)
            throw new HttpRequestException($"{Owner}: the token endpoint {endpoint} answered {status} to the {FlowName} flow.",
                null, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct);
        using var json = TryParse(body);
        if (!response.IsSuccessStatusCode) throw new SourceException(RefusalMessage(endpoint, status, json?.RootElement));
        if (json is null || json.RootElement.ValueKind != JsonValueKind.Object)
            throw new SourceException($"{Owner}: the token endpoint {endpoint} answered {status} with a body that is not a JSON object; check that LoginUrl is a Salesforce login URL.");
        return ReadSession(json.RootElement, endpoint);
    }

    private SalesforceSession ReadSession(JsonElement answer, Uri endpoint)
    {
        var token = Text(answer, "access_token");
        if (string.IsNullOrEmpty(token))
            throw new SourceException($"{Owner}: the token endpoint {endpoint} answered without an access_token ({FlowName} flow).");
        var instance = Text(answer, "instance_url");
        if (!Uri.TryCreate(instance, UriKind.Absolute, out var instanceUrl) ||
            (instanceUrl.Scheme != Uri.UriSchemeHttps && instanceUrl.Scheme != Uri.UriSchemeHttp))
            throw new SourceException($"{Owner}: the token endpoint {endpoint} answered without a usable instance_url ('{instance}'), the host every REST call goes to.");
        return new SalesforceSession(token, instanceUrl, IssuedAt(answer));
    }

    /// <summary>issued_at is epoch milliseconds sent as a string (a number is accepted too); the local clock stands in
    /// when it is absent or unreadable, because only the renewal logic compares it and a session is still usable.</summary>
    private DateTimeOffset IssuedAt(JsonElement answer)
    {
        if (answer.TryGetProperty("issued_at", out var v))
        {
            long ms = 0;
            var read = v.ValueKind switch
            {
                JsonValueKind.String => long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ms),
                JsonValueKind.Number => v.TryGetInt64(out ms),
                _ => false,
            };
            // The upper bound is DateTimeOffset's last millisecond (9999-12-31), beyond which it cannot be built.
            if (read && ms is >= 0 and <= 253_402_300_799_999) return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        return time.GetUtcNow();
    }

    private string RefusalMessage(Uri endpoint, int status, JsonElement? answer)
    {
        var error = answer is { ValueKind: JsonValueKind.Object } a ? Text(a, "error") : null;
        if (string.IsNullOrEmpty(error))
            return $"{Owner}: the token endpoint {endpoint} answered {status} to the {FlowName} flow without an OAuth error; check that LoginUrl is a Salesforce login URL.";
        var description = Text(answer!.Value, "error_description");
        var detail = string.IsNullOrEmpty(description) ? error : $"{error} ({description})";
        return $"{Owner}: the token endpoint {endpoint} refused the {FlowName} flow: {detail}. {Hint(error)}";
    }

    private string Hint(string error) => (error, options.IsJwtBearer) switch
    {
        ("invalid_client" or "invalid_client_id", false) =>
            "Check that ClientIdEnv/ClientIdFile and ClientSecretEnv/ClientSecretFile hold the connected app's consumer key and secret.",
        ("invalid_client" or "invalid_client_id", true) =>
            "Check that ClientIdEnv/ClientIdFile holds the connected app's consumer key.",
        ("invalid_grant", false) =>
            "Check that the connected app enables the client credentials flow and names a run-as user, and that LoginUrl is the org's My Domain URL (login.salesforce.com does not accept this flow).",
        ("invalid_grant", true) =>
            $"Check that Username '{options.Username}' is pre-authorised for the connected app (admin-approved users, by profile or permission set), that the certificate uploaded to the app matches PrivateKeyFile, that LoginUrl is the login host of the user's org, and that this machine's clock is right (the assertion expires after AssertionLifetime).",
        ("unsupported_grant_type", _) =>
            "Check that Flow names a flow the connected app enables and that LoginUrl accepts it.",
        _ => "Check the connected app's OAuth settings.",
    };

    /// <summary>An RS256 JWT: header {"alg":"RS256"}, claims iss (client id), sub (username), aud (login origin), exp.</summary>
    private string CreateAssertion(string clientId, string audience)
    {
        if (string.IsNullOrWhiteSpace(options.Username))
            throw new SourceException($"{Owner}: Username is not set; the JwtBearer flow needs the user the source acts as.");
        var claims = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(claims))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", clientId);
            writer.WriteString("sub", options.Username);
            writer.WriteString("aud", audience);
            writer.WriteNumber("exp", time.GetUtcNow().Add(options.AssertionLifetime).ToUnixTimeSeconds());
            writer.WriteEndObject();
        }
        var signingInput = Base64Url.EncodeToString("""{"alg":"RS256"}"""u8) + "." + Base64Url.EncodeToString(claims.WrittenSpan);
        return signingInput + "." + Base64Url.EncodeToString(Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private byte[] Sign(byte[] data)
    {
        var path = options.PrivateKeyFile;
        if (string.IsNullOrWhiteSpace(path))
            throw new SourceException($"{Owner}: PrivateKeyFile is not set; the JwtBearer flow signs its assertion with that RSA key.");
        string pem;
        try
        {
            pem = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceException($"{Owner}: cannot read the private key file '{path}' (PrivateKeyFile): {e.Message}", e);
        }
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too; signing is what proves the file holds the private half.
            return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new SourceException($"{Owner}: the private key file '{path}' (PrivateKeyFile) holds no usable RSA private key; expected an unencrypted PEM block 'BEGIN RSA PRIVATE KEY' (PKCS#1) or 'BEGIN PRIVATE KEY' (PKCS#8). {e.Message}", e);
        }
    }

    private static JsonDocument? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
