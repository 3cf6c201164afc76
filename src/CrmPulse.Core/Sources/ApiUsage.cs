namespace CrmPulse.Core.Sources;

/// <summary>
/// What one sync cost the CRM's API, as the source measured it: the basis of the CRM API's own integration-health
/// KPIs (latency, error ratio, rate-limit headroom). Sources that call no API (Demo, File) report none.
/// </summary>
/// <param name="Requests">HTTP requests made (retries included).</param>
/// <param name="Errors">Requests that failed (5xx, 429, timeouts, network errors; not a 404 the source expected).</param>
/// <param name="LatenciesMs">The latency of each request in milliseconds.</param>
/// <param name="DailyLimit">The daily request allowance the CRM reports, when it does.</param>
/// <param name="DailyRemaining">Requests left in the daily allowance after this sync, when the CRM reports it.</param>
public sealed record ApiUsage(int Requests, int Errors, IReadOnlyList<double> LatenciesMs, long? DailyLimit = null, long? DailyRemaining = null);
