using CrmPulse.Core.Kpis;

namespace CrmPulse.Storage.Influx;

/// <summary>
/// How the ledger maps to InfluxDB (the design's schema). A KPI sample is field <c>&lt;kpi id&gt;</c> (always a float) of
/// measurement <c>crm_&lt;family&gt;</c>, tagged <c>source</c> plus the sample's dimensions, at the sample's as-of time;
/// its basis, when it has one, is the string field <c>basis</c> (a field, not a tag: a basis switch must not split the
/// series). A per-user row is a point of <c>crm_user_activity</c> tagged source, user_id and team. The same sample always
/// maps to the same series and timestamp, so writing it again overwrites it and never doubles it.
/// </summary>
public static class InfluxSchema
{
    /// <summary>The measurement of the per-user rows.</summary>
    public const string UserMeasurement = "crm_user_activity";

    /// <summary>Samples keep the ledger's millisecond precision.</summary>
    public const InfluxPrecision Precision = InfluxPrecision.Milliseconds;

    /// <summary>
    /// The point of one sample. KPIs no longer in the catalog go to <c>crm_unknown</c> rather than being lost.
    /// </summary>
    public static InfluxPoint ToPoint(KpiSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var measurement = KpiCatalog.TryGet(sample.Kpi, out var definition) ? definition.Measurement : "crm_unknown";
        var point = new InfluxPoint(measurement, sample.Time).Tag("source", sample.Source);
        foreach (var (name, value) in sample.Dimensions.Pairs) point.Tag(name, value);
        point.Field(sample.Kpi, sample.Value);
        if (sample.Basis is not null) point.Field("basis", sample.Basis);
        return point;
    }

    /// <summary>
    /// The point of one per-user row: counts are integers, last_login_ms an integer (left out when the user never
    /// logged in), name, email (left out when unknown) and status strings.
    /// </summary>
    public static InfluxPoint ToPoint(UserAdoptionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var point = new InfluxPoint(UserMeasurement, row.AsOf)
            .Tag("source", row.Source).Tag("user_id", row.UserId).Tag("team", row.Team)
            .Field("name", row.Name)
            .Field("status", row.Status)
            .Field("logins_7d", (long)row.Logins7d)
            .Field("logins_30d", (long)row.Logins30d)
            .Field("activities_7d", (long)row.Activities7d)
            .Field("activities_30d", (long)row.Activities30d);
        if (row.Email is not null) point.Field("email", row.Email);
        if (row.LastLogin is { } last) point.Field("last_login_ms", last.ToUnixTimeMilliseconds());
        return point;
    }

    /// <summary>The line of a sample, at <see cref="Precision"/>.</summary>
    public static string ToLine(KpiSample sample) => LineProtocol.Format(ToPoint(sample), Precision);

    /// <summary>The line of a per-user row, at <see cref="Precision"/>.</summary>
    public static string ToLine(UserAdoptionRow row) => LineProtocol.Format(ToPoint(row), Precision);
}
