using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// The ledger: append-only samples with a series_latest index, and per-user rows grouped in passes.
public sealed partial class SqliteStore
{
    internal const string SampleColumns = "s.kpi, s.source, s.dims, s.value, s.time_ms, s.basis";

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<KpiSample> samples, IReadOnlyList<UserAdoptionRow> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(users);
        Validate(samples, users);
        if (samples.Count == 0 && users.Count == 0) return Task.CompletedTask;
        return WriteAsync((connection, transaction) =>
        {
            AppendSamples(connection, transaction, samples, cancellationToken);
            AppendUsers(connection, transaction, users, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Large writes check for cancellation every this many rows, so a stopping daemon rolls back at once.</summary>
    private const int CancelCheckRows = 1024;

    /// <summary>Appends samples (and keeps series_latest), and moves the ledger version on.</summary>
    private static void AppendSamples(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<KpiSample> samples,
        CancellationToken cancellationToken)
    {
        BumpLedgerVersion(connection, transaction);
        using var insert = Command(connection, transaction, """
            INSERT INTO samples (kpi, source, dims, value, time_ms, basis) VALUES ($kpi, $source, $dims, $value, $time, $basis)
            RETURNING seq
            """);
        // A sample older than the series' newest (a backfill) is appended but does not become the latest.
        using var latest = Command(connection, transaction, """
            INSERT INTO series_latest (kpi, source, dims, seq, time_ms) VALUES ($kpi, $source, $dims, $seq, $time)
            ON CONFLICT (kpi, source, dims) DO UPDATE SET seq = excluded.seq, time_ms = excluded.time_ms
            WHERE excluded.time_ms >= series_latest.time_ms
            """);
        var (kpi, source, dims, value, time, basis) = (insert.Parameters.Add("$kpi", SqliteType.Text),
            insert.Parameters.Add("$source", SqliteType.Text), insert.Parameters.Add("$dims", SqliteType.Text),
            insert.Parameters.Add("$value", SqliteType.Real), insert.Parameters.Add("$time", SqliteType.Integer),
            insert.Parameters.Add("$basis", SqliteType.Text));
        var (lKpi, lSource, lDims, lSeq, lTime) = (latest.Parameters.Add("$kpi", SqliteType.Text),
            latest.Parameters.Add("$source", SqliteType.Text), latest.Parameters.Add("$dims", SqliteType.Text),
            latest.Parameters.Add("$seq", SqliteType.Integer), latest.Parameters.Add("$time", SqliteType.Integer));
        for (var i = 0; i < samples.Count; i++)
        {
            if (i % CancelCheckRows == 0) cancellationToken.ThrowIfCancellationRequested();
            var sample = samples[i];
            kpi.Value = lKpi.Value = sample.Kpi;
            source.Value = lSource.Value = sample.Source;
            dims.Value = lDims.Value = sample.Dimensions.Key;
            value.Value = sample.Value;
            time.Value = lTime.Value = ToUnixMs(sample.Time);
            basis.Value = DbValue(sample.Basis);
            lSeq.Value = (long)insert.ExecuteScalar()!;
            latest.ExecuteNonQuery();
        }
    }

    private static void AppendUsers(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<UserAdoptionRow> users,
        CancellationToken cancellationToken)
    {
        using var pass = Command(connection, transaction,
            "INSERT INTO user_passes (source, as_of_ms) VALUES ($source, $asOf) RETURNING pass");
        using var insert = Command(connection, transaction, """
            INSERT INTO user_rows (pass, user_id, name, email, team, last_login_ms, logins_7d, logins_30d, activities_7d,
                                   activities_30d, status)
            VALUES ($pass, $user, $name, $email, $team, $lastLogin, $l7, $l30, $a7, $a30, $status)
            """);
        // One pass per (source, as-of) of this append, in order of first appearance.
        foreach (var group in users.GroupBy(u => (u.Source, AsOf: ToUnixMs(u.AsOf))))
        {
            pass.Parameters.Clear();
            pass.Parameters.AddWithValue("$source", group.Key.Source);
            pass.Parameters.AddWithValue("$asOf", group.Key.AsOf);
            var passId = (long)pass.ExecuteScalar()!;
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var row in group)
            {
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$pass", passId);
                insert.Parameters.AddWithValue("$user", row.UserId);
                insert.Parameters.AddWithValue("$name", row.Name);
                insert.Parameters.AddWithValue("$email", DbValue(row.Email));
                insert.Parameters.AddWithValue("$team", row.Team);
                insert.Parameters.AddWithValue("$lastLogin", DbValue(row.LastLogin is { } l ? ToUnixMs(l) : null));
                insert.Parameters.AddWithValue("$l7", row.Logins7d);
                insert.Parameters.AddWithValue("$l30", row.Logins30d);
                insert.Parameters.AddWithValue("$a7", row.Activities7d);
                insert.Parameters.AddWithValue("$a30", row.Activities30d);
                insert.Parameters.AddWithValue("$status", row.Status);
                insert.ExecuteNonQuery();
            }
        }
    }

    /// <summary>Checks every sample and row before anything is written, naming the first bad one.</summary>
    internal static void Validate(IReadOnlyList<KpiSample> samples, IReadOnlyList<UserAdoptionRow> users)
    {
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i] ?? throw new ArgumentException($"Sample #{i + 1} is null.", nameof(samples));
            var where = $"Sample #{i + 1} (kpi '{s.Kpi}', source '{s.Source}', dimensions '{s.Dimensions?.Key}')";
            if (string.IsNullOrEmpty(s.Kpi) || string.IsNullOrEmpty(s.Source) || s.Dimensions is null)
            {
                throw new ArgumentException($"{where} lacks a kpi, a source or dimensions.", nameof(samples));
            }
            // SQLite would store NaN as NULL; the ledger never invents or hides numbers, so refuse it.
            if (!double.IsFinite(s.Value))
            {
                throw new ArgumentException($"{where} has the value {s.Value}; the ledger stores finite numbers only.", nameof(samples));
            }
        }
        for (var i = 0; i < users.Count; i++)
        {
            var u = users[i] ?? throw new ArgumentException($"User row #{i + 1} is null.", nameof(users));
            if (string.IsNullOrEmpty(u.Source) || string.IsNullOrEmpty(u.UserId) || u.Name is null || u.Team is null || u.Status is null)
            {
                throw new ArgumentException(
                    $"User row #{i + 1} (source '{u.Source}', user '{u.UserId}') lacks a source, user id, name, team or status.",
                    nameof(users));
            }
        }
    }

    // The read queries, kept as constants so a test can check their plans seek by index (no scan of samples).
    // "$source IS NULL OR ..." makes the source filter optional without a second text.

    internal const string LatestSql = $"""
        SELECT {SampleColumns} FROM series_latest l JOIN samples s ON s.seq = l.seq
        WHERE $source IS NULL OR l.source = $source
        ORDER BY l.kpi, l.source, l.dims
        """;

    // Equal times: the later append wins, as it does for the latest.
    internal const string AtOrBeforeSql = $"""
        SELECT {SampleColumns} FROM samples s
        WHERE s.kpi = $kpi AND s.source = $source AND s.dims = $dims AND s.time_ms <= $time
        ORDER BY s.time_ms DESC, s.seq DESC LIMIT 1
        """;

    // series_latest lists each series once, so every series is one range seek in samples_by_series_time instead of a
    // scan of the KPI's whole history. CROSS JOIN makes SQLite keep that loop order (without statistics it may
    // otherwise scan every sample of the KPI and filter).
    internal const string SeriesSql = $"""
        SELECT {SampleColumns} FROM series_latest l
        CROSS JOIN samples s ON s.kpi = l.kpi AND s.source = l.source AND s.dims = l.dims
                            AND s.time_ms >= $from AND s.time_ms <= $to
        WHERE l.kpi = $kpi AND ($source IS NULL OR l.source = $source)
        ORDER BY l.dims, l.source, s.time_ms, s.seq
        """;

    // The newest pass of each source: latest as-of, and of equal as-of the later append.
    internal const string LatestUsersSql = """
        SELECT p.source, u.user_id, u.name, u.email, u.team, u.last_login_ms, u.logins_7d, u.logins_30d,
               u.activities_7d, u.activities_30d, u.status, p.as_of_ms
        FROM user_rows u JOIN user_passes p ON p.pass = u.pass
        WHERE u.pass IN (
            SELECT (SELECT p2.pass FROM user_passes p2 WHERE p2.source = x.source
                    ORDER BY p2.as_of_ms DESC, p2.pass DESC LIMIT 1)
            FROM (SELECT DISTINCT source FROM user_passes WHERE $source IS NULL OR source = $source) x)
        ORDER BY p.source, u.user_id
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<KpiSample>> LatestAsync(string? source, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, LatestSql);
            command.Parameters.AddWithValue("$source", DbValue(source));
            return ReadSamples(command);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<KpiSample?> AtOrBeforeAsync(string kpi, string source, Dimensions dimensions, DateTimeOffset time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, AtOrBeforeSql);
            command.Parameters.AddWithValue("$kpi", kpi);
            command.Parameters.AddWithValue("$source", source);
            command.Parameters.AddWithValue("$dims", dimensions.Key);
            command.Parameters.AddWithValue("$time", ToUnixMs(time));
            return ReadSamples(command).SingleOrDefault();
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Ordered by dimensions key, then source, then time (equal times in append order).</remarks>
    public Task<IReadOnlyList<KpiSample>> SeriesAsync(string kpi, string? source, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, SeriesSql);
            command.Parameters.AddWithValue("$kpi", kpi);
            command.Parameters.AddWithValue("$source", DbValue(source));
            command.Parameters.AddWithValue("$from", ToUnixMs(from));
            command.Parameters.AddWithValue("$to", ToUnixMs(to));
            return ReadSamples(command);
        }, cancellationToken);

    /// <summary>The series of one <see cref="SeriesAsync(IReadOnlyCollection{SeriesKey}, DateTimeOffset, DateTimeOffset, CancellationToken)"/>
    /// query: at most this many (three parameters each, far below SQLite's limit).</summary>
    private const int SeriesPerQuery = 500;

    /// <summary>The wanted series as a VALUES list, each one range seek in samples_by_series_time.</summary>
    internal static string SeriesListSql(int count) => $"""
        WITH wanted (kpi, source, dims) AS (VALUES {string.Join(", ", Enumerable.Range(0, count).Select(i => $"($k{i}, $s{i}, $d{i})"))})
        SELECT {SampleColumns} FROM wanted w
        CROSS JOIN samples s ON s.kpi = w.kpi AND s.source = w.source AND s.dims = w.dims AND s.time_ms >= $from AND s.time_ms <= $to
        ORDER BY s.kpi, s.source, s.dims, s.time_ms, s.seq
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<KpiSample>> SeriesAsync(IReadOnlyCollection<SeriesKey> series, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        var distinct = series.DistinctBy(k => (k.Kpi, k.Source, k.Dimensions.Key)).ToList();
        if (distinct.Count == 0) return Task.FromResult<IReadOnlyList<KpiSample>>([]);
        return ReadAsync<IReadOnlyList<KpiSample>>((connection, transaction) =>
        {
            var samples = new List<KpiSample>();
            foreach (var chunk in distinct.Chunk(SeriesPerQuery))
            {
                using var command = Command(connection, transaction, SeriesListSql(chunk.Length));
                for (var i = 0; i < chunk.Length; i++)
                {
                    command.Parameters.AddWithValue($"$k{i}", chunk[i].Kpi);
                    command.Parameters.AddWithValue($"$s{i}", chunk[i].Source);
                    command.Parameters.AddWithValue($"$d{i}", chunk[i].Dimensions.Key);
                }
                command.Parameters.AddWithValue("$from", ToUnixMs(from));
                command.Parameters.AddWithValue("$to", ToUnixMs(to));
                samples.AddRange(ReadSamples(command));
            }
            return samples;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<UserAdoptionRow>> LatestUsersAsync(string? source, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<UserAdoptionRow>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, LatestUsersSql);
            command.Parameters.AddWithValue("$source", DbValue(source));
            using var reader = command.ExecuteReader();
            var rows = new List<UserAdoptionRow>();
            while (reader.Read())
            {
                rows.Add(new UserAdoptionRow(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : FromUnixMs(reader.GetInt64(5)),
                    reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9),
                    reader.GetString(10), FromUnixMs(reader.GetInt64(11))));
            }
            return rows;
        }, cancellationToken);

    private static IReadOnlyList<KpiSample> ReadSamples(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var samples = new List<KpiSample>();
        // Few distinct keys among many rows: parse each once.
        var dimensions = new Dictionary<string, Dimensions>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var key = reader.GetString(2);
            if (!dimensions.TryGetValue(key, out var parsed)) dimensions[key] = parsed = Dimensions.Parse(key);
            samples.Add(new KpiSample(
                reader.GetString(0), reader.GetString(1), parsed, reader.GetDouble(3), FromUnixMs(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return samples;
    }
}
