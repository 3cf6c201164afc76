namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// How a Salesforce source signs in (server to server, no user present). STAND-IN: the auth work (wip-sfauth) owns
/// this file and its version wins at the merge; this one has the agreed API and supports the client-credentials flow.
/// Secrets never sit in the configuration: they are read from environment variables or files when a token is needed.
/// </summary>
public sealed class SalesforceAuthOptions
{
    /// <summary>"ClientCredentials" (connected app with a run-as user) or "JwtBearer" (certificate). Default "ClientCredentials".</summary>
    public string Flow { get; set; } = "ClientCredentials";

    /// <summary>Token endpoint base: the org's My Domain URL (recommended), https://login.salesforce.com or
    /// https://test.salesforce.com. Default "https://login.salesforce.com"; tests point it at a local server.</summary>
    public string LoginUrl { get; set; } = "https://login.salesforce.com";

    /// <summary>Environment variable holding the connected app's consumer key. Default "SALESFORCE_CLIENT_ID".</summary>
    public string? ClientIdEnv { get; set; } = "SALESFORCE_CLIENT_ID";

    /// <summary>A file whose first line is the consumer key; wins over <see cref="ClientIdEnv"/>.</summary>
    public string? ClientIdFile { get; set; }

    /// <summary>Environment variable holding the consumer secret (client credentials). Default "SALESFORCE_CLIENT_SECRET".</summary>
    public string? ClientSecretEnv { get; set; } = "SALESFORCE_CLIENT_SECRET";

    /// <summary>A file whose first line is the consumer secret; wins over <see cref="ClientSecretEnv"/>.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>JWT bearer: the Salesforce username the token is issued for (the JWT's sub).</summary>
    public string? Username { get; set; }

    /// <summary>JWT bearer: PEM file with the private key whose certificate is uploaded to the connected app.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>Every problem with these settings, each naming its key; empty when usable. Makes no call.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var jwt = string.Equals(Flow, "JwtBearer", StringComparison.OrdinalIgnoreCase);
        if (!jwt && !string.Equals(Flow, "ClientCredentials", StringComparison.OrdinalIgnoreCase))
            problems.Add($"Flow: '{Flow}' is not a known flow (known: ClientCredentials, JwtBearer).");
        if (!Uri.TryCreate(LoginUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            problems.Add($"LoginUrl: '{LoginUrl}' is not an absolute http(s) URL.");
        if (string.IsNullOrWhiteSpace(ClientIdFile) && string.IsNullOrWhiteSpace(ClientIdEnv))
            problems.Add("ClientIdEnv or ClientIdFile: one is required (the consumer key).");
        if (!jwt && string.IsNullOrWhiteSpace(ClientSecretFile) && string.IsNullOrWhiteSpace(ClientSecretEnv))
            problems.Add("ClientSecretEnv or ClientSecretFile: one is required for the ClientCredentials flow.");
        if (jwt && string.IsNullOrWhiteSpace(Username)) problems.Add("Username is required for the JwtBearer flow.");
        if (jwt && string.IsNullOrWhiteSpace(PrivateKeyFile)) problems.Add("PrivateKeyFile is required for the JwtBearer flow.");
        return problems;
    }
}
