using System.Globalization;
using System.Net.Http.Headers;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// What the HubSpot API calls of one source instance cost (the shared <see cref="ApiUsageMeter"/>), plus what
/// HubSpot's rate-limit headers last said.
/// </summary>
internal sealed class HubSpotUsage(TimeProvider time)
{
    private readonly ApiUsageMeter _meter = new(time);

    /// <summary>X-HubSpot-RateLimit-Daily: the portal's daily allowance.</summary>
    public long? DailyLimit { get; private set; }

    /// <summary>X-HubSpot-RateLimit-Daily-Remaining after the last response.</summary>
    public long? DailyRemaining { get; private set; }

    /// <summary>X-HubSpot-RateLimit-Interval-Milliseconds: the burst window.</summary>
    public TimeSpan? Interval { get; private set; }

    /// <summary>Requests this source made today (UTC).</summary>
    public long RequestsToday => _meter.RequestsToday;

    public void StartSync() => _meter.StartSync();

    public ApiUsage ToApiUsage() => _meter.ToApiUsage(DailyLimit, DailyRemaining);

    public void Record(TimeSpan latency, bool error) => _meter.Record(latency, error);

    /// <summary>Stops the sync before a request that would pass the configured share of the daily allowance.</summary>
    public void CheckDailyShare(string sourceName, double share) => _meter.CheckDailyShare($"HubSpot source '{sourceName}'", share, DailyLimit);

    public void ReadHeaders(HttpResponseHeaders headers)
    {
        if (Long(headers, "X-HubSpot-RateLimit-Daily") is { } daily) DailyLimit = daily;
        if (Long(headers, "X-HubSpot-RateLimit-Daily-Remaining") is { } remaining) DailyRemaining = remaining;
        if (Long(headers, "X-HubSpot-RateLimit-Interval-Milliseconds") is { } ms && ms > 0) Interval = TimeSpan.FromMilliseconds(ms);
        BurstRemaining = Long(headers, "X-HubSpot-RateLimit-Remaining") ?? Long(headers, "X-HubSpot-RateLimit-Secondly-Remaining");
    }

    /// <summary>X-HubSpot-RateLimit-Remaining of the last response (calls left in the burst window), when sent.</summary>
    public long? BurstRemaining { get; private set; }

    public void ClearBurst() => BurstRemaining = null;

    private static long? Long(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) &&
        long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
