namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// Settings of a HubSpot source (one portal, private-app token). See src/CrmPulse.Sources/HubSpot/README.md for the
/// scopes the private app needs. The token never sits in this class's JSON: it is read from <see cref="TokenEnv"/> or
/// <see cref="TokenFile"/> when the source pulls.
/// </summary>
public sealed class HubSpotSourceOptions
{
    /// <summary>API base URL. Default "https://api.hubapi.com"; tests point it at a local server.</summary>
    public string BaseUrl { get; set; } = "https://api.hubapi.com";

    /// <summary>
    /// HubSpot's date-versioned API release to call, e.g. "2026-03": every family then uses its dated path
    /// (/crm/objects/2026-03/contacts, /crm/associations/2026-03/…, /account-info/2026-03/…). Default none: the
    /// /crm/v3/… (objects, owners, pipelines, properties), /crm/v4/associations, /settings/v3/users and
    /// /account-info/v3 paths.
    /// </summary>
    public string? ApiVersion { get; set; }

    /// <summary>
    /// Path prefix per API family, overriding <see cref="ApiVersion"/> for that family: "objects", "associations",
    /// "pipelines", "properties", "owners", "users", "account-info" (e.g. "objects": "/crm/objects/2026-09"). Default none.
    /// </summary>
    public Dictionary<string, string> ApiPaths { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Name of the environment variable holding the private-app token. Default "HUBSPOT_TOKEN".
    /// Used when <see cref="TokenFile"/> is not set.</summary>
    public string? TokenEnv { get; set; } = "HUBSPOT_TOKEN";

    /// <summary>A file whose first line is the private-app token (e.g. a mounted secret). Wins over <see cref="TokenEnv"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The portal (hub) id, for deep links. Default: read from /account-info/v3/details on the first pull.</summary>
    public long? PortalId { get; set; }

    /// <summary>The UI host of deep links. Default "app.hubspot.com" (EU portals: "app-eu1.hubspot.com").</summary>
    public string AppHost { get; set; } = "app.hubspot.com";

    /// <summary>
    /// Custom properties to pull per object ("contact", "company", "deal"), by HubSpot internal name. This is the
    /// source's shared CustomFields key, so the fields the data-quality KPIs watch are the ones pulled. Default none.
    /// </summary>
    public Dictionary<string, List<string>> CustomFields { get; set; } = [];

    /// <summary>Records per page of the list endpoints, 1–100. Default 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Records per page of the search endpoint, 1–200. Default 200.</summary>
    public int SearchPageSize { get; set; } = 200;

    /// <summary>Ids per association batch read, 1–1000. Default 100.</summary>
    public int AssociationBatchSize { get; set; } = 100;

    /// <summary>Search calls per second at most (HubSpot allows 5 per account; the default 4 leaves room for others).</summary>
    public double SearchRequestsPerSecond { get; set; } = 4;

    /// <summary>
    /// The share (0–1] of the portal's daily API allowance this source may use per UTC day. Default 0.5. When the next
    /// request would pass it, the sync stops with an error and nothing of it is committed.
    /// </summary>
    public double DailyShare { get; set; } = 0.5;

    /// <summary>
    /// How far back an incremental search starts before the watermark, because HubSpot's search index trails writes
    /// by a few seconds. Re-read records are applied once. Default 5 minutes.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of one request after a 429 burst limit, a 5xx, a timeout or a network error. Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First back-off after a 5xx or a network error; it doubles each retry. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one attempt of an HTTP request (its body included). Default 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit of one request with all its retries and back-off waits. Default 5 minutes (at least RequestTimeout).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Pull login history from the account activity API (needs account-info.security.read; some tiers
    /// refuse it with 403, and the adoption KPIs then fall back to activity). Default true.</summary>
    public bool LoginHistory { get; set; } = true;

    /// <summary>Every problem with these settings, each naming its key; empty when they are usable. Makes no call.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            problems.Add($"BaseUrl: '{Core.SafeUrl.WithoutSecrets(BaseUrl)}' is not an absolute http(s) URL.");
        problems.AddRange(HubSpotPaths.Validate(ApiVersion, ApiPaths));
        if (string.IsNullOrWhiteSpace(TokenFile) && string.IsNullOrWhiteSpace(TokenEnv))
            problems.Add("TokenEnv or TokenFile: one is required (the private-app token is never written in the configuration).");
        if (PortalId is <= 0) problems.Add($"PortalId must be positive, was {PortalId}.");
        if (string.IsNullOrWhiteSpace(AppHost) || AppHost.Contains('/'))
            problems.Add($"AppHost: '{AppHost}' must be a host name such as app.hubspot.com.");
        // CustomFields is the source entry's shared key: the host checks its objects and names once (not twice here).
        if (PageSize is < 1 or > 100) problems.Add($"PageSize must be 1 to 100, was {PageSize}.");
        if (SearchPageSize is < 1 or > 200) problems.Add($"SearchPageSize must be 1 to 200, was {SearchPageSize}.");
        if (AssociationBatchSize is < 1 or > 1000) problems.Add($"AssociationBatchSize must be 1 to 1000, was {AssociationBatchSize}.");
        if (!(SearchRequestsPerSecond > 0 && SearchRequestsPerSecond <= 5))
            problems.Add($"SearchRequestsPerSecond must be above 0 and at most 5 (HubSpot's search limit), was {SearchRequestsPerSecond}.");
        if (!(DailyShare > 0 && DailyShare <= 1)) problems.Add($"DailyShare must be above 0 and at most 1, was {DailyShare}.");
        if (Overlap < TimeSpan.Zero || Overlap > TimeSpan.FromDays(1)) problems.Add($"Overlap must be 00:00:00 to 1.00:00:00, was {Overlap}.");
        if (MaxRetries is < 0 or > 20) problems.Add($"MaxRetries must be 0 to 20, was {MaxRetries}.");
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5)) problems.Add($"RetryDelay must be 00:00:00 to 00:05:00, was {RetryDelay}.");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(10))
            problems.Add($"RequestTimeout must be above 0 and at most 00:10:00, was {RequestTimeout}.");
        if (TotalTimeout < RequestTimeout || TotalTimeout > TimeSpan.FromHours(1))
            problems.Add($"TotalTimeout must be at least RequestTimeout ({RequestTimeout}) and at most 01:00:00, was {TotalTimeout}.");
        return problems;
    }
}
