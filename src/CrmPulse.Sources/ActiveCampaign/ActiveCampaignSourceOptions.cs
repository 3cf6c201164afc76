namespace CrmPulse.Sources.ActiveCampaign;

/// <summary>
/// Settings of an ActiveCampaign source (one account, API v3). The API token never sits in this class's JSON: it is
/// read from <see cref="TokenEnv"/> or <see cref="TokenFile"/> when the source pulls. See
/// src/CrmPulse.Sources/ActiveCampaign/README.md.
/// </summary>
public sealed class ActiveCampaignSourceOptions
{
    /// <summary>The account's own API URL, e.g. "https://youraccount.api-us1.com" (Settings → Developer). Required;
    /// tests point it at a local server. The source adds /api/3.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>Name of the environment variable holding the API token. Default "ACTIVECAMPAIGN_TOKEN".
    /// Used when <see cref="TokenFile"/> is not set.</summary>
    public string? TokenEnv { get; set; } = "ACTIVECAMPAIGN_TOKEN";

    /// <summary>A file whose first line is the API token (e.g. a mounted secret). Wins over <see cref="TokenEnv"/>.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The account's UI address for drill-down links, e.g. "https://youraccount.activehosted.com". Default none (no links).</summary>
    public string? AppUrl { get; set; }

    /// <summary>Records per page (the API's limit parameter), 1–100. Default 100, the API's maximum.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Requests per second at most. ActiveCampaign allows 5 per account, shared by every key and integration
    /// of the account; the default 4 leaves room for the others.</summary>
    public double RequestsPerSecond { get; set; } = 4;

    /// <summary>How far back an incremental read starts before the watermark (clock skew, writes landing during a
    /// sync). Re-read records are applied once. Default 1 minute.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retries of one request after a 429, a 5xx, a timeout or a network error. Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First back-off after a 5xx or a network error (a 429 waits its Retry-After); it doubles each retry. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one HTTP request. Default 30 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with these settings, each naming its key; empty when they are usable. Makes no call.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(BaseUrl))
            problems.Add("BaseUrl is required: the account's API URL, e.g. https://youraccount.api-us1.com (Settings → Developer).");
        else if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            problems.Add($"BaseUrl: '{Core.SafeUrl.WithoutSecrets(BaseUrl)}' is not an absolute http(s) URL.");
        if (string.IsNullOrWhiteSpace(TokenFile) && string.IsNullOrWhiteSpace(TokenEnv))
            problems.Add("TokenEnv or TokenFile: one is required (the API token is never written in the configuration).");
        if (AppUrl is not null && (!Uri.TryCreate(AppUrl, UriKind.Absolute, out var app) || (app.Scheme != Uri.UriSchemeHttps && app.Scheme != Uri.UriSchemeHttp)))
            problems.Add($"AppUrl: '{Core.SafeUrl.WithoutSecrets(AppUrl)}' is not an absolute http(s) URL such as https://youraccount.activehosted.com.");
        if (PageSize is < 1 or > 100) problems.Add($"PageSize must be 1 to 100 (the API's maximum), was {PageSize}.");
        if (!(RequestsPerSecond > 0 && RequestsPerSecond <= 5))
            problems.Add($"RequestsPerSecond must be above 0 and at most 5 (ActiveCampaign's limit per account), was {RequestsPerSecond}.");
        if (Overlap < TimeSpan.Zero || Overlap > TimeSpan.FromDays(1)) problems.Add($"Overlap must be 00:00:00 to 1.00:00:00, was {Overlap}.");
        if (MaxRetries is < 0 or > 20) problems.Add($"MaxRetries must be 0 to 20, was {MaxRetries}.");
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5)) problems.Add($"RetryDelay must be 00:00:00 to 00:05:00, was {RetryDelay}.");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(10))
            problems.Add($"RequestTimeout must be above 0 and at most 00:10:00, was {RequestTimeout}.");
        return problems;
    }
}
