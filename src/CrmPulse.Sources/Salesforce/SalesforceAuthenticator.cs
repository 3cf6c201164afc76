using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// Gets and caches the access token. STAND-IN with the agreed API (client-credentials flow only): the auth work
/// (wip-sfauth) owns this file, adds the JWT bearer flow, and its version wins at the merge.
/// </summary>
public sealed class SalesforceAuthenticator(string sourceName, SalesforceAuthOptions options, HttpClient http, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceSession? _session;

    /// <summary>The cached session, or a new one from the token endpoint.</summary>
    /// <exception cref="SourceException">The token endpoint refused (OAuth error shape) or could not be reached.</exception>
    public async Task<SalesforceSession> GetSessionAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return _session ??= await RequestTokenAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After INVALID_SESSION_ID: a new session, unless another caller already replaced <paramref name="rejected"/>.</summary>
    public async Task<SalesforceSession> RenewAsync(SalesforceSession rejected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_session is not null && _session != rejected) return _session;
            _session = null;
            return _session = await RequestTokenAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SalesforceSession> RequestTokenAsync(CancellationToken ct)
    {
        if (string.Equals(options.Flow, "JwtBearer", StringComparison.OrdinalIgnoreCase))
            throw new SourceException($"Salesforce source '{sourceName}': the JwtBearer flow is not in this build's stand-in authenticator; use ClientCredentials.");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Secret(options.ClientIdFile, options.ClientIdEnv, "ClientId"),
            ["client_secret"] = Secret(options.ClientSecretFile, options.ClientSecretEnv, "ClientSecret"),
        });
        var url = options.LoginUrl.TrimEnd('/') + "/services/oauth2/token";
        HttpResponseMessage response;
        string body;
        // The source's HttpClient has no time limit of its own (each call sets one): a token request gets a minute.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        try
        {
            response = await http.PostAsync(url, form, limit.Token);
            body = await response.Content.ReadAsStringAsync(limit.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
        {
            throw new SourceException($"Salesforce source '{sourceName}': the token endpoint {url} could not be reached: {e.Message}", e);
        }
        using (response)
        {
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(body).RootElement;
            }
            catch (JsonException)
            {
                throw new SourceException($"Salesforce source '{sourceName}': the token endpoint answered {(int)response.StatusCode} with a body that is not JSON.");
            }
            if (!response.IsSuccessStatusCode || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var token))
            {
                var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? SalesforceValues.AsText(e) : null;
                var description = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_description", out var d) ? SalesforceValues.AsText(d) : null;
                throw new SourceException($"Salesforce source '{sourceName}': the token request was refused ({(int)response.StatusCode} {error ?? "(no error)"}: " +
                    $"{description ?? "(no description)"}). Check the connected app's consumer key and secret, that the client-credentials flow " +
                    "is enabled with a run-as user, and that Auth:LoginUrl is the org's My Domain URL.");
            }
            var instance = root.TryGetProperty("instance_url", out var i) ? SalesforceValues.AsText(i) : null;
            if (!Uri.TryCreate(instance, UriKind.Absolute, out var instanceUrl))
                throw new SourceException($"Salesforce source '{sourceName}': the token response has no usable instance_url ('{instance}').");
            // issued_at is epoch milliseconds as a string; a number is taken too.
            var issued = root.TryGetProperty("issued_at", out var at) && long.TryParse(SalesforceValues.AsText(at), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : time.GetUtcNow();
            if (SalesforceValues.AsText(token) is not { } accessToken)
                throw new SourceException($"Salesforce source '{sourceName}': the token response's access_token is empty.");
            return new SalesforceSession(accessToken, instanceUrl, issued);
        }
    }

    private string Secret(string? file, string? env, string what)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            try
            {
                var line = System.IO.File.ReadLines(file).FirstOrDefault()?.Trim();
                if (!string.IsNullOrEmpty(line)) return line;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SourceException($"Salesforce source '{sourceName}': cannot read Auth:{what}File '{file}': {e.Message}", e);
            }
            throw new SourceException($"Salesforce source '{sourceName}': Auth:{what}File '{file}' is empty.");
        }
        var value = Environment.GetEnvironmentVariable(env!)?.Trim();
        if (string.IsNullOrEmpty(value))
            throw new SourceException($"Salesforce source '{sourceName}': the environment variable '{env}' (Auth:{what}Env) is not set.");
        return value;
    }
}
