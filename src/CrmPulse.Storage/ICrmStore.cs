using CrmPulse.Core.Alerts;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Storage.Influx;

namespace CrmPulse.Storage;

/// <summary>
/// Everything the host keeps in its store: the mirror, the ledger, KPI passes and latest values, issues, alert states,
/// webhook and report deliveries, stored audits, the InfluxDB outbox and backfill progress. Two implementations with the same
/// semantics: <see cref="SqliteStore"/> (one node, the embedded default) and <see cref="Postgres.PostgresStore"/>
/// (several nodes sharing one PostgreSQL database). CrmPulse:Store:Provider picks one.
/// </summary>
public interface ICrmStore : IMirror, ILedger, IKpiStore, IIssueStore, IStoreHealth, IDisposable
{
    /// <summary>Where the store is, for messages and the start-up banner: a file path, or PostgreSQL's host, port and
    /// database (never a password).</summary>
    string Location { get; }

    /// <summary>Replaces every stored issue of <paramref name="source"/> (tests and tools; a KPI pass stores its own).</summary>
    Task ReplaceIssuesAsync(string source, DateTimeOffset computedAt, IReadOnlyList<RecordIssue> issues, CancellationToken cancellationToken);

    /// <summary>Every stored alert instance.</summary>
    Task<IReadOnlyList<AlertInstance>> LoadAlertsAsync(CancellationToken cancellationToken);

    /// <summary>Stores the changed instances and forgets the removed ones (and resolved ones not updated since
    /// <paramref name="forgetResolvedBefore"/>) in one transaction.</summary>
    Task SaveAlertsAsync(IReadOnlyList<AlertInstance> changed, IReadOnlyList<string> removed, DateTimeOffset forgetResolvedBefore,
        CancellationToken cancellationToken);

    /// <summary>Records a queued notification; returns its id.</summary>
    Task<long> AddDeliveryAsync(string alertKey, AlertEventKind kind, string webhook, DateTimeOffset queuedAt, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a notification attempt.</summary>
    Task UpdateDeliveryAsync(long id, string status, int attempts, int? httpStatus, string? error, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="limit"/> notifications, newest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> RecentDeliveriesAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Records a queued report delivery; returns its id.</summary>
    Task<long> AddReportDeliveryAsync(string schedule, string channel, string target, string period, DateTimeOffset queuedAt,
        CancellationToken cancellationToken);

    /// <summary>Records the outcome of a report delivery attempt.</summary>
    Task UpdateReportDeliveryAsync(long id, string status, int attempts, string? error, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="limit"/> report deliveries, newest first.</summary>
    Task<IReadOnlyList<ReportDelivery>> RecentReportDeliveriesAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The next unsent InfluxDB batch (samples first, then per-user rows by whole passes), or null.</summary>
    Task<OutboxBatch?> ReadOutboxAsync(int maxPoints, CancellationToken cancellationToken);

    /// <summary>Moves the batch's stream cursor to its end (never back).</summary>
    Task AcknowledgeOutboxAsync(OutboxBatch batch, CancellationToken cancellationToken);

    /// <summary>Records a batch InfluxDB refused for good and moves the cursor past it, in one transaction.</summary>
    Task ParkOutboxAsync(OutboxBatch batch, int? status, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The outbox backlog and the parked batches.</summary>
    Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken);

    /// <summary>The first-run backfill plan of a source: the recorded one, or the given one recorded now.</summary>
    Task<(DateTimeOffset Anchor, int Days)> GetOrCreateBackfillPlanAsync(string source, DateTimeOffset anchor, int days,
        CancellationToken cancellationToken);

    /// <summary>The as-of times of a source's backfill steps already in the ledger.</summary>
    Task<IReadOnlySet<DateTimeOffset>> GetBackfillStepsAsync(string source, CancellationToken cancellationToken);

    /// <summary>Stores an audit (<paramref name="source"/> null: every source); returns its id.</summary>
    Task<long> AddAuditAsync(string? source, DateOnly from, DateOnly to, DateTimeOffset createdAt, string json, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="limit"/> stored audits, newest first, without their JSON.</summary>
    Task<IReadOnlyList<StoredAudit>> AuditsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>One stored audit with its JSON, or null.</summary>
    Task<StoredAudit?> AuditAsync(long id, CancellationToken cancellationToken);

    /// <summary>The newest stored audit of the same source (null: every source), with its JSON, or null.</summary>
    Task<StoredAudit?> LastAuditAsync(string? source, CancellationToken cancellationToken);

    /// <summary>The per-user rows of the source's last KPI pass at or before <paramref name="time"/> (with that pass's
    /// as-of), or null when it has none.</summary>
    Task<(DateTimeOffset AsOf, IReadOnlyList<UserAdoptionRow> Rows)?> UsersAtOrBeforeAsync(string source, DateTimeOffset time,
        CancellationToken cancellationToken);

    /// <summary>Appends one backfill step and records it as done, in one transaction; false when it was already done.</summary>
    Task<bool> AppendBackfillStepAsync(string source, DateTimeOffset asOf, IReadOnlyList<KpiSample> samples,
        IReadOnlyList<UserAdoptionRow> users, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The matcher's stored state of one object ("contact", "company") of a source, kept for incremental
    /// deduplication, or null when there is none.</summary>
    Task<DedupeState?> LoadDedupeStateAsync(string source, string objectType, CancellationToken cancellationToken);

    /// <summary>The <see cref="DedupeState.Generation"/> of the stored state of one object of a source, or null when
    /// there is none: a process that kept that generation in memory need not read it again.</summary>
    Task<long?> DedupeGenerationAsync(string source, string objectType, CancellationToken cancellationToken);

    /// <summary>Writes what a pass changed in the matcher's state of one object (<see cref="DedupeStateChange.Full"/>:
    /// replaces the whole state with <paramref name="state"/>), in one transaction, and returns the state's new
    /// generation. The change applies to the state of generation <paramref name="basedOn"/>: when the stored one is
    /// another (another node wrote since), the whole state is written instead.</summary>
    Task<long> SaveDedupeStateAsync(string source, string objectType, DedupeState state, DedupeStateChange change, long? basedOn,
        CancellationToken cancellationToken);

    /// <summary>Forgets a source's stored matcher states: its next pass matches every record again.</summary>
    Task ClearDedupeStateAsync(string source, CancellationToken cancellationToken);
}
