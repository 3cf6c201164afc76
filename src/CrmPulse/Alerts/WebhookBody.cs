using System.Text.Json;
using System.Text.Json.Nodes;
using CrmPulse.Core.Alerts;

namespace CrmPulse.Alerts;

/// <summary>The bodies POSTed to webhooks.</summary>
public static class WebhookBody
{
    // Bodies go to HTTP receivers, never into HTML: keep "+25%" and apostrophes readable instead of \u002B escapes.
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body of <paramref name="e"/> in <paramref name="format"/>, as UTF-8 JSON text.</summary>
    public static string For(AlertEvent e, WebhookFormat format) => format == WebhookFormat.Slack ? Slack(e) : Generic(e);

    /// <summary>
    /// {"event", "status", "rule", "severity", "source", "dimensions", "labels", "summary", "value", "baseline", "valueAt",
    /// "activeSince", "firingSince", "resolvedAt"}: times ISO 8601 UTC, absent values null.
    /// </summary>
    public static string Generic(AlertEvent e)
    {
        var i = e.Instance;
        var body = new JsonObject
        {
            ["event"] = Lower(e.Kind),
            ["status"] = Lower(i.Status),
            ["rule"] = i.Rule,
            ["severity"] = i.Severity,
            ["source"] = i.Source,
            ["dimensions"] = new JsonObject(i.Dimensions.Pairs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["labels"] = new JsonObject(e.Labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["summary"] = i.Summary,
            ["value"] = i.Value,
            ["baseline"] = i.Baseline,
            ["valueAt"] = Time(i.ValueAt),
            ["activeSince"] = Time(i.ActiveSince),
            ["firingSince"] = Time(i.FiringSince),
            ["resolvedAt"] = Time(i.ResolvedAt),
        };
        return body.ToJsonString(Options);
    }

    /// <summary>{"text": "[FIRING] warning: summary"}: [FIRING], [RESOLVED] or [STILL FIRING].</summary>
    public static string Slack(AlertEvent e)
    {
        var tag = e.Kind switch { AlertEventKind.Firing => "FIRING", AlertEventKind.Resolved => "RESOLVED", _ => "STILL FIRING" };
        return new JsonObject { ["text"] = $"[{tag}] {e.Instance.Severity}: {e.Instance.Summary}" }.ToJsonString(Options);
    }

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
