namespace CrmPulse.Sources.Http;

/// <summary>A request that got no answer (timeout, network error): worth a retry.</summary>
/// <param name="what">What happened, for the message after the last retry.</param>
/// <param name="latency">Time spent before giving up, for the usage counts.</param>
internal sealed class TransientApiException(string what, TimeSpan latency, Exception inner) : Exception(what, inner)
{
    public TimeSpan Latency { get; } = latency;
}
