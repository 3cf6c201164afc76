using System.Globalization;
using System.Text.Json;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// Reading Salesforce REST values: datetimes in the "+0000" form (no colon in the offset, which .NET's parsers
/// refuse), date-only fields, null lookups and dotted relationship paths ("Profile.Name").
/// </summary>
internal static class SalesforceValues
{
    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.fffK", "yyyy-MM-dd'T'HH:mm:ssK",
    ];

    /// <summary>Parses "2024-09-27T15:18:19.000+0000" (also "+00:00" and "Z"); false for anything else.</summary>
    public static bool TryParseDateTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text)) return false;
        // "+0000" → "+00:00": the offset without a colon is Salesforce's own form.
        if (text.Length >= 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit)) text = text[..^2] + ":" + text[^2..];
        return DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Parses a date-only field ("2024-06-30").</summary>
    public static bool TryParseDate(string? text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>A SOQL datetime literal (whole seconds, UTC), e.g. 2024-01-01T00:00:00Z.</summary>
    public static string Literal(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The form watermarks are stored in: UTC, milliseconds, "Z".</summary>
    public static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The value at a field or dotted relationship path; null when a lookup on the way is empty or absent.</summary>
    public static JsonElement? At(JsonElement record, string path)
    {
        var current = record;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out var next) || next.ValueKind == JsonValueKind.Null)
                return null;
            current = next;
        }
        return current;
    }

    /// <summary>A value as text: strings as they are, numbers and booleans in invariant form; null when empty.</summary>
    public static string? Text(JsonElement record, string path) => At(record, path) is { } v ? AsText(v) : null;

    public static string? AsText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
