using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// The org's daily API allowance as Salesforce reports it (the Sforce-Limit-Info header on every response, and
/// /limits), this source's own use of it (the shared <see cref="ApiUsageMeter"/>), and the pause after
/// REQUEST_LIMIT_EXCEEDED. Lives as long as the source, so a pause outlasts the failed sync.
/// </summary>
internal sealed partial class SalesforceLimits(TimeProvider time)
{
    public ApiUsageMeter Meter { get; } = new(time);

    /// <summary>The org's 24-hour allowance (DailyApiRequests Max, or the header's "allowed").</summary>
    public long? DailyLimit { get; private set; }

    /// <summary>What is left of it after the last response.</summary>
    public long? DailyRemaining { get; private set; }

    /// <summary>No call before this time (after a 403 REQUEST_LIMIT_EXCEEDED); null when not paused.</summary>
    public DateTimeOffset? PausedUntil { get; private set; }

    public ApiUsage ToApiUsage() => Meter.ToApiUsage(DailyLimit, DailyRemaining);

    /// <summary>"api-usage=18/5000[; per-app-api-usage=17/250(appName=…)]": the org's used and allowed requests.</summary>
    public void ReadHeader(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Sforce-Limit-Info", out var values)) return;
        var match = ApiUsagePattern().Match(string.Join(";", values));
        if (!match.Success) return;
        var used = long.Parse(match.Groups["used"].Value, CultureInfo.InvariantCulture);
        var allowed = long.Parse(match.Groups["allowed"].Value, CultureInfo.InvariantCulture);
        DailyLimit = allowed;
        DailyRemaining = Math.Max(0, allowed - used);
    }

    /// <summary>
    /// Reads DailyApiRequests from a /limits document. Entries may nest per-app objects beside Max and Remaining, and
    /// old versions sent the numbers as strings: both are accepted. Returns false when the entry is missing.
    /// </summary>
    public bool ReadLimits(JsonElement limits)
    {
        if (limits.ValueKind != JsonValueKind.Object || !limits.TryGetProperty("DailyApiRequests", out var daily) ||
            Number(daily, "Max") is not { } max || Number(daily, "Remaining") is not { } remaining)
            return false;
        DailyLimit = max;
        DailyRemaining = remaining;
        return true;
    }

    public void Pause(TimeSpan span) => PausedUntil = time.GetUtcNow() + span;

    public void Resume() => PausedUntil = null;

    private static long? Number(JsonElement entry, string name)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        return v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
    }

    [GeneratedRegex(@"(?:^|[;\s])api-usage=(?<used>\d+)/(?<allowed>\d+)")]
    private static partial Regex ApiUsagePattern();
}
