namespace CrmPulse.Storage.Influx;

/// <summary>What became of one write request.</summary>
/// <param name="Outcome">Written, retry later, or rejected for good.</param>
/// <param name="StatusCode">The HTTP status, or null when no answer came (network error, timeout).</param>
/// <param name="Reason">The server's error text (or the network error), null when written.</param>
/// <param name="RetryAfter">The server's Retry-After, when it gave one.</param>
public sealed record InfluxWriteResult(InfluxWriteOutcome Outcome, int? StatusCode, string? Reason, TimeSpan? RetryAfter = null)
{
    public static readonly InfluxWriteResult Written = new(InfluxWriteOutcome.Written, 204, null);
}
