using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Influx;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// The InfluxDB outbox over the ledger (a cursor per stream, parked batches) and backfill progress.
public sealed partial class SqliteStore
{
    /// <summary>
    /// The next unsent batch: up to <paramref name="maxPoints"/> samples after the samples cursor, in append order; when
    /// every sample is sent, the per-user rows of the next passes (whole passes, at least one). Null when nothing is
    /// pending.
    /// </summary>
    public Task<OutboxBatch?> ReadOutboxAsync(int maxPoints, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        return ReadAsync((connection, transaction) =>
            ReadSampleBatch(connection, transaction, maxPoints) ?? ReadUserBatch(connection, transaction, maxPoints), cancellationToken);
    }

    private static OutboxBatch? ReadSampleBatch(SqliteConnection connection, SqliteTransaction transaction, int maxPoints)
    {
        using var command = Command(connection, transaction, $"""
            SELECT s.seq, {SampleColumns} FROM samples s
            WHERE s.seq > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'samples')
            ORDER BY s.seq LIMIT $max
            """);
        command.Parameters.AddWithValue("$max", maxPoints);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        long first = 0, last = 0;
        var dimensions = new Dictionary<string, Dimensions>(StringComparer.Ordinal);
        while (reader.Read())
        {
            last = reader.GetInt64(0);
            if (lines.Count == 0) first = last;
            var key = reader.GetString(3);
            if (!dimensions.TryGetValue(key, out var parsed)) dimensions[key] = parsed = Dimensions.Parse(key);
            var sample = new KpiSample(reader.GetString(1), reader.GetString(2), parsed, reader.GetDouble(4),
                FromUnixMs(reader.GetInt64(5)), reader.IsDBNull(6) ? null : reader.GetString(6));
            lines.Add(InfluxSchema.ToLine(sample));
        }
        return lines.Count == 0 ? null : new OutboxBatch(OutboxBatch.Samples, first, last, lines);
    }

    private static OutboxBatch? ReadUserBatch(SqliteConnection connection, SqliteTransaction transaction, int maxPoints)
    {
        // Whole passes in order, until the batch holds maxPoints rows (a pass larger than that goes alone).
        using var command = Command(connection, transaction, """
            SELECT p.pass, p.source, p.as_of_ms, u.user_id, u.name, u.email, u.team, u.last_login_ms, u.logins_7d,
                   u.logins_30d, u.activities_7d, u.activities_30d, u.status
            FROM user_passes p JOIN user_rows u ON u.pass = p.pass
            WHERE p.pass > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'users')
            ORDER BY p.pass, u.user_id
            """);
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        long first = 0, last = 0;
        while (reader.Read())
        {
            var pass = reader.GetInt64(0);
            if (pass != last && lines.Count >= maxPoints) break;
            if (lines.Count == 0) first = pass;
            last = pass;
            lines.Add(InfluxSchema.ToLine(new UserAdoptionRow(
                reader.GetString(1), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : FromUnixMs(reader.GetInt64(7)),
                reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11), reader.GetString(12),
                FromUnixMs(reader.GetInt64(2)))));
        }
        if (lines.Count > 0) return new OutboxBatch(OutboxBatch.Users, first, last, lines);
        // Passes without rows (no users) have nothing to send: step over them so they never count as pending.
        using var empty = Command(connection, transaction, """
            SELECT MAX(pass) FROM user_passes
            WHERE pass > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'users')
            """);
        return empty.ExecuteScalar() is long top ? new OutboxBatch(OutboxBatch.Users, top, top, []) : null;
    }

    /// <summary>Moves the batch's stream cursor to its end: InfluxDB has acknowledged it. Never moves a cursor back.</summary>
    public Task AcknowledgeOutboxAsync(OutboxBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync((connection, transaction) => { MoveCursor(connection, transaction, batch); return 0; }, cancellationToken);
    }

    /// <summary>Records a batch InfluxDB refused for good and moves the cursor past it, in one transaction.</summary>
    public Task ParkOutboxAsync(OutboxBatch batch, int? status, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync((connection, transaction) =>
        {
            using var insert = Command(connection, transaction, """
                INSERT INTO outbox_parked (stream, first_pos, last_pos, points, status, reason, parked_ms)
                VALUES ($stream, $first, $last, $points, $status, $reason, $at)
                """);
            insert.Parameters.AddWithValue("$stream", batch.Stream);
            insert.Parameters.AddWithValue("$first", batch.From);
            insert.Parameters.AddWithValue("$last", batch.To);
            insert.Parameters.AddWithValue("$points", batch.Lines.Count);
            insert.Parameters.AddWithValue("$status", DbValue(status));
            insert.Parameters.AddWithValue("$reason", reason);
            insert.Parameters.AddWithValue("$at", ToUnixMs(at));
            insert.ExecuteNonQuery();
            MoveCursor(connection, transaction, batch);
            return 0;
        }, cancellationToken);
    }

    private static void MoveCursor(SqliteConnection connection, SqliteTransaction transaction, OutboxBatch batch)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO outbox_cursor (stream, position) VALUES ($stream, $to)
            ON CONFLICT (stream) DO UPDATE SET position = MAX(position, excluded.position)
            """);
        command.Parameters.AddWithValue("$stream", batch.Stream);
        command.Parameters.AddWithValue("$to", batch.To);
        command.ExecuteNonQuery();
    }

    /// <summary>The backlog and the parked batches.</summary>
    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT (SELECT COUNT(*) FROM samples WHERE seq > c.s),
                       (SELECT MIN(time_ms) FROM samples WHERE seq > c.s),
                       (SELECT COUNT(*) FROM user_rows WHERE pass > c.u),
                       (SELECT COUNT(*) FROM outbox_parked),
                       (SELECT COALESCE(SUM(points), 0) FROM outbox_parked),
                       (SELECT reason FROM outbox_parked ORDER BY id DESC LIMIT 1),
                       (SELECT parked_ms FROM outbox_parked ORDER BY id DESC LIMIT 1)
                FROM (SELECT (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'samples') AS s,
                             (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'users') AS u) c
                """);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new OutboxStatus(reader.GetInt64(0), reader.GetInt64(2),
                reader.IsDBNull(1) ? null : FromUnixMs(reader.GetInt64(1)),
                reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : FromUnixMs(reader.GetInt64(6)));
        }, cancellationToken);

    /// <summary>
    /// The first-run backfill plan of a source: the one recorded earlier, or (<paramref name="anchor"/>,
    /// <paramref name="days"/>) recorded now when the source has none.
    /// </summary>
    public Task<(DateTimeOffset Anchor, int Days)> GetOrCreateBackfillPlanAsync(string source, DateTimeOffset anchor, int days,
        CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var insert = Command(connection, transaction, """
                INSERT INTO backfill_plans (source, anchor_ms, days) VALUES ($source, $anchor, $days) ON CONFLICT DO NOTHING
                """);
            insert.Parameters.AddWithValue("$source", source);
            insert.Parameters.AddWithValue("$anchor", ToUnixMs(anchor));
            insert.Parameters.AddWithValue("$days", days);
            insert.ExecuteNonQuery();
            using var select = Command(connection, transaction, "SELECT anchor_ms, days FROM backfill_plans WHERE source = $source");
            select.Parameters.AddWithValue("$source", source);
            using var reader = select.ExecuteReader();
            reader.Read();
            return (FromUnixMs(reader.GetInt64(0)), reader.GetInt32(1));
        }, cancellationToken);

    /// <summary>The as-of times of a source's backfill steps already in the ledger.</summary>
    public Task<IReadOnlySet<DateTimeOffset>> GetBackfillStepsAsync(string source, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlySet<DateTimeOffset>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, "SELECT as_of_ms FROM backfill_steps WHERE source = $source");
            command.Parameters.AddWithValue("$source", source);
            using var reader = command.ExecuteReader();
            var steps = new HashSet<DateTimeOffset>();
            while (reader.Read()) steps.Add(FromUnixMs(reader.GetInt64(0)));
            return steps;
        }, cancellationToken);

    /// <summary>
    /// Appends one backfill step (the samples and user rows computed for <paramref name="asOf"/>) and records it as
    /// done, in one transaction. A step already recorded appends nothing and returns false: resuming or running the
    /// backfill again never doubles a sample.
    /// </summary>
    public Task<bool> AppendBackfillStepAsync(string source, DateTimeOffset asOf, IReadOnlyList<KpiSample> samples,
        IReadOnlyList<UserAdoptionRow> users, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(users);
        Validate(samples, users);
        return WriteAsync((connection, transaction) =>
        {
            using var step = Command(connection, transaction, """
                INSERT INTO backfill_steps (source, as_of_ms, samples, done_ms) VALUES ($source, $asOf, $n, $now)
                ON CONFLICT DO NOTHING
                """);
            step.Parameters.AddWithValue("$source", source);
            step.Parameters.AddWithValue("$asOf", ToUnixMs(asOf));
            step.Parameters.AddWithValue("$n", samples.Count);
            step.Parameters.AddWithValue("$now", ToUnixMs(now));
            if (step.ExecuteNonQuery() == 0) return false;
            AppendSamples(connection, transaction, samples, cancellationToken);
            AppendUsers(connection, transaction, users, cancellationToken);
            return true;
        }, cancellationToken);
    }
}
