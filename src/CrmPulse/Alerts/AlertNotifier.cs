using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using CrmPulse.Core.Alerts;
using CrmPulse.Storage;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CrmPulse.Alerts;

/// <summary>
/// Sends notifications to the webhooks in the background: <see cref="QueueAsync"/> records a delivery per routed
/// webhook and returns at once; one sender per webhook posts them in order, each attempt bounded by the webhook's
/// Timeout, retried (Polly) with a doubling delay or the receiver's Retry-After up to MaxAttempts, each attempt's outcome
/// recorded. So a failing or hanging webhook
/// delays only its own later notifications, never the evaluation or the other webhooks.
/// </summary>
public sealed class AlertNotifier : IAsyncDisposable
{
    private sealed record Delivery(long Id, AlertEvent Event);

    private readonly ICrmStore _store;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertNotifier> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(WebhookOptions Webhook, Channel<Delivery> Queue, Task Sender)> _senders = [];
    private readonly ConcurrentDictionary<long, byte> _open = new();

    public AlertNotifier(AlertsOptions options, ICrmStore store, TimeProvider time, ILogger<AlertNotifier> log)
    {
        _store = store;
        _time = time;
        _log = log;
        // Timeouts are per attempt (a Polly timeout), not the client's own.
        _http = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        foreach (var webhook in options.Webhooks)
        {
            var queue = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
            _senders.Add((webhook, queue, Task.Run(() => SendLoopAsync(webhook, queue.Reader))));
        }
    }

    /// <summary>Webhooks that receive <paramref name="e"/>: those without Teams, and those listing the alert's team.</summary>
    public static bool Routes(WebhookOptions webhook, AlertEvent e) =>
        webhook.Teams.Count == 0 || (e.Instance.Dimensions["team"] is { } team && webhook.Teams.Contains(team, StringComparer.OrdinalIgnoreCase));

    /// <summary>Records and queues the events for every webhook that routes them; never waits for a webhook.</summary>
    public async Task QueueAsync(IReadOnlyList<AlertEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            foreach (var (webhook, queue, _) in _senders.Where(s => Routes(s.Webhook, e)))
            {
                var id = await _store.AddDeliveryAsync(e.Instance.Key, e.Kind, webhook.Name!, _time.GetUtcNow(), cancellationToken);
                _open[id] = 0;
                queue.Writer.TryWrite(new Delivery(id, e));
            }
        }
    }

    /// <summary>Deliveries queued or being attempted.</summary>
    public int Pending => _open.Count;

    /// <summary>Waits until every queued delivery has ended (delivered or failed), at most <paramref name="max"/> (--once).</summary>
    public async Task<bool> DrainAsync(TimeSpan max, CancellationToken cancellationToken)
    {
        // Wall time, not the TimeProvider: a drain must end even under a fake clock.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (!_open.IsEmpty)
        {
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= max) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        return true;
    }

    private async Task SendLoopAsync(WebhookOptions webhook, ChannelReader<Delivery> reader)
    {
        try
        {
            await foreach (var delivery in reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await DeliverAsync(webhook, delivery);
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    // The store failed while recording; the notification itself is lost, not the sender.
                    _log.LogError(e, "Alert webhook {Webhook}: delivery {Id} could not be recorded: {Error}", webhook.Name, delivery.Id, e.Message);
                }
                finally
                {
                    _open.TryRemove(delivery.Id, out _);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(WebhookOptions webhook, Delivery delivery)
    {
        var body = WebhookBody.For(delivery.Event, webhook.Format);
        var attempt = 0;
        var result = await Retries(webhook).ExecuteAsync(async ct =>
        {
            attempt++;
            var result = await AttemptAsync(webhook, body, ct);
            var outcome = result.Error is null ? "delivered" : attempt >= webhook.MaxAttempts ? "failed" : "queued";
            await _store.UpdateDeliveryAsync(delivery.Id, outcome, attempt, result.Status, result.Error, _time.GetUtcNow(), CancellationToken.None);
            return result;
        }, _stop.Token);
        if (result.Error is not null)
        {
            _log.LogWarning("Alert webhook {Webhook}: {Event} of {Alert} failed after {Attempts} attempt(s): {Error}",
                webhook.Name, delivery.Event.Kind, delivery.Event.Instance.Key, attempt, result.Error);
        }
    }

    /// <summary>
    /// Every failed attempt is retried (a webhook's answers carry no contract worth sorting), up to MaxAttempts, after
    /// RetryDelay doubling each time, or after the receiver's Retry-After.
    /// </summary>
    private ResiliencePipeline<Attempt> Retries(WebhookOptions webhook)
    {
        var builder = new ResiliencePipelineBuilder<Attempt> { Name = $"webhook-{webhook.Name}", TimeProvider = _time };
        if (webhook.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = webhook.MaxAttempts - 1,
                Delay = webhook.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Error: not null }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
            });
        }
        return builder.Build();
    }

    private sealed record Attempt(int? Status, string? Error, TimeSpan? RetryAfter = null);

    private async Task<Attempt> AttemptAsync(WebhookOptions webhook, string body, CancellationToken cancellationToken)
    {
        var timeout = new ResiliencePipelineBuilder { TimeProvider = _time }.AddTimeout(webhook.Timeout).Build();
        try
        {
            return await timeout.ExecuteAsync(async ct =>
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync(webhook.Url, content, ct);
                var status = (int)response.StatusCode;
                return response.IsSuccessStatusCode ? new Attempt(status, null) : new Attempt(status, $"HTTP {status}", RetryAfter(response));
            }, cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            return new Attempt(null, $"no answer within {webhook.Timeout}");
        }
        catch (HttpRequestException e)
        {
            return new Attempt(null, e.Message);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retry) return null;
        if (retry.Delta is { } delta) return delta;
        return retry.Date is { } date ? (date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero) : null;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (var (_, queue, sender) in _senders)
        {
            queue.Writer.TryComplete();
            try { await sender; } catch (OperationCanceledException) { }
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
