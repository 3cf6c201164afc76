namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// How a Salesforce source authenticates, server to server: the OAuth 2.0 client-credentials flow (a connected app
/// with a run-as user) or the JWT bearer flow (a connected app with an uploaded certificate and a pre-authorised user).
/// No secret sits in this class's JSON: the client id and secret are read from environment variables or files and the
/// private key from a PEM file, when the source authenticates.
/// </summary>
public sealed class SalesforceAuthOptions
{
    /// <summary>The flow names this class accepts.</summary>
    internal static readonly string[] Flows = ["ClientCredentials", "JwtBearer"];

    /// <summary>"ClientCredentials" (default; needs the client id and secret) or "JwtBearer" (needs the client id,
    /// <see cref="Username"/> and <see cref="PrivateKeyFile"/>).</summary>
    public string Flow { get; set; } = "ClientCredentials";

    /// <summary>
    /// The origin the token is requested from ({LoginUrl}/services/oauth2/token); for the JWT bearer flow it is also
    /// the assertion's audience. Default "https://login.salesforce.com" (sandboxes: "https://test.salesforce.com").
    /// The client-credentials flow needs the org's My Domain URL (e.g. "https://acme.my.salesforce.com"). An origin
    /// only, no path; https, except http to 127.0.0.1 or localhost for test servers.
    /// </summary>
    public string LoginUrl { get; set; } = "https://login.salesforce.com";

    /// <summary>Environment variable holding the connected app's client id (consumer key). Default
    /// "SALESFORCE_CLIENT_ID". Used when <see cref="ClientIdFile"/> is not set.</summary>
    public string? ClientIdEnv { get; set; } = "SALESFORCE_CLIENT_ID";

    /// <summary>A file whose first line is the client id (e.g. a mounted secret). Wins over <see cref="ClientIdEnv"/>.
    /// Default none.</summary>
    public string? ClientIdFile { get; set; }

    /// <summary>Environment variable holding the connected app's client secret (consumer secret), for the
    /// client-credentials flow. Default "SALESFORCE_CLIENT_SECRET". Used when <see cref="ClientSecretFile"/> is not set.</summary>
    public string? ClientSecretEnv { get; set; } = "SALESFORCE_CLIENT_SECRET";

    /// <summary>A file whose first line is the client secret. Wins over <see cref="ClientSecretEnv"/>. Default none.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>JWT bearer flow: the Salesforce username the source acts as (the assertion's "sub"); the user must be
    /// pre-authorised for the connected app by profile or permission set. Default none.</summary>
    public string? Username { get; set; }

    /// <summary>JWT bearer flow: a PEM file holding the RSA private key whose certificate is uploaded to the connected
    /// app, unencrypted PKCS#1 ("BEGIN RSA PRIVATE KEY") or PKCS#8 ("BEGIN PRIVATE KEY"). Read at each authentication,
    /// so a rotated key is picked up. Default none.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>JWT bearer flow: how long the signed assertion is valid (its "exp" is now plus this). Salesforce wants
    /// only a few minutes. Default 3 minutes; 1 second to 5 minutes.</summary>
    public TimeSpan AssertionLifetime { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>JWT bearer flow: the assertion's "aud" claim. Default: the <see cref="LoginUrl"/> origin. Salesforce
    /// documents https://login.salesforce.com (production), https://test.salesforce.com (sandboxes) or an Experience
    /// Cloud site URL: set this when <see cref="LoginUrl"/> is a My Domain URL and the org refuses it as audience.</summary>
    public string? Audience { get; set; }

    /// <summary>True when <see cref="Flow"/> names the JWT bearer flow.</summary>
    internal bool IsJwtBearer => string.Equals(Flow, "JwtBearer", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with these settings, each naming its key; empty when they are usable. Reads no secret
    /// and makes no call.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Flows.Contains(Flow, StringComparer.OrdinalIgnoreCase))
            problems.Add($"Flow: '{Flow}' is not a known flow; use ClientCredentials or JwtBearer.");
        if (!Uri.TryCreate(LoginUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            problems.Add($"LoginUrl: '{Core.SafeUrl.WithoutSecrets(LoginUrl)}' is not an absolute http(s) URL such as https://login.salesforce.com.");
        else if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            problems.Add($"LoginUrl: '{Core.SafeUrl.WithoutSecrets(LoginUrl)}' must be an origin without a path, such as https://acme.my.salesforce.com.");
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            // The client secret or a signed assertion travels in the request body.
            problems.Add($"LoginUrl: '{Core.SafeUrl.WithoutSecrets(LoginUrl)}' must use https (http is accepted only for a local test server).");
        else if (!IsJwtBearer && uri.Host is "login.salesforce.com" or "test.salesforce.com")
            // Salesforce refuses the client-credentials flow on the generic login hosts; say so before the first call.
            problems.Add($"LoginUrl: the ClientCredentials flow needs the org's My Domain URL (such as https://acme.my.salesforce.com), not '{Core.SafeUrl.WithoutSecrets(LoginUrl)}'.");
        if (Audience is not null && (!Uri.TryCreate(Audience, UriKind.Absolute, out var aud) || (aud.Scheme != Uri.UriSchemeHttps && !aud.IsLoopback)))
            problems.Add($"Audience: '{Core.SafeUrl.WithoutSecrets(Audience)}' is not an absolute https URL such as https://login.salesforce.com.");
        if (string.IsNullOrWhiteSpace(ClientIdFile) && string.IsNullOrWhiteSpace(ClientIdEnv))
            problems.Add("ClientIdEnv or ClientIdFile: one is required (the client id is never written in the configuration).");
        if (IsJwtBearer)
        {
            if (string.IsNullOrWhiteSpace(Username))
                problems.Add("Username: required by the JwtBearer flow (the pre-authorised user the source acts as).");
            if (string.IsNullOrWhiteSpace(PrivateKeyFile))
                problems.Add("PrivateKeyFile: required by the JwtBearer flow (a PEM file with the RSA private key).");
            if (AssertionLifetime < TimeSpan.FromSeconds(1) || AssertionLifetime > TimeSpan.FromMinutes(5))
                problems.Add($"AssertionLifetime must be 00:00:01 to 00:05:00, was {AssertionLifetime}.");
        }
        else if (string.IsNullOrWhiteSpace(ClientSecretFile) && string.IsNullOrWhiteSpace(ClientSecretEnv))
        {
            problems.Add("ClientSecretEnv or ClientSecretFile: one is required by the ClientCredentials flow (the secret is never written in the configuration).");
        }
        return problems;
    }
}
