namespace CrmPulse.Alerts;

/// <summary>The body a webhook receives.</summary>
public enum WebhookFormat
{
    /// <summary>A JSON object with the event, the alert's state, labels and values (see README "Alerts").</summary>
    Json,

    /// <summary>Slack's incoming-webhook body: {"text": "…"} (also read by Mattermost, Rocket.Chat, Teams workflows).</summary>
    Slack,
}
