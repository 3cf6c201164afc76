namespace CrmPulse.Core;

/// <summary>
/// URLs as they may be shown in logs, messages and API answers: a URL can carry a secret in its user info
/// (http://user:password@host), its query (?token=…) or, for webhooks, its path (Slack's /services/T…/B…/secret).
/// </summary>
public static class SafeUrl
{
    /// <summary>The URL without user info and query values: "http://influx:8086/" for "http://u:p@influx:8086/",
    /// "https://x/health?…" for "https://x/health?key=abc". Text that is not an absolute URL is replaced as a whole.</summary>
    public static string WithoutSecrets(string? url)
    {
        if (string.IsNullOrEmpty(url)) return url ?? "";
        if (!TryParse(url, out var uri)) return HasUserInfo(url) ? "(a URL, not shown)" : url;
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{(uri.Query.Length > 1 ? "?…" : "")}";
    }

    /// <summary>Only the origin, and "/…" when there is more: for webhook URLs, whose path is often the secret.</summary>
    public static string OriginOnly(string? url)
    {
        if (string.IsNullOrEmpty(url)) return url ?? "";
        if (!TryParse(url, out var uri)) return "(a URL, not shown)";
        var more = uri.AbsolutePath.Length > 1 || uri.Query.Length > 1 ? "/…" : "";
        return $"{uri.Scheme}://{uri.Authority}{more}";
    }

    /// <summary>An http(s) URL; "user:pass@host" would parse as a URL of scheme "user", so it is not one.</summary>
    private static bool TryParse(string url, out Uri uri) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>A malformed URL may still hold "user:password@": then nothing of it is shown.</summary>
    private static bool HasUserInfo(string text) => text.Contains('@', StringComparison.Ordinal);
}
