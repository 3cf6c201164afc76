namespace CrmPulse.Storage.Influx;

/// <summary>
/// One InfluxDB point: measurement, tags, fields and a timestamp. Field values are <see cref="double"/> (written as
/// floats, never with the integer suffix), <see cref="long"/> (integers, suffix i), <see cref="bool"/> or
/// <see cref="string"/>; any other type is refused when the point is built, so a field's type never changes by accident.
/// <see cref="LineProtocol.ToPointData"/> turns it into InfluxDB.Client's PointData, which writes the line.
/// </summary>
public sealed class InfluxPoint
{
    private readonly SortedDictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, object> _fields = new(StringComparer.Ordinal);

    public InfluxPoint(string measurement, DateTimeOffset time)
    {
        ArgumentException.ThrowIfNullOrEmpty(measurement);
        Measurement = measurement;
        Time = time;
    }

    public string Measurement { get; }

    public DateTimeOffset Time { get; }

    /// <summary>Tags sorted by key (InfluxDB's own order, so equal series always print alike).</summary>
    public IReadOnlyDictionary<string, string> Tags => _tags;

    /// <summary>Fields sorted by key.</summary>
    public IReadOnlyDictionary<string, object> Fields => _fields;

    /// <summary>Adds a tag; an empty value is left out (InfluxDB has no empty tag values: a missing tag means empty).</summary>
    public InfluxPoint Tag(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!string.IsNullOrEmpty(value)) _tags[key] = value;
        return this;
    }

    public InfluxPoint Field(string key, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"Field '{key}' of '{Measurement}' is {value}; InfluxDB stores finite numbers only.", nameof(value));
        return Set(key, value);
    }

    public InfluxPoint Field(string key, long value) => Set(key, value);

    public InfluxPoint Field(string key, bool value) => Set(key, value);

    public InfluxPoint Field(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Set(key, value);
    }

    private InfluxPoint Set(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _fields[key] = value;
        return this;
    }
}
