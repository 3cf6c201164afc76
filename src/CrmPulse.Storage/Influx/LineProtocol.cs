using System.Globalization;
using System.Text;

namespace CrmPulse.Storage.Influx;

/// <summary>
/// InfluxDB line protocol: <c>measurement,tag=v field=1.5,n=3i,ok=true,s="x" 1700000000000</c>. Escaping follows
/// InfluxDB's rules: measurement names escape commas and spaces; tag keys, tag values and field keys escape commas,
/// equals signs and spaces; string field values escape double quotes and backslashes. Newlines cannot be escaped in
/// names or tags, so they are refused rather than silently corrupting the batch.
/// </summary>
public static class LineProtocol
{
    /// <summary>The query-string value of a precision: s, ms, us, ns.</summary>
    public static string PrecisionName(InfluxPrecision precision) => precision switch
    {
        InfluxPrecision.Seconds => "s",
        InfluxPrecision.Milliseconds => "ms",
        InfluxPrecision.Microseconds => "us",
        InfluxPrecision.Nanoseconds => "ns",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>One point as one line (without the trailing newline).</summary>
    public static string Format(InfluxPoint point, InfluxPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Fields.Count == 0) throw new ArgumentException($"Point '{point.Measurement}' has no fields; InfluxDB needs at least one.", nameof(point));
        var sb = new StringBuilder(128);
        Escape(sb, point.Measurement, measurement: true);
        foreach (var (key, value) in point.Tags)
        {
            sb.Append(',');
            Escape(sb, key, measurement: false);
            sb.Append('=');
            Escape(sb, value, measurement: false);
        }
        var first = true;
        foreach (var (key, value) in point.Fields)
        {
            sb.Append(first ? ' ' : ',');
            first = false;
            Escape(sb, key, measurement: false);
            sb.Append('=');
            AppendValue(sb, value);
        }
        sb.Append(' ').Append(Timestamp(point.Time, precision).ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>The timestamp in whole units of <paramref name="precision"/> since the Unix epoch.</summary>
    public static long Timestamp(DateTimeOffset time, InfluxPrecision precision)
    {
        // Ticks are 100 ns; counting from the epoch in ticks keeps every precision exact.
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return precision switch
        {
            InfluxPrecision.Seconds => Math.DivRem(ticks, TimeSpan.TicksPerSecond).Quotient - (ticks < 0 && ticks % TimeSpan.TicksPerSecond != 0 ? 1 : 0),
            InfluxPrecision.Milliseconds => time.ToUnixTimeMilliseconds(),
            InfluxPrecision.Microseconds => ticks / 10 - (ticks < 0 && ticks % 10 != 0 ? 1 : 0),
            InfluxPrecision.Nanoseconds => checked(ticks * 100),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };
    }

    /// <summary>A float as InfluxDB reads it back exactly: shortest round-trip form, never the integer suffix.</summary>
    public static string FormatFloat(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void AppendValue(StringBuilder sb, object value)
    {
        switch (value)
        {
            case double d: sb.Append(FormatFloat(d)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)).Append('i'); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s:
                sb.Append('"');
                foreach (var c in s)
                {
                    if (c is '"' or '\\') sb.Append('\\');
                    sb.Append(c);
                }
                sb.Append('"');
                break;
            default: throw new ArgumentException($"Field type {value.GetType().Name} is not a line-protocol type.");
        }
    }

    private static void Escape(StringBuilder sb, string text, bool measurement)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r') throw new ArgumentException($"'{text.ReplaceLineEndings(" ")}' holds a line break, which line protocol cannot carry in a name or tag.");
            if (c == '\\')
            {
                // InfluxDB keeps a backslash literally, except right before a character it escapes (it would escape it)
                // or at the very end (it would escape the separator): there it cannot be written exactly (InfluxDB 1.x
                // rejects the line). Doubled before such a character (stored as two backslashes) and dropped at the end,
                // so a rare name never makes a whole batch fail.
                if (i == text.Length - 1) continue;
                if (NeedsEscape(text[i + 1], measurement)) sb.Append('\\');
            }
            else if (NeedsEscape(c, measurement)) sb.Append('\\');
            sb.Append(c);
        }
    }

    private static bool NeedsEscape(char c, bool measurement) => c is ',' or ' ' || (!measurement && c == '=');
}
