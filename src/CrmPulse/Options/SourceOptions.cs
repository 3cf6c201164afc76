using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Options;

/// <summary>
/// One entry of CrmPulse:Sources: the keys every kind shares. Kind-specific keys (Demo: Seed, Contacts…; File: Path,
/// Delimiter, Files…) sit in the same section and are bound to the kind's own options class.
/// </summary>
public sealed class SourceOptions
{
    /// <summary>The source tag on every sample: lower-case letters, digits, '-' and '_'. Required, unique.</summary>
    public string? Name { get; set; }

    /// <summary>Demo, File, HubSpot or Salesforce.</summary>
    public string? Kind { get; set; }

    /// <summary>Interval between syncs (e.g. "00:05:00"). Default 5 minutes; the Demo source's default is 1 minute.
    /// Mutually exclusive with <see cref="SyncCron"/>.</summary>
    public TimeSpan? SyncEvery { get; set; }

    /// <summary>Quartz cron expression for syncs (e.g. "0 0/10 * * * ?"), instead of <see cref="SyncEvery"/>.</summary>
    public string? SyncCron { get; set; }

    /// <summary>Interval between KPI passes. Default 15 minutes. A KPI pass also runs right after the first successful sync.</summary>
    public TimeSpan? KpiEvery { get; set; }

    /// <summary>Quartz cron expression for KPI passes, instead of <see cref="KpiEvery"/>.</summary>
    public string? KpiCron { get; set; }

    /// <summary>User ids or e-mails of integration/API users, never counted as humans (in addition to the CRM's user type).</summary>
    public List<string> ExcludeUsers { get; set; } = [];

    /// <summary>Monitored fields per object ("contact", "company", "deal"), replacing that object's defaults.</summary>
    public Dictionary<string, List<string>> RequiredFields { get; set; } = [];

    /// <summary>Custom fields per object that the source pulls and the data-quality KPIs watch (fill rate, unused fields).</summary>
    public Dictionary<string, List<string>> CustomFields { get; set; } = [];

    /// <summary>Picklist and segmentation fields, stale and no-activity windows, the unused-field share.</summary>
    public DataQualityOptions DataQuality { get; set; } = new();

    /// <summary>Stalled-deal window, snooze field, business days, lost-reason window, stage-age factor.</summary>
    public PipelineOptions Pipeline { get; set; } = new();

    /// <summary>Win-rate window, churn/NPS/CSAT field mapping, ROI inputs.</summary>
    public OutcomeOptions Outcomes { get; set; } = new();

    /// <summary>Licence cost per seat and currency label, HR roster file (licence waste and access review).</summary>
    public LicenceOptions Licences { get; set; } = new();

    /// <summary>Deduplication threshold and block size.</summary>
    public DedupeOptions Dedupe { get; set; } = new();

    /// <summary>Days of history to rebuild on the first run of the source (the rebuildable KPIs, one step a day, like
    /// <c>backfill --days N</c>). Default 0: none. An interrupted first-run backfill resumes on the next start.</summary>
    public int BackfillDays { get; set; }

    /// <summary>A licensed user is an active contributor with at least this many activities in 7 days. Default 3.</summary>
    public int ContributorMinActivities { get; set; } = 3;

    public static readonly TimeSpan DefaultSyncEvery = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultDemoSyncEvery = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultKpiEvery = TimeSpan.FromMinutes(15);
}
