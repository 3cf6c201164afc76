namespace CrmPulse.Sources.Http;

/// <summary>
/// The innermost handler of a source's client: runs the request's <see cref="ApiAttempt"/> hooks after each attempt
/// (the resilience pipeline above sends a request once per attempt), and reads the whole body within the attempt's time
/// limit, so a stalled body is a timeout of that attempt.
/// </summary>
internal sealed class AttemptHandler(TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(ApiAttempt.Key, out var hooks);
        var started = time.GetTimestamp();
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            response?.Dispose();
            hooks?.Failed(time.GetElapsedTime(started));
            throw;
        }
        if (hooks is not null) await hooks.AnsweredAsync(response, time.GetElapsedTime(started));
        return response;
    }
}

/// <summary>
/// Runs the request's <see cref="ApiAttempt.Before"/> hook before each attempt, outside the attempt's time limit (a
/// pacing wait is not the API being slow).
/// </summary>
internal sealed class AttemptGate : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(ApiAttempt.Key, out var hooks)) await hooks.BeforeAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
