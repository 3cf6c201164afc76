namespace CrmPulse.Options;

/// <summary>The configuration section "CrmPulse" (appsettings.json, CRMPULSE__… environment variables, command line).</summary>
public sealed class CrmPulseOptions
{
    public const string Section = "CrmPulse";

    /// <summary>The embedded store (mirror and ledger).</summary>
    public StoreOptions Store { get; set; } = new();

    /// <summary>Several nodes on the PostgreSQL store sharing the jobs (Quartz clustering; off by default).</summary>
    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>
    /// The time zone of every Quartz cron: the sources' SyncCron and KpiCron and the report schedules' Cron (an IANA id
    /// such as "Europe/Berlin"). Default "UTC", never the machine's local zone: every node of a cluster builds the same
    /// cron triggers whatever zone its machine is in.
    /// </summary>
    public string CronTimeZone { get; set; } = "UTC";

    /// <summary><see cref="CronTimeZone"/> as a zone (checked when the options are loaded).</summary>
    public TimeZoneInfo CronZone => TimeZoneInfo.FindSystemTimeZoneById(CronTimeZone.Trim());

    /// <summary>The CRM sources. With none configured, one Demo source named "demo" runs (the embedded default).</summary>
    public List<SourceOptions> Sources { get; set; } = [];

    /// <summary>Integrations to probe and to find in the records they write (see IntegrationOptions).</summary>
    public List<Integrations.IntegrationOptions> Integrations { get; set; } = [];

    /// <summary>Pairs of sources reconciled record by record (see Reconciliation.ReconciliationOptions).</summary>
    public List<Reconciliation.ReconciliationOptions> Reconciliation { get; set; } = [];

    /// <summary>KPI targets: a value to reach by a date, shown in /api/kpis/latest and the leadership report.</summary>
    public List<TargetOptions> Targets { get; set; } = [];

    /// <summary>The HTTP API.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>Alert rules and the webhooks notified (see Alerts.AlertsOptions).</summary>
    public Alerts.AlertsOptions Alerts { get; set; } = new();

    /// <summary>The leadership report: PDF rendering, public link, scheduled e-mail and Slack deliveries.</summary>
    public Reports.ReportsOptions Reports { get; set; } = new();

    /// <summary>When /readyz calls a source's syncs or the InfluxDB backlog late.</summary>
    public HealthOptions Health { get; set; } = new();

    /// <summary>Publishing the KPI history to InfluxDB (off by default).</summary>
    public Storage.Influx.InfluxDbOptions InfluxDb { get; set; } = new();
}
