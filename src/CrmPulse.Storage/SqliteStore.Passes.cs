using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// KPI passes committed whole, and the latest values of each producer (latest_values, schema version 5).
public sealed partial class SqliteStore : IKpiStore
{
    /// <inheritdoc />
    public Task CommitPassAsync(string source, DateTimeOffset asOf, KpiResult result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(result);
        Validate(result.Samples, result.Users);
        ValidateIssues(source, result.Issues);
        if (result.Samples.FirstOrDefault(s => s.Source != source) is { } foreign)
            throw new ArgumentException($"A sample of source '{foreign.Source}' (kpi '{foreign.Kpi}') is in a pass of '{source}'.", nameof(result));
        return WriteAsync((connection, transaction) =>
        {
            AppendSamples(connection, transaction, result.Samples, cancellationToken);
            AppendUsers(connection, transaction, result.Users, cancellationToken);
            ReplaceIssues(connection, transaction, source, asOf, result.Issues, cancellationToken);
            ReplaceLatest(connection, transaction, Producers.KpiPass(source), result.Samples);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task CommitProducedAsync(string producer, IReadOnlyList<KpiSample> samples, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(producer);
        ArgumentNullException.ThrowIfNull(samples);
        Validate(samples, []);
        return WriteAsync((connection, transaction) =>
        {
            AppendSamples(connection, transaction, samples, cancellationToken);
            ReplaceLatest(connection, transaction, producer, samples);
            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the producer's latest values by <paramref name="samples"/>: series it no longer produces are gone. Each
    /// row keeps the time one KPI period before it, where the previous period's value is looked up when read (so a
    /// backfill of older samples, appended later, is found too).
    /// </summary>
    private static void ReplaceLatest(SqliteConnection connection, SqliteTransaction transaction, string producer, IReadOnlyList<KpiSample> samples)
    {
        BumpLedgerVersion(connection, transaction);
        using (var delete = Command(connection, transaction, "DELETE FROM latest_values WHERE producer = $producer"))
        {
            delete.Parameters.AddWithValue("$producer", producer);
            delete.ExecuteNonQuery();
        }
        // A series given twice in one pass: the later one wins, as for series_latest.
        using var insert = Command(connection, transaction, """
            INSERT INTO latest_values (producer, kpi, source, dims, value, time_ms, basis, previous_at_ms)
            VALUES ($producer, $kpi, $source, $dims, $value, $time, $basis, $previousAt)
            ON CONFLICT (producer, kpi, source, dims) DO UPDATE SET value = excluded.value, time_ms = excluded.time_ms,
                basis = excluded.basis, previous_at_ms = excluded.previous_at_ms
            """);
        insert.Parameters.AddWithValue("$producer", producer);
        var (kpi, source, dims, value, time, basis, previousAt) = (insert.Parameters.Add("$kpi", SqliteType.Text),
            insert.Parameters.Add("$source", SqliteType.Text), insert.Parameters.Add("$dims", SqliteType.Text),
            insert.Parameters.Add("$value", SqliteType.Real), insert.Parameters.Add("$time", SqliteType.Integer),
            insert.Parameters.Add("$basis", SqliteType.Text), insert.Parameters.Add("$previousAt", SqliteType.Integer));
        foreach (var sample in samples)
        {
            kpi.Value = sample.Kpi;
            source.Value = sample.Source;
            dims.Value = sample.Dimensions.Key;
            value.Value = sample.Value;
            time.Value = ToUnixMs(sample.Time);
            basis.Value = DbValue(sample.Basis);
            previousAt.Value = KpiCatalog.TryGet(sample.Kpi, out var definition) ? ToUnixMs(sample.Time - definition.Period) : DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Moves the ledger version on: readers that cache what they read from the ledger know to read again.</summary>
    private static void BumpLedgerVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var bump = Command(connection, transaction, "UPDATE ledger_version SET version = version + 1 WHERE id = 1");
        bump.ExecuteNonQuery();
    }

    internal const string LedgerVersionSql = "SELECT version FROM ledger_version WHERE id = 1";

    // One row per latest value, with the series' last sample at or before previous_at_ms: one seek of
    // samples_by_series_time per row, backwards (of equal times the later append, as for the latest).
    internal const string LatestValuesSql = """
        SELECT v.producer, v.kpi, v.source, v.dims, v.value, v.time_ms, v.basis, p.value, p.time_ms, p.basis
        FROM latest_values v
        LEFT JOIN samples p ON p.seq = (
            SELECT s.seq FROM samples s
            WHERE s.kpi = v.kpi AND s.source = v.source AND s.dims = v.dims AND s.time_ms <= v.previous_at_ms
            ORDER BY s.time_ms DESC, s.seq DESC LIMIT 1)
        """;

    private readonly Lock _versionLock = new();
    private SqliteConnection? _versionConnection;
    private SqliteCommand? _versionCommand;

    /// <inheritdoc />
    /// <remarks>Asked on every /api/kpis/latest request, so it has a connection and a prepared statement of its own
    /// (a few microseconds) instead of a pooled connection opened with its pragmas each time. It holds no transaction
    /// between calls, so it never keeps a checkpoint waiting.</remarks>
    public Task<long> LedgerVersionAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_versionLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                if (_versionCommand is null)
                {
                    _versionConnection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
                    _versionConnection.Open();
                    _versionCommand = _versionConnection.CreateCommand();
                    _versionCommand.CommandText = LedgerVersionSql;
                    _versionCommand.Prepare();
                }
                return Task.FromResult((long)_versionCommand.ExecuteScalar()!);
            }
            catch
            {
                CloseVersionConnection(); // opened again by the next call
                throw;
            }
        }
    }

    private void CloseVersionConnection()
    {
        lock (_versionLock)
        {
            _versionCommand?.Dispose();
            _versionConnection?.Dispose();
            (_versionCommand, _versionConnection) = (null, null);
        }
    }

    /// <inheritdoc />
    public Task<LatestValueSet> LatestValuesAsync(CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var version = Command(connection, transaction, LedgerVersionSql);
            var at = (long)version.ExecuteScalar()!;
            using var command = Command(connection, transaction, LatestValuesSql);
            using var reader = command.ExecuteReader();
            var values = new List<StoredLatest>();
            var dimensions = new Dictionary<string, Dimensions>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var (kpi, source, key) = (reader.GetString(1), reader.GetString(2), reader.GetString(3));
                if (!dimensions.TryGetValue(key, out var parsed)) dimensions[key] = parsed = Dimensions.Parse(key);
                var sample = new KpiSample(kpi, source, parsed, reader.GetDouble(4), FromUnixMs(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6));
                var previous = reader.IsDBNull(7) ? null : new KpiSample(kpi, source, parsed, reader.GetDouble(7),
                    FromUnixMs(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetString(9));
                values.Add(new StoredLatest(reader.GetString(0), sample, previous));
            }
            return new LatestValueSet(at, values);
        }, cancellationToken);
}
