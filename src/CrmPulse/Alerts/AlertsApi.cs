using CrmPulse.Core.Alerts;
using CrmPulse.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Alerts;

/// <summary>/api/alerts: active alerts (pending and firing) and recently resolved ones, with the values that triggered them.</summary>
public static class AlertsApi
{
    /// <summary>One alert instance. Value and Baseline are those that triggered it (for resolved ones, those that resolved it).</summary>
    public sealed record AlertView(string Rule, string Kpi, string Status, string Severity, string Source, IReadOnlyDictionary<string, string> Dimensions,
        string Summary, double? Value, double? Baseline, DateTimeOffset? ValueAt, DateTimeOffset ActiveSince, DateTimeOffset? FiringSince,
        DateTimeOffset? ResolvedAt, DateTimeOffset UpdatedAt);

    /// <summary>One webhook delivery (by webhook name; URLs are never shown).</summary>
    public sealed record DeliveryView(string Alert, string Event, string Webhook, string Status, int Attempts, int? HttpStatus, string? Error,
        DateTimeOffset QueuedAt, DateTimeOffset? LastAttemptAt);

    /// <summary>Active alerts (firing first, then pending; newest first), recently resolved ones, the rules and the last deliveries.</summary>
    public sealed record AlertsView(IReadOnlyList<AlertView> Active, IReadOnlyList<AlertView> Recent, IReadOnlyList<string> Rules,
        IReadOnlyList<DeliveryView> Deliveries);

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/alerts").WithTags("Alerts")
            .MapGet("/", List).WithName("Alerts")
            .WithSummary("Active alerts (firing, pending) and recently resolved ones, with the values and baselines that triggered them; "
                + "the rule names in force and the last 50 webhook deliveries.");
        return app;
    }

    public static async Task<Ok<AlertsView>> List(ICrmStore store, AlertRunner runner, CancellationToken ct)
    {
        var kpis = runner.Rules.Rules.ToDictionary(r => r.Name, r => r.Kpi, StringComparer.Ordinal);
        var all = (await store.LoadAlertsAsync(ct)).Where(i => kpis.ContainsKey(i.Rule)).ToList();
        var active = all.Where(i => i.Status != AlertStatus.Resolved)
            .OrderBy(i => i.Status == AlertStatus.Firing ? 0 : 1).ThenByDescending(i => i.FiringSince ?? i.ActiveSince).ThenBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => View(i, kpis[i.Rule])).ToList();
        var recent = all.Where(i => i.Status == AlertStatus.Resolved).OrderByDescending(i => i.ResolvedAt).ThenBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => View(i, kpis[i.Rule])).ToList();
        var deliveries = (await store.RecentDeliveriesAsync(50, ct))
            .Select(d => new DeliveryView(d.AlertKey, d.Event, d.Webhook, d.Status, d.Attempts, d.HttpStatus, d.Error, d.QueuedAt, d.LastAttemptAt)).ToList();
        return TypedResults.Ok(new AlertsView(active, recent, runner.Rules.Rules.Select(r => r.Name).ToList(), deliveries));
    }

    private static AlertView View(AlertInstance i, string kpi) => new(i.Rule, kpi, i.Status.ToString().ToLowerInvariant(), i.Severity, i.Source,
        i.Dimensions.Pairs.ToDictionary(p => p.Key, p => p.Value), i.Summary, i.Value, i.Baseline, i.ValueAt, i.ActiveSince, i.FiringSince,
        i.ResolvedAt, i.UpdatedAt);
}
