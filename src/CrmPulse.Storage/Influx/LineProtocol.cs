using System.Text;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace CrmPulse.Storage.Influx;

/// <summary>
/// InfluxDB line protocol: <c>measurement,tag=v field=1.5,n=3i,ok=true,s="x" 1700000000000</c>, written by
/// InfluxDB.Client's <see cref="PointData"/> (escaping, sorted tags and fields, shortest round-trip floats). Around it,
/// the guards PointData lacks: a point without fields, a line break in a name or tag and a non-finite number are refused
/// (PointData would print an empty line, a literal "\n" or drop the field), and a backslash InfluxDB cannot read back is
/// rewritten (see <see cref="KeepBackslashes"/>).
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

    /// <summary>The client's name of a precision.</summary>
    public static WritePrecision ToWritePrecision(InfluxPrecision precision) => precision switch
    {
        InfluxPrecision.Seconds => WritePrecision.S,
        InfluxPrecision.Milliseconds => WritePrecision.Ms,
        InfluxPrecision.Microseconds => WritePrecision.Us,
        InfluxPrecision.Nanoseconds => WritePrecision.Ns,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    /// <summary>One point as one line (without the trailing newline).</summary>
    public static string Format(InfluxPoint point, InfluxPrecision precision) => ToPointData(point, precision).ToLineProtocol();

    /// <summary>The client's point for <paramref name="point"/>, its timestamp in whole units of <paramref name="precision"/>.</summary>
    public static PointData ToPointData(InfluxPoint point, InfluxPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Fields.Count == 0) throw new ArgumentException($"Point '{point.Measurement}' has no fields; InfluxDB needs at least one.", nameof(point));
        var data = PointData.Measurement(KeepBackslashes(point.Measurement, measurement: true));
        foreach (var (key, value) in point.Tags) data = data.Tag(KeepBackslashes(key, measurement: false), KeepBackslashes(value, measurement: false));
        foreach (var (name, value) in point.Fields)
        {
            var key = KeepBackslashes(name, measurement: false);
            data = value switch
            {
                double d => data.Field(key, d),
                long l => data.Field(key, l),
                bool b => data.Field(key, b),
                string s => data.Field(key, s),
                _ => throw new ArgumentException($"Field type {value.GetType().Name} is not a line-protocol type."),
            };
        }
        return data.Timestamp(Timestamp(point.Time, precision), ToWritePrecision(precision));
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

    /// <summary>
    /// A name or tag value as PointData should escape it. InfluxDB keeps a backslash literally, except right before a
    /// character it escapes (comma, space, and = outside measurements) or at the very end, where it cannot be written
    /// exactly and InfluxDB 1.x rejects the line. PointData leaves backslashes alone, so such a backslash is doubled here
    /// (stored as two) and one at the end is dropped, so a rare name never makes a whole batch fail. Line breaks cannot be
    /// escaped at all and are refused.
    /// </summary>
    public static string KeepBackslashes(string text, bool measurement)
    {
        if (text.AsSpan().IndexOfAny('\n', '\r') >= 0)
            throw new ArgumentException($"'{text.ReplaceLineEndings(" ")}' holds a line break, which line protocol cannot carry in a name or tag.");
        if (!text.Contains('\\')) return text;
        var sb = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i == text.Length - 1) continue;
                if (text[i + 1] is ',' or ' ' || (!measurement && text[i + 1] == '=')) sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
