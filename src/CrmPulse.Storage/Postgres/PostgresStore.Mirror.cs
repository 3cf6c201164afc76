using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

// The mirror: records per (source, kind, id) as JSON, watermarks and the sync state per source.
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetWatermarksAsync(string source, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, string>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, "SELECT key, value FROM mirror_watermarks WHERE source = @s");
            Param(command, "s", NpgsqlDbType.Text, source);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var watermarks = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken)) watermarks[reader.GetString(0)] = reader.GetString(1);
            return watermarks;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ApplyResult> ApplyAsync(string source, ChangeSet changes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var kind in changes.CompleteKinds)
        {
            if (!Enum.IsDefined(kind)) throw new ArgumentException($"Source '{source}': unknown complete kind {kind}.", nameof(changes));
        }
        SqliteStore.CheckFailedKinds(source, changes);
        var rows = new Dictionary<ObjectKind, Dictionary<string, SqliteStore.StoredRow>>
        {
            [ObjectKind.User] = SqliteStore.Rows(source, changes.Users, u => u.Id, _ => null, MirrorJson.User),
            [ObjectKind.Login] = SqliteStore.Rows(source, changes.Logins, l => l.Id, l => l.At, MirrorJson.Login),
            [ObjectKind.Contact] = SqliteStore.Rows(source, changes.Contacts, c => c.Id, c => c.ModifiedAt, MirrorJson.Contact),
            [ObjectKind.Company] = SqliteStore.Rows(source, changes.Companies, c => c.Id, c => c.ModifiedAt, MirrorJson.Company),
            [ObjectKind.Deal] = SqliteStore.Rows(source, changes.Deals, d => d.Id, d => d.ModifiedAt, MirrorJson.Deal),
            [ObjectKind.Activity] = SqliteStore.Rows(source, changes.Activities, a => a.Id, a => a.ModifiedAt, MirrorJson.Activity),
        };
        foreach (var (key, value) in changes.Watermarks)
        {
            if (value is null) throw new ArgumentException($"Source '{source}': watermark '{key}' has no value.", nameof(changes));
        }
        return WriteAsync((connection, transaction) => Apply(connection, transaction, source, changes, rows, at, cancellationToken), cancellationToken);
    }

    private async Task<ApplyResult> Apply(NpgsqlConnection connection, NpgsqlTransaction transaction, string source, ChangeSet changes,
        Dictionary<ObjectKind, Dictionary<string, SqliteStore.StoredRow>> rows, DateTimeOffset at, CancellationToken ct)
    {
        // Two nodes applying the same source queue here (clustering runs a source's sync on one node; this keeps the
        // read-modify-write of its sync state whole even when it does not).
        // For this transaction only: hash joins of a large sync in memory rather than in dozens of batches on disk, and no
        // JIT compiling of these plain joins (up to 1 s a statement at a million records, for nothing).
        await using (var lockSource = Command(connection, transaction,
            "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SELECT pg_advisory_xact_lock(hashtext('mirror:' || @s))"))
        {
            Param(lockSource, "s", NpgsqlDbType.Text, source);
            await lockSource.ExecuteNonQueryAsync(ct);
        }

        // The upserts: by binary COPY into a temporary table, then one statement. The temporary table also tells the
        // complete kinds which ids this sync read.
        await using (var temp = Command(connection, transaction, MirrorInSql))
        {
            await temp.ExecuteNonQueryAsync(ct);
        }
        var upserted = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY mirror_in (kind, id, modified_at, data) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (kind, byId) in rows)
            {
                var name = SqliteStore.KindName(kind);
                foreach (var (recordId, row) in byId)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(name, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(recordId, NpgsqlDbType.Text, ct);
                    if (row.ModifiedMs is { } ms) await copy.WriteAsync(ms, NpgsqlDbType.Bigint, ct);
                    else await copy.WriteNullAsync(ct);
                    await copy.WriteAsync(row.Json, NpgsqlDbType.Text, ct);
                    if (++upserted % CancelCheckRows == 0) ct.ThrowIfCancellationRequested();
                }
            }
            await copy.CompleteAsync(ct);
        }
        // Indexed (after the COPY: one sorted build) because the complete kinds' anti-join below must not depend on
        // mirror_records' statistics: for a source the last ANALYZE did not see, PostgreSQL estimates one stored row and
        // picks a nested loop that scans mirror_in once per stored record (400 s for 20,000 activities at load 37).
        // With the index that plan probes it instead, and with good statistics it is a merge or hash anti-join.
        await using (var index = Command(connection, transaction, MirrorInIndexSql))
        {
            await index.ExecuteNonQueryAsync(ct);
        }
        if (upserted > 0)
        {
            await using (var analyze = Command(connection, transaction, "ANALYZE mirror_in")) await analyze.ExecuteNonQueryAsync(ct);
            // An update of the records that changed, then an insert of the new ones: a record that comes back unchanged
            // (most of a full sync) is not touched at all. One INSERT … ON CONFLICT of them all probed and locked every
            // row one by one, which dirtied every page of the source (2.5 M records: 146 s at load 34).
            foreach (var sql in new[] { UpdateChangedSql, InsertNewSql })
            {
                await using var upsert = Command(connection, transaction, sql);
                Param(upsert, "s", NpgsqlDbType.Text, source);
                await upsert.ExecuteNonQueryAsync(ct);
            }
        }
        ApplyStepHook?.Invoke("upserts");

        var deleted = 0;
        foreach (var group in changes.Deletions.GroupBy(d => d.Kind))
        {
            await using var delete = Command(connection, transaction,
                "DELETE FROM mirror_records WHERE source = @s AND kind = @k AND id = ANY(@ids)");
            Param(delete, "s", NpgsqlDbType.Text, source);
            Param(delete, "k", NpgsqlDbType.Text, SqliteStore.KindName(group.Key));
            Param(delete, "ids", NpgsqlDbType.Array | NpgsqlDbType.Text, group.Select(d => d.Id).Distinct(StringComparer.Ordinal).ToArray());
            deleted += await delete.ExecuteNonQueryAsync(ct);
        }
        ApplyStepHook?.Invoke("deletions");

        foreach (var kind in changes.CompleteKinds.Order())
        {
            // Every stored record of a complete kind that this sync neither read nor retained is gone from the CRM.
            await using var delete = Command(connection, transaction, CompleteKindDeleteSql);
            Param(delete, "s", NpgsqlDbType.Text, source);
            Param(delete, "k", NpgsqlDbType.Text, SqliteStore.KindName(kind));
            Param(delete, "retained", NpgsqlDbType.Array | NpgsqlDbType.Text,
                changes.Retained.Where(r => r.Kind == kind).Select(r => r.Id).Distinct(StringComparer.Ordinal).ToArray());
            deleted += await delete.ExecuteNonQueryAsync(ct);
        }
        ApplyStepHook?.Invoke("complete-kinds");

        await using (var watermark = Command(connection, transaction, """
            INSERT INTO mirror_watermarks (source, key, value) VALUES (@s, @k, @v)
            ON CONFLICT (source, key) DO UPDATE SET value = excluded.value
            """))
        {
            Param(watermark, "s", NpgsqlDbType.Text, source);
            var (k, v) = (Param(watermark, "k", NpgsqlDbType.Text), Param(watermark, "v", NpgsqlDbType.Text));
            foreach (var (key, value) in changes.Watermarks)
            {
                (k.Value, v.Value) = (key, value);
                await watermark.ExecuteNonQueryAsync(ct);
            }
        }
        ApplyStepHook?.Invoke("watermarks");

        var failure = await WriteSyncState(connection, transaction, source, changes, at, ct);
        ApplyStepHook?.Invoke("sync-state");

        return new ApplyResult(upserted, deleted, changes.Problems.Count)
        {
            RejectedRows = changes.RejectedRows, Notices = changes.Notices.Count, Error = failure,
        };
    }

    /// <summary>The records of an apply, by binary COPY; dropped at its commit.</summary>
    internal const string MirrorInSql =
        "CREATE TEMP TABLE mirror_in (kind text COLLATE \"C\" NOT NULL, id text COLLATE \"C\" NOT NULL, modified_at bigint, data text NOT NULL) ON COMMIT DROP";

    internal const string MirrorInIndexSql = "CREATE UNIQUE INDEX mirror_in_by_id ON mirror_in (kind, id)";

    internal const string UpdateChangedSql = """
        UPDATE mirror_records m SET modified_at = i.modified_at, data = i.data FROM mirror_in i
        WHERE m.source = @s AND m.kind = i.kind AND m.id = i.id AND (m.modified_at, m.data) IS DISTINCT FROM (i.modified_at, i.data)
        """;

    /// <summary>The records the mirror does not hold yet. The applies of one source queue on its lock, so nothing adds
    /// them meanwhile; the ON CONFLICT only keeps the statement an upsert whatever happens.</summary>
    internal const string InsertNewSql = """
        INSERT INTO mirror_records (source, kind, id, modified_at, data) SELECT @s, i.kind, i.id, i.modified_at, i.data FROM mirror_in i
        WHERE NOT EXISTS (SELECT 1 FROM mirror_records m WHERE m.source = @s AND m.kind = i.kind AND m.id = i.id)
        ON CONFLICT (source, kind, id) DO UPDATE SET modified_at = excluded.modified_at, data = excluded.data
        """;

    /// <summary>Every stored record of a complete kind that this sync neither read (mirror_in) nor retained.</summary>
    internal const string CompleteKindDeleteSql = """
        DELETE FROM mirror_records m WHERE m.source = @s AND m.kind = @k
        AND NOT EXISTS (SELECT 1 FROM mirror_in i WHERE i.kind = @k AND i.id = m.id)
        AND NOT (m.id = ANY(@retained))
        """;

    /// <inheritdoc />
    public Task<CrmSnapshot> LoadSnapshotAsync(string source, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            // Each kind's rows come in id order straight from the key's index: the planner would rather read the table
            // and sort it, which at a million records is an external sort on disk (read of 1 M activities at load 45:
            // 10.1 s, 5.8 s so), and JIT-compiles the scan for nothing.
            await using (var plan = Command(connection, transaction, "SET LOCAL enable_sort = off; SET LOCAL jit = off"))
            {
                await plan.ExecuteNonQueryAsync(cancellationToken);
            }
            // Repeated ids and values are read as one string each (SharedStrings): the snapshot holds references, not
            // copies. Contacts, companies, deals and activities go into their columns as they are read (the families read
            // them so), as on SQLite: each record is added and let go, never a list of them all beside the columns.
            var strings = SharedStrings.NewPool();
            var (users, logins) = (new List<CrmUser>(), new List<LoginEvent>());
            var (contacts, companies) = (new ContactColumns.Builder(), new CompanyColumns.Builder());
            var (deals, activities) = (new DealColumns.Builder(), new ActivityColumns.Builder());
            await Load(connection, transaction, source, ObjectKind.User, MirrorJson.User, users.Add, strings, cancellationToken);
            await Load(connection, transaction, source, ObjectKind.Login, MirrorJson.Login, logins.Add, strings, cancellationToken);
            await Load(connection, transaction, source, ObjectKind.Contact, MirrorJson.Contact, contacts.Add, strings, cancellationToken);
            await Load(connection, transaction, source, ObjectKind.Company, MirrorJson.Company, companies.Add, strings, cancellationToken);
            await Load(connection, transaction, source, ObjectKind.Deal, MirrorJson.Deal, deals.Add, strings, cancellationToken);
            await Load(connection, transaction, source, ObjectKind.Activity, MirrorJson.Activity, activities.Add, strings, cancellationToken);
            return new CrmSnapshot(source, users, logins, contacts.Build(), companies.Build(), deals.Build(), activities.Build());
        }, cancellationToken);

    /// <summary>The stored records of one kind, ordered by id (byte-wise), each parsed and given to <paramref name="add"/>.</summary>
    private static async Task Load<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string source, ObjectKind kind,
        JsonTypeInfo<T> info, Action<T> add, Dictionary<string, string> strings, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, "SELECT id, data FROM mirror_records WHERE source = @s AND kind = @k ORDER BY id");
        Param(command, "s", NpgsqlDbType.Text, source);
        Param(command, "k", NpgsqlDbType.Text, SqliteStore.KindName(kind));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            try
            {
                add(SharedStrings.Deserialize(strings, reader.GetString(1), info) ?? throw new JsonException("the record is null"));
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException(
                    $"Mirror of source '{source}': stored {SqliteStore.KindName(kind)} '{reader.GetString(0)}' cannot be read: {e.Message}", e);
            }
        }
    }

    /// <inheritdoc />
    public Task RecordFailureAsync(string source, string error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO sync_state (source, last_attempt_at, last_error, last_error_at) VALUES (@s, @at, @e, @at)
                ON CONFLICT (source) DO UPDATE SET
                    last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
                    last_error_at = excluded.last_error_at
                """);
            Param(command, "s", NpgsqlDbType.Text, source);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(at));
            Param(command, "e", NpgsqlDbType.Text, error ?? "");
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncState>> GetSyncStatesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SyncState>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT source, last_attempt_at, last_success_at, last_error, last_error_at, record_counts, last_problems,
                       problems_total, kinds, rejected_total, last_notices, notices_total
                FROM sync_state ORDER BY source
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var states = new List<SyncState>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = reader.GetString(0);
                var counts = Enum.GetValues<ObjectKind>().ToDictionary(k => k, _ => 0);
                foreach (var (name, count) in JsonSerializer.Deserialize(reader.GetString(5), MirrorJson.Counts) ?? [])
                {
                    counts[SqliteStore.ParseKind(name, source)] = count;
                }
                var kinds = new Dictionary<ObjectKind, KindState>();
                foreach (var (name, kind) in JsonSerializer.Deserialize(reader.GetString(8), MirrorJson.Kinds) ?? [])
                {
                    kinds[SqliteStore.ParseKind(name, source)] = new KindState(Time(kind.ReadAt), kind.Error, Time(kind.ErrorAt));
                }
                states.Add(new SyncState(source, OptionalTime(reader, 1), OptionalTime(reader, 2), OptionalString(reader, 3),
                    OptionalTime(reader, 4), counts, JsonSerializer.Deserialize(reader.GetString(6), MirrorJson.Texts) ?? [], reader.GetInt64(7))
                {
                    Kinds = kinds,
                    RejectedTotal = reader.GetInt64(9),
                    LastNotices = JsonSerializer.Deserialize(reader.GetString(10), MirrorJson.Texts) ?? [],
                    NoticesTotal = reader.GetInt64(11),
                });
            }
            return states;
        }, cancellationToken);

    /// <summary>The sync-state step of an apply, as <c>SqliteStore.WriteSyncState</c>: returns the failure text, or null.</summary>
    private static async Task<string?> WriteSyncState(NpgsqlConnection connection, NpgsqlTransaction transaction, string source,
        ChangeSet changes, DateTimeOffset at, CancellationToken ct)
    {
        var atMs = ToUnixMs(at);
        Dictionary<string, StoredKindState> kinds;
        await using (var read = Command(connection, transaction, "SELECT kinds FROM sync_state WHERE source = @s"))
        {
            Param(read, "s", NpgsqlDbType.Text, source);
            var json = await read.ExecuteScalarAsync(ct) as string;
            kinds = new Dictionary<string, StoredKindState>((json is null ? null : JsonSerializer.Deserialize(json, MirrorJson.Kinds)) ?? [],
                StringComparer.Ordinal);
        }
        foreach (var kind in changes.ReadKinds ?? [.. Enum.GetValues<ObjectKind>()])
        {
            if (!changes.FailedKinds.ContainsKey(kind)) kinds[SqliteStore.KindName(kind)] = new StoredKindState(atMs);
        }
        foreach (var (kind, problem) in changes.FailedKinds)
        {
            var previous = kinds.GetValueOrDefault(SqliteStore.KindName(kind));
            kinds[SqliteStore.KindName(kind)] = new StoredKindState(previous?.ReadAt, problem.ToString(), atMs);
        }
        var failure = changes.FailedKinds.Count == 0
            ? null
            : string.Join(SqliteStore.ErrorSeparator, changes.FailedKinds.OrderBy(f => f.Key).Select(f => f.Value.ToString()));

        var counts = Enum.GetValues<ObjectKind>().ToDictionary(SqliteStore.KindName, _ => 0, StringComparer.Ordinal);
        await using (var count = Command(connection, transaction, "SELECT kind, COUNT(*) FROM mirror_records WHERE source = @s GROUP BY kind"))
        {
            Param(count, "s", NpgsqlDbType.Text, source);
            await using var reader = await count.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        await using var state = Command(connection, transaction, """
            INSERT INTO sync_state (source, last_attempt_at, last_success_at, last_error, last_error_at, record_counts,
                                    last_problems, problems_total, kinds, rejected_total, last_notices, notices_total)
            VALUES (@s, @at, @success, @error, @errorAt, @counts, @problems, @n, @kinds, @rejected, @notices, @nn)
            ON CONFLICT (source) DO UPDATE SET
                last_attempt_at = excluded.last_attempt_at,
                last_success_at = COALESCE(excluded.last_success_at, sync_state.last_success_at),
                last_error = excluded.last_error, last_error_at = excluded.last_error_at,
                record_counts = excluded.record_counts, last_problems = excluded.last_problems,
                problems_total = sync_state.problems_total + excluded.problems_total,
                kinds = excluded.kinds,
                rejected_total = sync_state.rejected_total + excluded.rejected_total,
                last_notices = excluded.last_notices,
                notices_total = sync_state.notices_total + excluded.notices_total
            """);
        Param(state, "s", NpgsqlDbType.Text, source);
        Param(state, "at", NpgsqlDbType.Bigint, atMs);
        Param(state, "success", NpgsqlDbType.Bigint, failure is null ? atMs : null);
        Param(state, "error", NpgsqlDbType.Text, failure);
        Param(state, "errorAt", NpgsqlDbType.Bigint, failure is null ? null : atMs);
        Param(state, "counts", NpgsqlDbType.Text, JsonSerializer.Serialize(counts, MirrorJson.Counts));
        Param(state, "problems", NpgsqlDbType.Text, SqliteStore.Texts(changes.Problems));
        Param(state, "n", NpgsqlDbType.Bigint, (long)changes.Problems.Count);
        Param(state, "kinds", NpgsqlDbType.Text, JsonSerializer.Serialize(kinds, MirrorJson.Kinds));
        Param(state, "rejected", NpgsqlDbType.Bigint, (long)changes.RejectedRows);
        Param(state, "notices", NpgsqlDbType.Text, SqliteStore.Texts(changes.Notices));
        Param(state, "nn", NpgsqlDbType.Bigint, (long)changes.Notices.Count);
        await state.ExecuteNonQueryAsync(ct);
        return failure;
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? FromUnixMs(v) : null;
}
