namespace CrmPulse.Alerts;

/// <summary>One webhook that receives alert notifications (CrmPulse:Alerts:Webhooks:N).</summary>
public sealed class WebhookOptions
{
    /// <summary>Name shown in the delivery record and logs (the URL never is: it often holds a secret). Required.</summary>
    public string? Name { get; set; }

    /// <summary>The http(s) URL to POST to. Required; keep it in the environment when it holds a token.</summary>
    public string? Url { get; set; }

    /// <summary>Json (default) or Slack.</summary>
    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>Only alerts of these teams (the alert's <c>team</c> dimension). Default empty: every alert.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>How long one attempt may take. Default 10 seconds, 1 second to 5 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per notification before it is recorded as failed. Default 5, 1 to 20.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; it doubles after each failed attempt. Default 2 seconds, at most 10 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
