using System.Net;
using System.Text.RegularExpressions;

namespace CrmPulse.Hosting;

/// <summary>
/// Where Kestrel will listen, read from the configuration the way Kestrel reads it: Kestrel:Endpoints:*:Url first (they
/// replace every other way), else urls (--urls, ASPNETCORE_URLS, DOTNET_URLS), else http_ports/https_ports
/// (ASPNETCORE_HTTP_PORTS: every interface), else CrmPulse's default, loopback. <see cref="ListenGuard"/> checks the
/// addresses Kestrel actually bound as well; this is what check-config and the start-up check can say beforehand.
/// </summary>
public static partial class ListenAddresses
{
    /// <summary>One configured address and the key it came from (for messages).</summary>
    public sealed record Configured(string Key, string Url);

    /// <summary>The addresses the configuration asks for; <see cref="HostDefaults.Urls"/> when it asks for none.</summary>
    public static IReadOnlyList<Configured> From(IConfiguration configuration, List<string>? errors = null)
    {
        var endpoints = new List<Configured>();
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var key = $"Kestrel:Endpoints:{endpoint.Key}:Url";
            if (string.IsNullOrWhiteSpace(endpoint["Url"])) errors?.Add($"{key} is required: Kestrel cannot bind endpoint '{endpoint.Key}' without a URL.");
            else endpoints.Add(new Configured(key, endpoint["Url"]!.Trim()));
        }
        if (endpoints.Count > 0) return Valid(endpoints, errors);

        var urls = Split("urls", configuration["urls"]);
        if (urls.Count > 0) return Valid(urls, errors);

        var ports = new List<Configured>();
        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
        {
            foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                ports.Add(new Configured(key, $"{scheme}://*:{port}"));
        }
        return ports.Count > 0 ? ports : Split(Default, HostDefaults.Urls);
    }

    /// <summary>The key of CrmPulse's own default address (the configuration names none).</summary>
    public const string Default = "default";

    /// <summary>
    /// True when the URL's host is a loopback address or "localhost". Kestrel binds every interface for "*", "+",
    /// "0.0.0.0", "[::]" and for any other host name, so those are not.
    /// </summary>
    public static bool IsLoopback(string url)
    {
        var match = UrlHostPattern().Match(url.Trim());
        if (!match.Success) return false;
        var host = match.Groups["host"].Value.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>The addresses Kestrel can parse: http(s)://host[:port][/], host an IP, a name, "*" or "+"; each other one is an error.</summary>
    private static List<Configured> Valid(List<Configured> addresses, List<string>? errors)
    {
        var valid = addresses.Where(a => ListenUrlPattern().IsMatch(a.Url)).ToList();
        foreach (var a in addresses.Except(valid))
            errors?.Add($"{a.Key}: '{a.Url}' is not an address Kestrel can listen on (http:// or https://, a host and a port, e.g. http://127.0.0.1:5080).");
        return valid;
    }

    private static List<Configured> Split(string key, string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Configured(key, u)).ToList();

    [GeneratedRegex(@"^[a-zA-Z]+://(?<host>\[[^\]]*\]|[^:/]+)")]
    private static partial Regex UrlHostPattern();

    [GeneratedRegex(@"^https?://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]+|\*|\+)(:\d{1,5})?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex ListenUrlPattern();
}
