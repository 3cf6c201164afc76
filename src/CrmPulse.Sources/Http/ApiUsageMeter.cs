using System.Globalization;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Http;

/// <summary>
/// What the API calls of one source instance cost, shared by the HubSpot and Salesforce sources: per sync (requests,
/// errors, latencies, for <see cref="ApiUsage"/>) and per UTC day (for the source's share of the daily allowance).
/// </summary>
internal sealed class ApiUsageMeter(TimeProvider time)
{
    private readonly List<double> _latencies = [];
    private int _requests;
    private int _errors;
    private DateOnly _day;
    private long _requestsToday;

    /// <summary>Requests this source made today (UTC).</summary>
    public long RequestsToday { get { RollDay(); return _requestsToday; } }

    /// <summary>Starts a new sync's counts; the day's count goes on.</summary>
    public void StartSync()
    {
        _latencies.Clear();
        _requests = 0;
        _errors = 0;
    }

    public ApiUsage ToApiUsage(long? dailyLimit, long? dailyRemaining) => new(_requests, _errors, _latencies.ToArray(), dailyLimit, dailyRemaining);

    public void Record(TimeSpan latency, bool error)
    {
        RollDay();
        _requests++;
        _requestsToday++;
        if (error) _errors++;
        _latencies.Add(latency.TotalMilliseconds);
    }

    /// <summary>
    /// Throws before a request that would pass <paramref name="share"/> of <paramref name="dailyLimit"/> (no check
    /// while the limit is unknown). <paramref name="who"/> starts the message ("HubSpot source 'x'").
    /// </summary>
    public void CheckDailyShare(string who, double share, long? dailyLimit)
    {
        if (dailyLimit is not { } limit) return;
        var allowed = (long)Math.Floor(limit * share);
        if (RequestsToday >= allowed)
        {
            throw new SourceException($"{who}: this source used {RequestsToday} requests today, its share " +
                $"(DailyShare {share.ToString(CultureInfo.InvariantCulture)} of the daily limit {limit}) is {allowed}; syncing resumes tomorrow (UTC).");
        }
    }

    private void RollDay()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _requestsToday = 0;
        }
    }
}
