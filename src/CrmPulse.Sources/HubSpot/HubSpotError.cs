using System.Text.Json;

namespace CrmPulse.Sources.HubSpot;

/// <summary>The parts of a HubSpot error body that matter (every field optional; non-JSON bodies tolerated).</summary>
internal sealed record HubSpotError(string Message, string? Category, string? PolicyName)
{
    public static HubSpotError Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Plain(body);
            return new HubSpotError(
                Text(root, "message") ?? "(no message)",
                Text(root, "category") ?? Text(root, "errorType"),
                Text(root, "policyName"));
        }
        catch (JsonException)
        {
            return Plain(body);
        }
    }

    private static HubSpotError Plain(string body) =>
        new(body.Length > 200 ? body[..200] : body.Length == 0 ? "(empty body)" : body, null, null);

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
