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
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.IsFile) return HasUserInfo(url) ? "(a URL, not shown)" : url;
        return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}{(uri.Query.Length > 1 ? "?…" : "")}";
    }

    /// <summary>Only the origin, and "/…" when there is more: for webhook URLs, whose path is often the secret.</summary>
    public static string OriginOnly(string? url)
    {
        if (string.IsNullOrEmpty(url)) return url ?? "";
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.IsFile) return "(a URL, not shown)";
        var more = uri.AbsolutePath.Length > 1 || uri.Query.Length > 1 ? "/…" : "";
        return $"{uri.Scheme}://{uri.Authority}{more}";
    }

    /// <summary>A malformed URL may still hold "user:password@": then nothing of it is shown.</summary>
    private static bool HasUserInfo(string text) => text.Contains('@', StringComparison.Ordinal);
}
