namespace CrmPulse.Alerts;

/// <summary>The configuration section CrmPulse:Alerts.</summary>
public sealed class AlertsOptions
{
    /// <summary>
    /// The rules file (JSON, or YAML for .yml/.yaml; see README "Alerts"). Default null: the default rules shipped next to the binary
    /// (default-alert-rules.json): adoption drop per team, data-quality score drop, integration down, source sync stale, sync lag growing (reconciliation pairs with Sync).
    /// </summary>
    public string? RulesPath { get; set; }

    /// <summary>Where notifications go. Default none: alerts are still evaluated, stored, served and counted.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>How long resolved alerts stay listed in /api/alerts. Default 7 days.</summary>
    public TimeSpan KeepResolvedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Validates the webhooks; one message per problem, each naming its key under <paramref name="key"/>.</summary>
    public IReadOnlyList<string> Validate(string key)
    {
        var errors = new List<string>();
        if (KeepResolvedFor < TimeSpan.FromHours(1)) errors.Add($"{key}:KeepResolvedFor must be at least 01:00:00, was {KeepResolvedFor}.");
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var w = Webhooks[i];
            var at = $"{key}:Webhooks:{i}";
            if (string.IsNullOrWhiteSpace(w.Name)) errors.Add($"{at}:Name is required.");
            if (!Uri.TryCreate(w.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add($"{at}:Url must be an absolute http or https URL.");
            if (w.Timeout < TimeSpan.FromSeconds(1) || w.Timeout > TimeSpan.FromMinutes(5))
                errors.Add($"{at}:Timeout must be between 00:00:01 and 00:05:00, was {w.Timeout}.");
            if (w.MaxAttempts is < 1 or > 20) errors.Add($"{at}:MaxAttempts must be between 1 and 20, was {w.MaxAttempts}.");
            if (w.RetryDelay < TimeSpan.Zero || w.RetryDelay > TimeSpan.FromMinutes(10))
                errors.Add($"{at}:RetryDelay must be between 00:00:00 and 00:10:00, was {w.RetryDelay}.");
            if (w.Teams.Any(string.IsNullOrWhiteSpace)) errors.Add($"{at}:Teams must not hold empty names.");
        }
        foreach (var dup in Webhooks.Where(w => !string.IsNullOrWhiteSpace(w.Name)).GroupBy(w => w.Name!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{key}:Webhooks: the name '{dup.Key}' is used more than once; names must be unique.");
        return errors;
    }
}
