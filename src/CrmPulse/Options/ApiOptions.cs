namespace CrmPulse.Options;

/// <summary>CrmPulse:Api. Keys come from the environment (CRMPULSE__API__APIKEYS__0) or a file, never from committed JSON.</summary>
public sealed class ApiOptions
{
    /// <summary>Accepted API keys (header X-Api-Key, or Authorization: Bearer). Needed by record-level and mutating endpoints
    /// whenever one is configured, and required to listen on anything but loopback.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>A file with one API key per line (blank lines and lines starting with # ignored), read at start-up.</summary>
    public string? ApiKeysFile { get; set; }
}
