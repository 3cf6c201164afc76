using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Store;

/// <summary>
/// Every sample ever produced, durable on disk, append-only (samples are never rewritten), plus the per-user adoption
/// rows of each KPI pass. The API, alerts and reports read it.
/// </summary>
public interface ILedger
{
    /// <summary>
    /// Appends samples and per-user rows in one transaction, as history only: they do not become anybody's latest
    /// values (a KPI pass is committed with <see cref="IKpiStore.CommitPassAsync"/>).
    /// </summary>
    Task AppendAsync(IReadOnlyList<KpiSample> samples, IReadOnlyList<UserAdoptionRow> users, CancellationToken cancellationToken);

    /// <summary>The latest sample of every series (kpi, source, dimensions), optionally for one source.</summary>
    Task<IReadOnlyList<KpiSample>> LatestAsync(string? source, CancellationToken cancellationToken);

    /// <summary>The latest sample of one series at or before <paramref name="time"/>, or null.</summary>
    Task<KpiSample?> AtOrBeforeAsync(string kpi, string source, Dimensions dimensions, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>Samples of one KPI with from &lt;= time &lt;= to, ordered by series then time; filtered by source when given.</summary>
    Task<IReadOnlyList<KpiSample>> SeriesAsync(string kpi, string? source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Samples of the given series with from &lt;= time &lt;= to, ordered by kpi, source, dimensions key, time,
    /// in one query (the target trends of /api/kpis/latest).</summary>
    Task<IReadOnlyList<KpiSample>> SeriesAsync(IReadOnlyCollection<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The per-user rows of the latest KPI pass of each source (or of one source).</summary>
    Task<IReadOnlyList<UserAdoptionRow>> LatestUsersAsync(string? source, CancellationToken cancellationToken);
}

/// <summary>One series of the ledger: a KPI, a source and dimensions.</summary>
public sealed record SeriesKey(string Kpi, string Source, Dimensions Dimensions);
