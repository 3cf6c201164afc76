using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmPulse.Alerts;

/// <summary>
/// Durations in the rules file: "30s", "5m", "2h", "7d" (a whole number and a unit), or .NET's "d.hh:mm:ss".
/// </summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("a duration must be a string such as \"5m\", \"2h\" or \"7d\"");
        if (TryParse(text, out var value)) return value;
        throw new JsonException($"'{text}' is not a duration (use \"30s\", \"5m\", \"2h\", \"7d\" or \"d.hh:mm:ss\")");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000)
        {
            TimeSpan? unit = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(1), 'm' => TimeSpan.FromMinutes(1), 'h' => TimeSpan.FromHours(1), 'd' => TimeSpan.FromDays(1), _ => null,
            };
            if (unit is { } u) { value = u * n; return true; }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }
}
