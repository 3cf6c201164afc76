using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

// The ledger (append-only samples with the series_latest index, per-user rows in passes), KPI passes committed whole,
// and the latest values of each producer.
public sealed partial class PostgresStore
{
    private const string SampleColumns = "s.kpi, s.source, s.dims, s.value, s.time_ms, s.basis";

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<KpiSample> samples, IReadOnlyList<UserAdoptionRow> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(users);
        SqliteStore.Validate(samples, users);
        if (samples.Count == 0 && users.Count == 0) return Task.CompletedTask;
        return WriteAsync(async (connection, transaction) =>
        {
            await AppendSamples(connection, transaction, samples, cancellationToken);
            await AppendUsers(connection, transaction, users, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task CommitPassAsync(string source, DateTimeOffset asOf, KpiResult result, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(result);
        SqliteStore.Validate(result.Samples, result.Users);
        SqliteStore.ValidateIssues(source, result.Issues);
        if (result.Samples.FirstOrDefault(s => s.Source != source) is { } foreign)
            throw new ArgumentException($"A sample of source '{foreign.Source}' (kpi '{foreign.Kpi}') is in a pass of '{source}'.", nameof(result));
        return WriteAsync(async (connection, transaction) =>
        {
            // The issues load first, before the ledger's lock (they are most of the write, and other passes' samples
            // queue on that lock); their partition is swapped in last, as its lock on issues holds until the commit.
            await LoadIssues(connection, transaction, source, asOf, result.Issues, cancellationToken);
            await AppendSamples(connection, transaction, result.Samples, cancellationToken);
            await AppendUsers(connection, transaction, result.Users, cancellationToken);
            await ReplaceLatest(connection, transaction, Producers.KpiPass(source), result.Samples, cancellationToken);
            await SwapIssues(connection, transaction, source, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task CommitProducedAsync(string producer, IReadOnlyList<KpiSample> samples, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(producer);
        ArgumentNullException.ThrowIfNull(samples);
        SqliteStore.Validate(samples, []);
        return WriteAsync(async (connection, transaction) =>
        {
            await AppendSamples(connection, transaction, samples, cancellationToken);
            await ReplaceLatest(connection, transaction, producer, samples, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Moves the ledger version on. The row stays locked until the transaction ends: every transaction that appends to
    /// the ledger takes it first, so appends commit one after the other in the order of their sequence numbers.
    /// </summary>
    private static async Task BumpLedgerVersion(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var bump = Command(connection, transaction, "UPDATE ledger_version SET version = version + 1 WHERE id = 1");
        await bump.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Appends samples by binary COPY, keeps series_latest (a sample older than its series' newest, a backfill,
    /// does not become the latest; of equal times the later append wins), and moves the ledger version on.</summary>
    private static async Task AppendSamples(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<KpiSample> samples,
        CancellationToken ct)
    {
        await BumpLedgerVersion(connection, transaction, ct);
        if (samples.Count == 0) return;
        long before;
        await using (var max = Command(connection, transaction, "SELECT COALESCE(MAX(seq), 0) FROM samples"))
        {
            before = (long)(await max.ExecuteScalarAsync(ct))!;
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY samples (kpi, source, dims, value, time_ms, basis) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < samples.Count; i++)
            {
                if (i % CancelCheckRows == 0) ct.ThrowIfCancellationRequested();
                var sample = samples[i];
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(sample.Kpi, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(sample.Source, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(sample.Dimensions.Key, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(sample.Value, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(ToUnixMs(sample.Time), NpgsqlDbType.Bigint, ct);
                if (sample.Basis is null) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(sample.Basis, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using var latest = Command(connection, transaction, """
            INSERT INTO series_latest (kpi, source, dims, seq, time_ms)
            SELECT DISTINCT ON (kpi, source, dims) kpi, source, dims, seq, time_ms FROM samples
            WHERE seq > @before ORDER BY kpi, source, dims, time_ms DESC, seq DESC
            ON CONFLICT (kpi, source, dims) DO UPDATE SET seq = excluded.seq, time_ms = excluded.time_ms
            WHERE excluded.time_ms >= series_latest.time_ms
            """);
        Param(latest, "before", NpgsqlDbType.Bigint, before);
        await latest.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One pass per (source, as-of) of this append, in order of first appearance; its rows by binary COPY.</summary>
    private static async Task AppendUsers(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<UserAdoptionRow> users,
        CancellationToken ct)
    {
        if (users.Count == 0) return;
        var passes = new List<(long Pass, IGrouping<(string Source, long AsOf), UserAdoptionRow> Rows)>();
        await using (var pass = Command(connection, transaction, "INSERT INTO user_passes (source, as_of_ms) VALUES (@source, @asOf) RETURNING pass"))
        {
            var (source, asOf) = (Param(pass, "source", NpgsqlDbType.Text), Param(pass, "asOf", NpgsqlDbType.Bigint));
            foreach (var group in users.GroupBy(u => (u.Source, AsOf: ToUnixMs(u.AsOf))))
            {
                (source.Value, asOf.Value) = (group.Key.Source, group.Key.AsOf);
                passes.Add(((long)(await pass.ExecuteScalarAsync(ct))!, group));
            }
        }
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY user_rows (pass, user_id, name, email, team, last_login_ms, logins_7d, logins_30d, activities_7d, activities_30d, status)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var (passId, rows) in passes)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var row in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(passId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.UserId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                if (row.Email is null) await copy.WriteNullAsync(ct);
                else await copy.WriteAsync(row.Email, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Team, NpgsqlDbType.Text, ct);
                if (row.LastLogin is { } last) await copy.WriteAsync(ToUnixMs(last), NpgsqlDbType.Bigint, ct);
                else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(row.Logins7d, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(row.Logins30d, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(row.Activities7d, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(row.Activities30d, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(row.Status, NpgsqlDbType.Text, ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>Replaces the producer's latest values by <paramref name="samples"/> (a series given twice: the later one),
    /// each with the time one KPI period before it.</summary>
    private static async Task ReplaceLatest(NpgsqlConnection connection, NpgsqlTransaction transaction, string producer,
        IReadOnlyList<KpiSample> samples, CancellationToken ct)
    {
        await BumpLedgerVersion(connection, transaction, ct);
        await using (var delete = Command(connection, transaction, "DELETE FROM latest_values WHERE producer = @producer"))
        {
            Param(delete, "producer", NpgsqlDbType.Text, producer);
            await delete.ExecuteNonQueryAsync(ct);
        }
        var last = new Dictionary<(string, string, string), KpiSample>();
        foreach (var sample in samples) last[(sample.Kpi, sample.Source, sample.Dimensions.Key)] = sample;
        if (last.Count == 0) return;
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY latest_values (producer, kpi, source, dims, value, time_ms, basis, previous_at_ms) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var sample in last.Values)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(producer, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(sample.Kpi, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(sample.Source, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(sample.Dimensions.Key, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(sample.Value, NpgsqlDbType.Double, ct);
            await copy.WriteAsync(ToUnixMs(sample.Time), NpgsqlDbType.Bigint, ct);
            if (sample.Basis is null) await copy.WriteNullAsync(ct);
            else await copy.WriteAsync(sample.Basis, NpgsqlDbType.Text, ct);
            if (KpiCatalog.TryGet(sample.Kpi, out var definition)) await copy.WriteAsync(ToUnixMs(sample.Time - definition.Period), NpgsqlDbType.Bigint, ct);
            else await copy.WriteNullAsync(ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <inheritdoc />
    /// <remarks>Asked on every /api/kpis/latest request: one statement on a pooled connection, no transaction.</remarks>
    public async Task<long> LedgerVersionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var command = _data.CreateCommand("SELECT version FROM ledger_version WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public Task<LatestValueSet> LatestValuesAsync(CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            long at;
            await using (var version = Command(connection, transaction, "SELECT version FROM ledger_version WHERE id = 1"))
            {
                at = (long)(await version.ExecuteScalarAsync(cancellationToken))!;
            }
            // One row per latest value, with the series' last sample at or before previous_at_ms (of equal times the later append).
            await using var command = Command(connection, transaction, """
                SELECT v.producer, v.kpi, v.source, v.dims, v.value, v.time_ms, v.basis, p.value, p.time_ms, p.basis
                FROM latest_values v
                LEFT JOIN LATERAL (
                    SELECT s.value, s.time_ms, s.basis FROM samples s
                    WHERE s.kpi = v.kpi AND s.source = v.source AND s.dims = v.dims AND s.time_ms <= v.previous_at_ms
                    ORDER BY s.time_ms DESC, s.seq DESC LIMIT 1) p ON true
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var values = new List<StoredLatest>();
            var dimensions = new Dictionary<string, Dimensions>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (kpi, source, key) = (reader.GetString(1), reader.GetString(2), reader.GetString(3));
                if (!dimensions.TryGetValue(key, out var parsed)) dimensions[key] = parsed = Dimensions.Parse(key);
                var sample = new KpiSample(kpi, source, parsed, reader.GetDouble(4), FromUnixMs(reader.GetInt64(5)), OptionalString(reader, 6));
                var previous = reader.IsDBNull(7) ? null : new KpiSample(kpi, source, parsed, reader.GetDouble(7),
                    FromUnixMs(reader.GetInt64(8)), OptionalString(reader, 9));
                values.Add(new StoredLatest(reader.GetString(0), sample, previous));
            }
            return new LatestValueSet(at, values);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<KpiSample>> LatestAsync(string? source, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT {SampleColumns} FROM series_latest l JOIN samples s ON s.seq = l.seq
                WHERE @source::text IS NULL OR l.source = @source
                ORDER BY l.kpi, l.source, l.dims
                """);
            Param(command, "source", NpgsqlDbType.Text, source);
            return await ReadSamples(command, cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<KpiSample?> AtOrBeforeAsync(string kpi, string source, Dimensions dimensions, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT {SampleColumns} FROM samples s
                WHERE s.kpi = @kpi AND s.source = @source AND s.dims = @dims AND s.time_ms <= @time
                ORDER BY s.time_ms DESC, s.seq DESC LIMIT 1
                """);
            Param(command, "kpi", NpgsqlDbType.Text, kpi);
            Param(command, "source", NpgsqlDbType.Text, source);
            Param(command, "dims", NpgsqlDbType.Text, dimensions.Key);
            Param(command, "time", NpgsqlDbType.Bigint, ToUnixMs(time));
            return (await ReadSamples(command, cancellationToken)).SingleOrDefault();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Ordered by dimensions key, then source, then time (equal times in append order).</remarks>
    public Task<IReadOnlyList<KpiSample>> SeriesAsync(string kpi, string? source, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT {SampleColumns} FROM series_latest l
                JOIN samples s ON s.kpi = l.kpi AND s.source = l.source AND s.dims = l.dims AND s.time_ms >= @from AND s.time_ms <= @to
                WHERE l.kpi = @kpi AND (@source::text IS NULL OR l.source = @source)
                ORDER BY l.dims, l.source, s.time_ms, s.seq
                """);
            Param(command, "kpi", NpgsqlDbType.Text, kpi);
            Param(command, "source", NpgsqlDbType.Text, source);
            Param(command, "from", NpgsqlDbType.Bigint, ToUnixMs(from));
            Param(command, "to", NpgsqlDbType.Bigint, ToUnixMs(to));
            return await ReadSamples(command, cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<KpiSample>> SeriesAsync(IReadOnlyCollection<SeriesKey> series, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        var distinct = series.DistinctBy(k => (k.Kpi, k.Source, k.Dimensions.Key)).ToList();
        if (distinct.Count == 0) return Task.FromResult<IReadOnlyList<KpiSample>>([]);
        return ReadAsync(async (connection, transaction) =>
        {
            // The wanted series as three arrays unnested side by side: one range seek of samples_by_series_time each.
            await using var command = Command(connection, transaction, $"""
                SELECT {SampleColumns} FROM unnest(@kpis, @sources, @dims) AS w (kpi, source, dims)
                JOIN samples s ON s.kpi = w.kpi AND s.source = w.source AND s.dims = w.dims AND s.time_ms >= @from AND s.time_ms <= @to
                ORDER BY s.kpi, s.source, s.dims, s.time_ms, s.seq
                """);
            Param(command, "kpis", NpgsqlDbType.Array | NpgsqlDbType.Text, distinct.Select(k => k.Kpi).ToArray());
            Param(command, "sources", NpgsqlDbType.Array | NpgsqlDbType.Text, distinct.Select(k => k.Source).ToArray());
            Param(command, "dims", NpgsqlDbType.Array | NpgsqlDbType.Text, distinct.Select(k => k.Dimensions.Key).ToArray());
            Param(command, "from", NpgsqlDbType.Bigint, ToUnixMs(from));
            Param(command, "to", NpgsqlDbType.Bigint, ToUnixMs(to));
            return await ReadSamples(command, cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<UserAdoptionRow>> LatestUsersAsync(string? source, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<UserAdoptionRow>>(async (connection, transaction) =>
        {
            // The newest pass of each source: latest as-of, and of equal as-of the later append.
            await using var command = Command(connection, transaction, """
                SELECT p.source, u.user_id, u.name, u.email, u.team, u.last_login_ms, u.logins_7d, u.logins_30d,
                       u.activities_7d, u.activities_30d, u.status, p.as_of_ms
                FROM (SELECT DISTINCT ON (source) pass, source, as_of_ms FROM user_passes
                      WHERE @source::text IS NULL OR source = @source
                      ORDER BY source, as_of_ms DESC, pass DESC) p
                JOIN user_rows u ON u.pass = p.pass
                ORDER BY p.source, u.user_id
                """);
            Param(command, "source", NpgsqlDbType.Text, source);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<UserAdoptionRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new UserAdoptionRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), OptionalString(reader, 3),
                    reader.GetString(4), OptionalTime(reader, 5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9),
                    reader.GetString(10), FromUnixMs(reader.GetInt64(11))));
            }
            return rows;
        }, cancellationToken);

    private static async Task<IReadOnlyList<KpiSample>> ReadSamples(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var samples = new List<KpiSample>();
        var dimensions = new Dictionary<string, Dimensions>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var key = reader.GetString(2);
            if (!dimensions.TryGetValue(key, out var parsed)) dimensions[key] = parsed = Dimensions.Parse(key);
            samples.Add(new KpiSample(reader.GetString(0), reader.GetString(1), parsed, reader.GetDouble(3), FromUnixMs(reader.GetInt64(4)),
                OptionalString(reader, 5)));
        }
        return samples;
    }
}
