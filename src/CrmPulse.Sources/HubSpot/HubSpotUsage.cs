using System.Globalization;
using System.Net.Http.Headers;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// What the HubSpot API calls of one source instance cost: per sync (requests, errors, latencies, for
/// <see cref="ApiUsage"/>) and per UTC day (for the daily share), plus what the rate-limit headers last said.
/// </summary>
internal sealed class HubSpotUsage(TimeProvider time)
{
    private readonly List<double> _latencies = [];
    private int _requests;
    private int _errors;
    private DateOnly _day;
    private long _requestsToday;

    /// <summary>X-HubSpot-RateLimit-Daily: the portal's daily allowance.</summary>
    public long? DailyLimit { get; private set; }

    /// <summary>X-HubSpot-RateLimit-Daily-Remaining after the last response.</summary>
    public long? DailyRemaining { get; private set; }

    /// <summary>X-HubSpot-RateLimit-Interval-Milliseconds: the burst window.</summary>
    public TimeSpan? Interval { get; private set; }

    /// <summary>Requests this source made today (UTC).</summary>
    public long RequestsToday { get { RollDay(); return _requestsToday; } }

    public void StartSync()
    {
        _latencies.Clear();
        _requests = 0;
        _errors = 0;
    }

    public ApiUsage ToApiUsage() => new(_requests, _errors, _latencies.ToArray(), DailyLimit, DailyRemaining);

    public void Record(TimeSpan latency, bool error)
    {
        RollDay();
        _requests++;
        _requestsToday++;
        if (error) _errors++;
        _latencies.Add(latency.TotalMilliseconds);
    }

    /// <summary>Stops the sync before a request that would pass the configured share of the daily allowance.</summary>
    public void CheckDailyShare(string sourceName, double share)
    {
        if (DailyLimit is not { } limit) return;
        var allowed = (long)Math.Floor(limit * share);
        if (RequestsToday >= allowed)
        {
            throw new SourceException($"HubSpot source '{sourceName}': this source used {RequestsToday} requests today, its share " +
                $"(DailyShare {share.ToString(CultureInfo.InvariantCulture)} of the daily limit {limit}) is {allowed}; syncing resumes tomorrow (UTC).");
        }
    }

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

    private void RollDay()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _requestsToday = 0;
        }
    }

    private static long? Long(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) &&
        long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
