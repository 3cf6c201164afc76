using CrmPulse.Core.Alerts;

namespace CrmPulse.Alerts;

/// <summary>Registers the alerting services.</summary>
public static class AlertsExtensions
{
    /// <summary>
    /// The rules (from Alerts:RulesPath, or the default rules; OptionsLoader has validated them), the notifier and the
    /// runner that the KPI, probe and backfill jobs and --once call after their passes.
    /// </summary>
    public static IServiceCollection AddCrmPulseAlerts(this IServiceCollection services, AlertsOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => AlertRulesFile.Load(options.RulesPath) is { Rules: { } rules }
            ? rules
            : throw new InvalidOperationException($"The alert rules file '{options.RulesPath ?? AlertRulesFile.DefaultPath}' is not valid (see check-config)."));
        services.AddSingleton<AlertNotifier>();
        services.AddSingleton<AlertRunner>();
        return services;
    }
}
