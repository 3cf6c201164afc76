using System.Text.RegularExpressions;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// The path prefix of each HubSpot API family the source calls. HubSpot is moving from /crm/v3/… and /crm/v4/… to
/// date-versioned paths (/crm/objects/2026-03/…); <see cref="HubSpotSourceOptions.ApiVersion"/> switches every family
/// and <see cref="HubSpotSourceOptions.ApiPaths"/> overrides single ones, so a new path needs no release.
/// </summary>
internal sealed partial class HubSpotPaths
{
    /// <summary>Family → (legacy prefix, date-versioned prefix with "{version}").</summary>
    internal static readonly IReadOnlyDictionary<string, (string Legacy, string Dated)> Families =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["objects"] = ("/crm/v3/objects", "/crm/objects/{version}"),
            ["associations"] = ("/crm/v4/associations", "/crm/associations/{version}"),
            ["pipelines"] = ("/crm/v3/pipelines", "/crm/pipelines/{version}"),
            ["properties"] = ("/crm/v3/properties", "/crm/properties/{version}"),
            ["owners"] = ("/crm/v3/owners", "/crm/owners/{version}"),
            ["users"] = ("/settings/v3/users", "/settings/users/{version}"),
            ["account-info"] = ("/account-info/v3", "/account-info/{version}"),
        };

    private readonly Dictionary<string, string> _prefixes = new(StringComparer.OrdinalIgnoreCase);

    public HubSpotPaths(HubSpotSourceOptions options)
    {
        // The configuration binder may fill ApiPaths with an ordinal dictionary: compare family names ignoring case here.
        var overrides = new Dictionary<string, string>(options.ApiPaths, StringComparer.OrdinalIgnoreCase);
        foreach (var (family, (legacy, dated)) in Families)
        {
            _prefixes[family] = overrides.TryGetValue(family, out var custom) && !string.IsNullOrWhiteSpace(custom)
                ? custom.Trim().TrimEnd('/')
                : string.IsNullOrWhiteSpace(options.ApiVersion) ? legacy : dated.Replace("{version}", options.ApiVersion.Trim(), StringComparison.Ordinal);
        }
    }

    /// <summary>/crm/v3/objects/contacts (list) and …/search.</summary>
    public string Objects(string type) => $"{_prefixes["objects"]}/{type}";

    /// <summary>/crm/v4/associations/deals/companies/batch/read.</summary>
    public string AssociationBatch(string from, string to) => $"{_prefixes["associations"]}/{from}/{to}/batch/read";

    public string DealPipelines => $"{_prefixes["pipelines"]}/deals";

    public string Properties(string type) => $"{_prefixes["properties"]}/{type}";

    public string Owners => _prefixes["owners"];

    public string Users => _prefixes["users"];

    public string AccountDetails => $"{_prefixes["account-info"]}/details";

    public string Logins => $"{_prefixes["account-info"]}/activity/login";

    /// <summary>The problems of ApiVersion and ApiPaths, each naming its key.</summary>
    public static IEnumerable<string> Validate(string? version, IReadOnlyDictionary<string, string> paths)
    {
        if (!string.IsNullOrWhiteSpace(version) && !Version().IsMatch(version.Trim()))
            yield return $"ApiVersion: '{version}' is not a HubSpot API version such as 2026-03 (leave it out for the /crm/v3 paths).";
        foreach (var twice in paths.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            yield return $"ApiPaths: the family '{twice.Key}' is given {twice.Count()} times.";
        foreach (var (family, path) in paths)
        {
            if (!Families.ContainsKey(family))
                yield return $"ApiPaths:{family}: unknown API family; known are {string.Join(", ", Families.Keys)}.";
            else if (string.IsNullOrWhiteSpace(path) || !PathPrefix().IsMatch(path.Trim()))
                yield return $"ApiPaths:{family}: '{path}' must be a path starting with '/' such as {Families[family].Legacy} (no host, query or spaces).";
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}(-\d{2})?$")]
    private static partial Regex Version();

    [GeneratedRegex(@"^(/[A-Za-z0-9._~-]+)+/?$")]
    private static partial Regex PathPrefix();
}
