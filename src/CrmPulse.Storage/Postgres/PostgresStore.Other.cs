using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Storage.Influx;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

// Issues (drill-down), alert states and deliveries, report deliveries, the InfluxDB outbox and backfill progress.
public sealed partial class PostgresStore
{
    private const string IssueColumns =
        "source, kpi, object, record_id, field, owner_id, team, detail, computed_at_ms, detail_code, arg_a, arg_b, arg_m, arg_n, arg_x, arg_y";

    /// <inheritdoc />
    public Task ReplaceIssuesAsync(string source, DateTimeOffset computedAt, IReadOnlyList<RecordIssue> issues, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(issues);
        SqliteStore.ValidateIssues(source, issues);
        return WriteAsync(async (connection, transaction) =>
        {
            await LoadIssues(connection, transaction, source, computedAt, issues, cancellationToken);
            await SwapIssues(connection, transaction, source, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>The partition of a source's issues (issues is partitioned by source, schema 6): issues_ and the md5 of
    /// its name in UTF-8, as migration 6 writes it (md5(convert_to(source, 'UTF8')), whatever the database's encoding).</summary>
    internal static string IssuePartition(string source) =>
        "issues_" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(source)));

    /// <summary>A text as an SQL literal (standard_conforming_strings is on: only quotes are doubled).</summary>
    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Creates the partitions that rows of <paramref name="sources"/> need (a copy into issues).</summary>
    internal static async Task CreateIssuePartitions(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> sources,
        CancellationToken ct)
    {
        foreach (var source in sources)
        {
            await using var create = Command(connection, transaction,
                $"CREATE TABLE IF NOT EXISTS {IssuePartition(source)} PARTITION OF issues FOR VALUES IN ({Literal(source)})");
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The first half of replacing a source's issues: copies <paramref name="issues"/> (an issue repeated: the first one)
    /// into a fresh table of their own, bare, then builds its key and listing indexes, each in one sorted pass. Inserting
    /// through the five indexes of the stored issues cost three times as much (732,014 issues: 47.7 s against 14.4 s at
    /// load 34-37). Takes no lock on issues itself, so a pass does this before it queues on the ledger's lock.
    /// </summary>
    private static async Task LoadIssues(NpgsqlConnection connection, NpgsqlTransaction transaction, string source, DateTimeOffset computedAt,
        IReadOnlyList<RecordIssue> issues, CancellationToken ct)
    {
        // One replace of a source at a time (the fresh table's name is the source's).
        await using (var lockSource = Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('issues:' || @s))"))
        {
            Param(lockSource, "s", NpgsqlDbType.Text, source);
            await lockSource.ExecuteNonQueryAsync(ct);
        }
        // The columns of issues (schema 6), which ATTACH checks; the CHECK on the source spares ATTACH a scan of the rows.
        var fresh = "fresh_" + IssuePartition(source);
        await using (var create = Command(connection, transaction, $"""
            SET LOCAL maintenance_work_mem = '256MB';
            CREATE TABLE {fresh} (
                source         text COLLATE "C" NOT NULL CHECK (source = {Literal(source)}),
                kpi            text COLLATE "C" NOT NULL,
                object         text COLLATE "C" NOT NULL,
                record_id      text COLLATE "C" NOT NULL,
                field          text COLLATE "C" NOT NULL DEFAULT '',
                owner_id       text COLLATE "C",
                team           text COLLATE "C" NOT NULL,
                detail         text,
                computed_at_ms bigint NOT NULL,
                detail_code    integer,
                arg_a          text,
                arg_b          text,
                arg_m          bigint,
                arg_n          bigint,
                arg_x          double precision,
                arg_y          double precision)
            """))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        var seen = new HashSet<(string, string, string, string)>();
        var at = ToUnixMs(computedAt);
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {fresh} ({IssueColumns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            // Written from the pass's rows as they are: no issue object, and no text, is made on the way.
            var i = 0;
            foreach (var issue in IssueBuffer.From(issues).Rows())
            {
                if (i++ % CancelCheckRows == 0) ct.ThrowIfCancellationRequested();
                if (!seen.Add((issue.Kpi, issue.Object, issue.RecordId, issue.Field ?? ""))) continue;
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(source, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(issue.Kpi, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(issue.Object, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(issue.RecordId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(issue.Field ?? "", NpgsqlDbType.Text, ct);
                await WriteText(copy, issue.OwnerId, ct);
                await copy.WriteAsync(issue.Team, NpgsqlDbType.Text, ct);
                // A detail held as a code and its arguments is stored so, and written out when read.
                if (issue.HasCode)
                {
                    await copy.WriteNullAsync(ct);
                    await copy.WriteAsync(at, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync((int)issue.Code, NpgsqlDbType.Integer, ct);
                    await WriteText(copy, issue.A, ct);
                    await WriteText(copy, issue.B, ct);
                    await copy.WriteAsync(issue.M, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(issue.N, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(issue.X, NpgsqlDbType.Double, ct);
                    await copy.WriteAsync(issue.Y, NpgsqlDbType.Double, ct);
                }
                else
                {
                    await WriteText(copy, issue.A, ct);
                    await copy.WriteAsync(at, NpgsqlDbType.Bigint, ct);
                    for (var n = 0; n < 7; n++) await copy.WriteNullAsync(ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        // The indexes of issues (schema 6), which ATTACH takes over as the partition's instead of building its own; and
        // the statistics, so that the listings' first queries on the new partition are planned on them, not on guesses
        // (ANALYZE reads a sample: a fraction of a second at 732,014 issues).
        await using var index = Command(connection, transaction, $"""
            ALTER TABLE {fresh} ADD PRIMARY KEY (source, kpi, object, record_id, field);
            CREATE INDEX ON {fresh} (kpi, source, object, record_id, field);
            CREATE INDEX ON {fresh} (object, source, kpi, record_id, field);
            CREATE INDEX ON {fresh} (team, source, kpi, object, record_id, field);
            CREATE INDEX ON {fresh} (owner_id, source, kpi, object, record_id, field);
            ANALYZE {fresh}
            """);
        await index.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The second half: the fresh table of <see cref="LoadIssues"/> takes the place of the source's partition, in the
    /// same transaction, so a reader sees the old issues or the new, and a crash before the commit leaves the old ones.
    /// Dropping the old partition locks issues until the commit: a pass does this last.
    /// </summary>
    private static async Task SwapIssues(NpgsqlConnection connection, NpgsqlTransaction transaction, string source, CancellationToken ct)
    {
        var partition = IssuePartition(source);
        await using var swap = Command(connection, transaction, $"""
            DROP TABLE IF EXISTS {partition};
            ALTER TABLE fresh_{partition} RENAME TO {partition};
            ALTER TABLE issues ATTACH PARTITION {partition} FOR VALUES IN ({Literal(source)})
            """);
        await swap.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteText(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    /// <inheritdoc />
    public Task<IssuePage> QueryIssuesAsync(IssueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        if (query.Kpis.Count == 0) return Task.FromResult(new IssuePage(0, []));
        var where = IssueWhere(query);
        return ReadAsync(async (connection, transaction) =>
        {
            long total;
            await using (var count = Command(connection, transaction, $"SELECT COUNT(*) FROM issues {where}"))
            {
                BindIssueFilters(count, query);
                total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }
            await using var page = Command(connection, transaction,
                $"SELECT {IssueColumns} FROM issues {where} ORDER BY source, kpi, object, record_id, field LIMIT @limit OFFSET @offset");
            BindIssueFilters(page, query);
            Param(page, "limit", NpgsqlDbType.Integer, query.Limit);
            Param(page, "offset", NpgsqlDbType.Integer, query.Offset);
            var items = new List<StoredIssue>();
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var field = reader.GetString(4);
                var (kpi, obj, record, owner, team) = (reader.GetString(1), reader.GetString(2), reader.GetString(3), OptionalString(reader, 5), reader.GetString(6));
                var issue = reader.IsDBNull(9)
                    ? new RecordIssue(kpi, obj, record, owner, team, field.Length == 0 ? null : field, OptionalString(reader, 7))
                    : new RecordIssue(kpi, obj, record, owner, team, field.Length == 0 ? null : field, new IssueText((IssueCode)reader.GetInt32(9),
                        OptionalString(reader, 10), OptionalString(reader, 11), reader.GetInt64(12), reader.GetInt64(13), reader.GetDouble(14), reader.GetDouble(15)));
                items.Add(new StoredIssue(reader.GetString(0), FromUnixMs(reader.GetInt64(8)), issue));
            }
            return new IssuePage((int)Math.Min(total, int.MaxValue), items);
        }, cancellationToken);
    }

    private static string IssueWhere(IssueQuery query)
    {
        var where = "WHERE kpi = ANY(@kpis)";
        if (query.Kpi is not null) where += " AND kpi = @kpi";
        if (query.Source is not null) where += " AND source = @source";
        if (query.Object is not null) where += " AND object = @object";
        if (query.OwnerId is not null) where += " AND owner_id = @owner";
        if (query.Team is not null) where += " AND team = @team";
        if (query.Field is not null) where += " AND field = @field";
        return where;
    }

    private static void BindIssueFilters(NpgsqlCommand command, IssueQuery query)
    {
        Param(command, "kpis", NpgsqlDbType.Array | NpgsqlDbType.Text, query.Kpis.ToArray());
        if (query.Kpi is not null) Param(command, "kpi", NpgsqlDbType.Text, query.Kpi);
        if (query.Source is not null) Param(command, "source", NpgsqlDbType.Text, query.Source);
        if (query.Object is not null) Param(command, "object", NpgsqlDbType.Text, query.Object);
        if (query.OwnerId is not null) Param(command, "owner", NpgsqlDbType.Text, query.OwnerId);
        if (query.Team is not null) Param(command, "team", NpgsqlDbType.Text, query.Team);
        if (query.Field is not null) Param(command, "field", NpgsqlDbType.Text, query.Field);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertInstance>> LoadAlertsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AlertInstance>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT rule, source, dims, severity, status, active_since_ms, firing_since_ms, resolved_at_ms, last_notified_ms,
                       value, baseline, value_at_ms, summary, updated_at_ms
                FROM alert_instances ORDER BY key
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<AlertInstance>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new AlertInstance
                {
                    Rule = reader.GetString(0), Source = reader.GetString(1), Dimensions = Dimensions.Parse(reader.GetString(2)),
                    Severity = reader.GetString(3), Status = Enum.Parse<AlertStatus>(reader.GetString(4), ignoreCase: true),
                    ActiveSince = FromUnixMs(reader.GetInt64(5)), FiringSince = OptionalTime(reader, 6), ResolvedAt = OptionalTime(reader, 7),
                    LastNotifiedAt = OptionalTime(reader, 8), Value = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                    Baseline = reader.IsDBNull(10) ? null : reader.GetDouble(10), ValueAt = OptionalTime(reader, 11),
                    Summary = reader.GetString(12), UpdatedAt = FromUnixMs(reader.GetInt64(13)),
                });
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task SaveAlertsAsync(IReadOnlyList<AlertInstance> changed, IReadOnlyList<string> removed, DateTimeOffset forgetResolvedBefore,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using (var upsert = Command(connection, transaction, """
                INSERT INTO alert_instances (key, rule, source, dims, severity, status, active_since_ms, firing_since_ms,
                    resolved_at_ms, last_notified_ms, value, baseline, value_at_ms, summary, updated_at_ms)
                VALUES (@key, @rule, @source, @dims, @severity, @status, @active, @firing, @resolved, @notified, @value, @baseline,
                    @valueAt, @summary, @updated)
                ON CONFLICT (key) DO UPDATE SET rule = excluded.rule, source = excluded.source, dims = excluded.dims,
                    severity = excluded.severity, status = excluded.status, active_since_ms = excluded.active_since_ms,
                    firing_since_ms = excluded.firing_since_ms, resolved_at_ms = excluded.resolved_at_ms,
                    last_notified_ms = excluded.last_notified_ms, value = excluded.value, baseline = excluded.baseline,
                    value_at_ms = excluded.value_at_ms, summary = excluded.summary, updated_at_ms = excluded.updated_at_ms
                """))
            {
                foreach (var i in changed)
                {
                    upsert.Parameters.Clear();
                    Param(upsert, "key", NpgsqlDbType.Text, i.Key);
                    Param(upsert, "rule", NpgsqlDbType.Text, i.Rule);
                    Param(upsert, "source", NpgsqlDbType.Text, i.Source);
                    Param(upsert, "dims", NpgsqlDbType.Text, i.Dimensions.Key);
                    Param(upsert, "severity", NpgsqlDbType.Text, i.Severity);
                    Param(upsert, "status", NpgsqlDbType.Text, i.Status.ToString().ToLowerInvariant());
                    Param(upsert, "active", NpgsqlDbType.Bigint, ToUnixMs(i.ActiveSince));
                    Param(upsert, "firing", NpgsqlDbType.Bigint, OptionalMs(i.FiringSince));
                    Param(upsert, "resolved", NpgsqlDbType.Bigint, OptionalMs(i.ResolvedAt));
                    Param(upsert, "notified", NpgsqlDbType.Bigint, OptionalMs(i.LastNotifiedAt));
                    Param(upsert, "value", NpgsqlDbType.Double, i.Value);
                    Param(upsert, "baseline", NpgsqlDbType.Double, i.Baseline);
                    Param(upsert, "valueAt", NpgsqlDbType.Bigint, OptionalMs(i.ValueAt));
                    Param(upsert, "summary", NpgsqlDbType.Text, i.Summary);
                    Param(upsert, "updated", NpgsqlDbType.Bigint, ToUnixMs(i.UpdatedAt));
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            if (removed.Count > 0)
            {
                await using var delete = Command(connection, transaction, "DELETE FROM alert_instances WHERE key = ANY(@keys)");
                Param(delete, "keys", NpgsqlDbType.Array | NpgsqlDbType.Text, removed.ToArray());
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var prune = Command(connection, transaction, "DELETE FROM alert_instances WHERE status = 'resolved' AND updated_at_ms < @before");
            Param(prune, "before", NpgsqlDbType.Bigint, ToUnixMs(forgetResolvedBefore));
            await prune.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }, cancellationToken);

    private static long? OptionalMs(DateTimeOffset? time) => time is { } t ? ToUnixMs(t) : null;

    /// <inheritdoc />
    public Task<long> AddDeliveryAsync(string alertKey, AlertEventKind kind, string webhook, DateTimeOffset queuedAt, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO alert_deliveries (alert_key, event, webhook, status, queued_ms) VALUES (@key, @event, @webhook, 'queued', @at)
                RETURNING id
                """);
            Param(command, "key", NpgsqlDbType.Text, alertKey);
            Param(command, "event", NpgsqlDbType.Text, kind.ToString().ToLowerInvariant());
            Param(command, "webhook", NpgsqlDbType.Text, webhook);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(queuedAt));
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task UpdateDeliveryAsync(long id, string status, int attempts, int? httpStatus, string? error, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                UPDATE alert_deliveries SET status = @status, attempts = @attempts, http_status = @http, error = @error, last_attempt_ms = @at
                WHERE id = @id
                """);
            Param(command, "id", NpgsqlDbType.Bigint, id);
            Param(command, "status", NpgsqlDbType.Text, status);
            Param(command, "attempts", NpgsqlDbType.Integer, attempts);
            Param(command, "http", NpgsqlDbType.Integer, httpStatus);
            Param(command, "error", NpgsqlDbType.Text, error);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(at));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertDelivery>> RecentDeliveriesAsync(int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AlertDelivery>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT id, alert_key, event, webhook, status, attempts, http_status, error, queued_ms, last_attempt_ms
                FROM alert_deliveries ORDER BY id DESC LIMIT @limit
                """);
            Param(command, "limit", NpgsqlDbType.Integer, limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<AlertDelivery>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new AlertDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), OptionalString(reader, 7),
                    FromUnixMs(reader.GetInt64(8)), OptionalTime(reader, 9)));
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long> AddReportDeliveryAsync(string schedule, string channel, string target, string period, DateTimeOffset queuedAt,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO report_deliveries (schedule, channel, target, period, status, queued_ms)
                VALUES (@schedule, @channel, @target, @period, 'queued', @at) RETURNING id
                """);
            Param(command, "schedule", NpgsqlDbType.Text, schedule);
            Param(command, "channel", NpgsqlDbType.Text, channel);
            Param(command, "target", NpgsqlDbType.Text, target);
            Param(command, "period", NpgsqlDbType.Text, period);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(queuedAt));
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task UpdateReportDeliveryAsync(long id, string status, int attempts, string? error, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                UPDATE report_deliveries SET status = @status, attempts = @attempts, error = @error, last_attempt_ms = @at WHERE id = @id
                """);
            Param(command, "id", NpgsqlDbType.Bigint, id);
            Param(command, "status", NpgsqlDbType.Text, status);
            Param(command, "attempts", NpgsqlDbType.Integer, attempts);
            Param(command, "error", NpgsqlDbType.Text, error);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(at));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReportDelivery>> RecentReportDeliveriesAsync(int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ReportDelivery>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT id, schedule, channel, target, period, status, attempts, error, queued_ms, last_attempt_ms
                FROM report_deliveries ORDER BY id DESC LIMIT @limit
                """);
            Param(command, "limit", NpgsqlDbType.Integer, limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var list = new List<ReportDelivery>();
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new ReportDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt32(6), OptionalString(reader, 7), FromUnixMs(reader.GetInt64(8)), OptionalTime(reader, 9)));
            }
            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxBatch?> ReadOutboxAsync(int maxPoints, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        return ReadAsync(async (connection, transaction) =>
            await ReadSampleBatch(connection, transaction, maxPoints, cancellationToken)
            ?? await ReadUserBatch(connection, transaction, maxPoints, cancellationToken), cancellationToken);
    }

    private static async Task<OutboxBatch?> ReadSampleBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, int maxPoints, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT s.seq, {SampleColumns} FROM samples s
            WHERE s.seq > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'samples')
            ORDER BY s.seq LIMIT @max
            """);
        Param(command, "max", NpgsqlDbType.Integer, maxPoints);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var lines = new List<string>();
        long first = 0, last = 0;
        var dimensions = new Dictionary<string, Dimensions>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            last = reader.GetInt64(0);
            if (lines.Count == 0) first = last;
            var key = reader.GetString(3);
            if (!dimensions.TryGetValue(key, out var parsed)) dimensions[key] = parsed = Dimensions.Parse(key);
            lines.Add(InfluxSchema.ToLine(new KpiSample(reader.GetString(1), reader.GetString(2), parsed, reader.GetDouble(4),
                FromUnixMs(reader.GetInt64(5)), OptionalString(reader, 6))));
        }
        return lines.Count == 0 ? null : new OutboxBatch(OutboxBatch.Samples, first, last, lines);
    }

    private static async Task<OutboxBatch?> ReadUserBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, int maxPoints, CancellationToken ct)
    {
        var lines = new List<string>();
        long first = 0, last = 0;
        await using (var command = Command(connection, transaction, """
            SELECT p.pass, p.source, p.as_of_ms, u.user_id, u.name, u.email, u.team, u.last_login_ms, u.logins_7d,
                   u.logins_30d, u.activities_7d, u.activities_30d, u.status
            FROM user_passes p JOIN user_rows u ON u.pass = p.pass
            WHERE p.pass > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'users')
            ORDER BY p.pass, u.user_id
            """))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            // Whole passes in order, until the batch holds maxPoints rows (a pass larger than that goes alone).
            while (await reader.ReadAsync(ct))
            {
                var pass = reader.GetInt64(0);
                if (pass != last && lines.Count >= maxPoints) break;
                if (lines.Count == 0) first = pass;
                last = pass;
                lines.Add(InfluxSchema.ToLine(new UserAdoptionRow(reader.GetString(1), reader.GetString(3), reader.GetString(4), OptionalString(reader, 5),
                    reader.GetString(6), OptionalTime(reader, 7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11),
                    reader.GetString(12), FromUnixMs(reader.GetInt64(2)))));
            }
        }
        if (lines.Count > 0) return new OutboxBatch(OutboxBatch.Users, first, last, lines);
        // Passes without rows (no users) have nothing to send: step over them so they never count as pending.
        await using var empty = Command(connection, transaction, """
            SELECT MAX(pass) FROM user_passes WHERE pass > (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'users')
            """);
        return await empty.ExecuteScalarAsync(ct) is long top ? new OutboxBatch(OutboxBatch.Users, top, top, []) : null;
    }

    /// <inheritdoc />
    public Task AcknowledgeOutboxAsync(OutboxBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync(async (connection, transaction) => { await MoveCursor(connection, transaction, batch, cancellationToken); return 0; },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ParkOutboxAsync(OutboxBatch batch, int? status, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync(async (connection, transaction) =>
        {
            await using (var insert = Command(connection, transaction, """
                INSERT INTO outbox_parked (stream, first_pos, last_pos, points, status, reason, parked_ms)
                VALUES (@stream, @first, @last, @points, @status, @reason, @at)
                """))
            {
                Param(insert, "stream", NpgsqlDbType.Text, batch.Stream);
                Param(insert, "first", NpgsqlDbType.Bigint, batch.From);
                Param(insert, "last", NpgsqlDbType.Bigint, batch.To);
                Param(insert, "points", NpgsqlDbType.Integer, batch.Lines.Count);
                Param(insert, "status", NpgsqlDbType.Integer, status);
                Param(insert, "reason", NpgsqlDbType.Text, reason);
                Param(insert, "at", NpgsqlDbType.Bigint, ToUnixMs(at));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await MoveCursor(connection, transaction, batch, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private static async Task MoveCursor(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxBatch batch, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO outbox_cursor (stream, position) VALUES (@stream, @to)
            ON CONFLICT (stream) DO UPDATE SET position = GREATEST(outbox_cursor.position, excluded.position)
            """);
        Param(command, "stream", NpgsqlDbType.Text, batch.Stream);
        Param(command, "to", NpgsqlDbType.Bigint, batch.To);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc />
    public Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT (SELECT COUNT(*) FROM samples WHERE seq > c.s),
                       (SELECT MIN(time_ms) FROM samples WHERE seq > c.s),
                       (SELECT COUNT(*) FROM user_rows WHERE pass > c.u),
                       (SELECT COUNT(*) FROM outbox_parked),
                       (SELECT COALESCE(SUM(points), 0)::bigint FROM outbox_parked),
                       (SELECT reason FROM outbox_parked ORDER BY id DESC LIMIT 1),
                       (SELECT parked_ms FROM outbox_parked ORDER BY id DESC LIMIT 1)
                FROM (SELECT (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'samples') AS s,
                             (SELECT COALESCE(MAX(position), 0) FROM outbox_cursor WHERE stream = 'users') AS u) c
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new OutboxStatus(reader.GetInt64(0), reader.GetInt64(2), OptionalTime(reader, 1), reader.GetInt64(3), reader.GetInt64(4),
                OptionalString(reader, 5), OptionalTime(reader, 6));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<(DateTimeOffset Anchor, int Days)> GetOrCreateBackfillPlanAsync(string source, DateTimeOffset anchor, int days,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using (var insert = Command(connection, transaction,
                "INSERT INTO backfill_plans (source, anchor_ms, days) VALUES (@source, @anchor, @days) ON CONFLICT DO NOTHING"))
            {
                Param(insert, "source", NpgsqlDbType.Text, source);
                Param(insert, "anchor", NpgsqlDbType.Bigint, ToUnixMs(anchor));
                Param(insert, "days", NpgsqlDbType.Integer, days);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var select = Command(connection, transaction, "SELECT anchor_ms, days FROM backfill_plans WHERE source = @source");
            Param(select, "source", NpgsqlDbType.Text, source);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return (FromUnixMs(reader.GetInt64(0)), reader.GetInt32(1));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlySet<DateTimeOffset>> GetBackfillStepsAsync(string source, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlySet<DateTimeOffset>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, "SELECT as_of_ms FROM backfill_steps WHERE source = @source");
            Param(command, "source", NpgsqlDbType.Text, source);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var steps = new HashSet<DateTimeOffset>();
            while (await reader.ReadAsync(cancellationToken)) steps.Add(FromUnixMs(reader.GetInt64(0)));
            return steps;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AppendBackfillStepAsync(string source, DateTimeOffset asOf, IReadOnlyList<KpiSample> samples,
        IReadOnlyList<UserAdoptionRow> users, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(users);
        SqliteStore.Validate(samples, users);
        return WriteAsync(async (connection, transaction) =>
        {
            // The ledger's lock first, so that a step recorded by another node meanwhile is seen as done.
            await BumpLedgerVersion(connection, transaction, cancellationToken);
            await using (var step = Command(connection, transaction, """
                INSERT INTO backfill_steps (source, as_of_ms, samples, done_ms) VALUES (@source, @asOf, @n, @now) ON CONFLICT DO NOTHING
                """))
            {
                Param(step, "source", NpgsqlDbType.Text, source);
                Param(step, "asOf", NpgsqlDbType.Bigint, ToUnixMs(asOf));
                Param(step, "n", NpgsqlDbType.Integer, samples.Count);
                Param(step, "now", NpgsqlDbType.Bigint, ToUnixMs(now));
                if (await step.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
            }
            await AppendSamples(connection, transaction, samples, cancellationToken);
            await AppendUsers(connection, transaction, users, cancellationToken);
            return true;
        }, cancellationToken);
    }
}
