namespace CrmPulse.Storage.Influx;

/// <summary>The three ways a write can end.</summary>
public enum InfluxWriteOutcome
{
    /// <summary>InfluxDB acknowledged the batch (2xx).</summary>
    Written,

    /// <summary>Worth retrying: 429, 5xx, a network error or a timeout.</summary>
    Retry,

    /// <summary>Will never succeed as sent (4xx other than 429: bad token, unknown bucket, malformed point, type conflict).</summary>
    Rejected,
}
