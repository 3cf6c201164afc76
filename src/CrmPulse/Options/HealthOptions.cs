namespace CrmPulse.Options;

/// <summary>CrmPulse:Health: when /readyz calls a source's syncs or the InfluxDB backlog late.</summary>
public sealed class HealthOptions
{
    /// <summary>A source is late when this many of its scheduled syncs have passed since its last successful sync
    /// (its SyncEvery or SyncCron schedule). Default 3: one slow or skipped run is not worth a 503.</summary>
    public int MissedSyncs { get; set; } = 3;

    /// <summary>With InfluxDB on, the outbox is behind when its oldest unsent sample and InfluxDB's last acknowledgement
    /// are both older than this. Default 30 minutes (the CrmPulseInfluxBacklogGrowing rule's threshold).</summary>
    public TimeSpan InfluxBacklogMaxAge { get; set; } = TimeSpan.FromMinutes(30);

    public List<string> Validate(string prefix = "CrmPulse:Health")
    {
        var errors = new List<string>();
        if (MissedSyncs < 1) errors.Add($"{prefix}:MissedSyncs must be at least 1, was {MissedSyncs}.");
        if (InfluxBacklogMaxAge < TimeSpan.FromMinutes(1)) errors.Add($"{prefix}:InfluxBacklogMaxAge must be at least 00:01:00, was {InfluxBacklogMaxAge}.");
        return errors;
    }
}
