namespace CrmPulse.Integrations;

/// <summary>One probe of an integration.</summary>
/// <param name="Time">When the probe started (the host's clock).</param>
/// <param name="Success">True when the expected status came back within the timeout.</param>
/// <param name="Status">The HTTP status, when a response came back.</param>
/// <param name="LatencyMs">Milliseconds from sending to the response headers (the timeout, for a probe that timed out).</param>
/// <param name="Error">Why the probe failed ("status 500, expected 200", "timed out after 00:00:10", a network error).</param>
public sealed record ProbeResult(DateTimeOffset Time, bool Success, int? Status, double LatencyMs, string? Error);
