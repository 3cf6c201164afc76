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
        if (text.StartsWith("now-", StringComparison.Ordinal))
        {
            // now-1000000d reaches before year 1: out of range, not an exception.
            if (!TryParseDuration(text[4..], out var ago) || ago > now - DateTimeOffset.MinValue) return false;
            value = now - ago;
            return true;
        }
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
            var unit = m.Groups[2].Value switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                _ => 7 * TimeSpan.TicksPerDay,
            };
            // 99999999d is longer than any time range (TimeSpan holds about 29,000 years): not a duration.
            var ticks = n * unit;
            if (ticks >= TimeSpan.MaxValue.Ticks) return false;
            value = TimeSpan.FromTicks((long)Math.Round(ticks));
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value)) return false;
        return value > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$")]
    private static partial Regex DurationPattern();
}
