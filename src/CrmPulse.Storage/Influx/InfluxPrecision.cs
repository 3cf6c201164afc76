namespace CrmPulse.Storage.Influx;

/// <summary>The timestamp precision sent with every write (the <c>precision</c> query parameter).</summary>
public enum InfluxPrecision
{
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}
