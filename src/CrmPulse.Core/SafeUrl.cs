namespace CrmPulse.Core;

/// <summary>
/// URLs as they may be shown in logs, messages and API answers: a URL can carry a secret in its user info
/// (http://user:password@host) or its query (?token=…). Webhook URLs, whose path is often the secret (Slack's
/// /services/T…/B…/secret), are never shown at all: only their names.
/// </summary>
public static class SafeUrl
{
    /// <summary>The URL without user info and query values: "http://influx:8086" for "http://u:p@influx:8086",
    /// "https://x/health?…" for "https://x/health?key=abc". Text that is not an absolute URL is replaced as a whole.</summary>
    public static string WithoutSecrets(string? url)
    {
        if (string.IsNullOrEmpty(url)) return url ?? "";
        if (!TryParse(url, out var uri)) return HasUserInfo(url) ? "(a URL, not shown)" : url;
        // "http://influx:8086" stays as written, without the "/" Uri adds.
        var path = uri.AbsolutePath == "/" && !url.Trim().Split('?', '#')[0].EndsWith('/') ? "" : uri.AbsolutePath;
        return $"{uri.Scheme}://{uri.Authority}{path}{(uri.Query.Length > 1 ? "?…" : "")}";
    }

    /// <summary>An http(s) URL; "user:pass@host" would parse as a URL of scheme "user", so it is not one.</summary>
    private static bool TryParse(string url, out Uri uri) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>A malformed URL may still hold "user:password@": then nothing of it is shown.</summary>
    private static bool HasUserInfo(string text) => text.Contains('@', StringComparison.Ordinal);
}
