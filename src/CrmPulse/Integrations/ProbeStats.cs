namespace CrmPulse.Integrations;

/// <summary>What a probe window holds: the latest probe and the window's success ratio and latency percentiles.</summary>
/// <param name="Probes">Probes in the window.</param>
/// <param name="SuccessRatio">Successful probes ÷ probes in the window.</param>
/// <param name="LatencyP50Ms">Nearest-rank percentiles of every probe's latency in the window, failed ones included.</param>
public sealed record ProbeStats(ProbeResult Last, int Probes, double SuccessRatio, double LatencyP50Ms, double LatencyP95Ms, double LatencyP99Ms);
