using System.Text.Json;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// The first entry of Salesforce's REST error array <c>[{"message","errorCode","fields"?}]</c>; other bodies
/// (HTML from a proxy, an empty body) are kept as text.
/// </summary>
internal sealed record SalesforceError(string Code, string Message, IReadOnlyList<string> Fields)
{
    public static SalesforceError Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var first = root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0 ? root[0] : root;
            if (first.ValueKind == JsonValueKind.Object)
            {
                var code = Text(first, "errorCode") ?? Text(first, "error");
                var message = Text(first, "message") ?? Text(first, "error_description");
                if (code is not null || message is not null)
                {
                    var fields = first.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array
                        ? f.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                        : [];
                    // Query errors span lines (the query, a caret, "ERROR at Row…"): one line reads better in a log.
                    return new SalesforceError(code ?? "(no code)", string.Join(' ', (message ?? "(no message)").Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), fields);
                }
            }
        }
        catch (JsonException)
        {
        }
        return new SalesforceError("(no code)", body.Length == 0 ? "(empty body)" : body.Length > 200 ? body[..200] : body, []);
    }

    public override string ToString() => $"{Code}: {Message}" + (Fields.Count > 0 ? $" (fields: {string.Join(", ", Fields)})" : "");

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
