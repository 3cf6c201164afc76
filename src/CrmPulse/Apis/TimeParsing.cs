using System.Globalization;
using System.Text.RegularExpressions;

namespace CrmPulse.Apis;

/// <summary>Parses the time and duration forms the API accepts (ISO 8601, Unix milliseconds as Grafana sends, now-7d; 5m, 1h, 1d).</summary>
public static partial class TimeParsing
{
    /// <summary>ISO 8601 with offset (or Z), Unix epoch milliseconds, "now", or "now-&lt;duration&gt;".</summary>
    public static bool TryParseTime(string? text, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (text == "now") { value = now; return true; }
        if (text.StartsWith("now-", StringComparison.Ordinal) && TryParseDuration(text[4..], out var ago)) { value = now - ago; return true; }
        if (text.All(char.IsAsciiDigit) && long.TryParse(text, CultureInfo.InvariantCulture, out var ms))
        {
            if (ms > 253402300799999) return false;
            value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>"30s", "5m", "1h", "1d", "1w", or a TimeSpan "01:00:00". Must be positive.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = DurationPattern().Match(text.Trim());
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value = m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value)) return false;
        return value > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$")]
    private static partial Regex DurationPattern();
}
