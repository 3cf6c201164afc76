using System.Globalization;
using System.Text.Json;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// HubSpot sends every property value as a string or null: numbers "3", booleans "true", datetimes ISO 8601 or epoch
/// milliseconds, dates "2024-06-30" or midnight epoch milliseconds. "" means empty. These helpers convert them.
/// </summary>
internal static class HubSpotValues
{
    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>An id sent as a JSON string or number (association ids are numbers in practice, strings in the docs).</summary>
    public static string? IdText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    public static DateTimeOffset? DateTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            // Out of DateTimeOffset's range is unreadable, not a reason to fail the whole sync.
            return ms >= MinMs && ms <= MaxMs ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : null;
    }

    public static DateOnly? Date(string? text) =>
        DateTime(text) is { } t ? DateOnly.FromDateTime(t.UtcDateTime) : null;

    public static decimal? Decimal(string? text) =>
        !string.IsNullOrWhiteSpace(text) &&
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>"true"/"false" (any case); null for empty or anything else.</summary>
    public static bool? Bool(string? text) =>
        text?.Trim().ToLowerInvariant() switch { "true" => true, "false" => false, _ => null };

    /// <summary>
    /// A custom property's value as the mirror stores it, by the property's HubSpot type: number in invariant form,
    /// bool "true"/"false", datetime ISO 8601 UTC, date yyyy-MM-dd, anything else as sent. "" and unparsable values of a
    /// typed property give null (the fill-rate KPIs then count the field as empty) and <paramref name="invalid"/> true.
    /// </summary>
    public static string? Convert(string? type, string? text, out bool invalid)
    {
        invalid = false;
        if (string.IsNullOrWhiteSpace(text)) return null;
        string? converted = type switch
        {
            "number" => Decimal(text)?.ToString(CultureInfo.InvariantCulture),
            "bool" => Bool(text)?.ToString().ToLowerInvariant(),
            "datetime" => DateTime(text)?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            "date" => Date(text)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => text,
        };
        invalid = converted is null;
        return converted;
    }
}
