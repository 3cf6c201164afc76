using System.Reflection;

namespace CrmPulse.Alerts;

/// <summary>Start-up checks of CrmPulse:Alerts: its keys, the webhooks, and the rules file (read and validated now, so a
/// wrong rule stops the start and shows in check-config).</summary>
public static class AlertsChecks
{
    public const string Key = "CrmPulse:Alerts";

    public static IReadOnlyList<string> Check(IConfigurationSection section, AlertsOptions options)
    {
        var errors = new List<string>();
        var known = Names(typeof(AlertsOptions));
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key)))
            errors.Add($"{Key}:{child.Key} is not a known setting (known: {string.Join(", ", known.Order())}).");
        var webhookKnown = Names(typeof(WebhookOptions));
        foreach (var webhook in section.GetSection("Webhooks").GetChildren())
        {
            foreach (var child in webhook.GetChildren().Where(c => !webhookKnown.Contains(c.Key)))
                errors.Add($"{Key}:Webhooks:{webhook.Key}:{child.Key} is not a known setting (known: {string.Join(", ", webhookKnown.Order())}).");
        }
        errors.AddRange(options.Validate(Key));
        var rules = AlertRulesFile.Load(options.RulesPath);
        errors.AddRange(rules.Errors.Select(e => $"{Key}:RulesPath: {e}"));
        return errors;
    }

    private static HashSet<string> Names(Type type) =>
        new(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
}
