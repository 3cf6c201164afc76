using CrmPulse.Core.Dedupe;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

// The matcher's state between KPI passes (incremental deduplication, migration 3): as SqliteStore.Dedupe.cs.
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task<DedupeState?> LoadDedupeStateAsync(string source, string objectType, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            string settings;
            string? model;
            long ownerMask, generation;
            await using (var head = Command(connection, transaction, "SELECT settings, owner_mask, generation, model FROM dedupe_states WHERE source = @s AND object = @o"))
            {
                Bind(head, source, objectType);
                await using var reader = await head.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken)) return null;
                (settings, ownerMask, generation, model) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
            var (ids, fingerprints, sortKeys, keyCounts, keys) = (new List<string>(), new List<long>(), new List<long>(), new List<int>(), new List<long>());
            await using (var records = Command(connection, transaction,
                             "SELECT id, fingerprint, sort_key, keys FROM dedupe_records WHERE source = @s AND object = @o ORDER BY id"))
            {
                Bind(records, source, objectType);
                await using var reader = await records.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetString(0));
                    fingerprints.Add(reader.GetInt64(1));
                    sortKeys.Add(reader.GetInt64(2));
                    keyCounts.Add(DedupeRows.ReadKeys(reader.GetFieldValue<byte[]>(3), keys));
                }
            }
            var links = new List<DedupeLink>();
            await using (var read = Command(connection, transaction, "SELECT left_id, right_id, score FROM dedupe_links WHERE source = @s AND object = @o"))
            {
                Bind(read, source, objectType);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) links.Add(new DedupeLink(reader.GetString(0), reader.GetString(1), reader.GetDouble(2)));
            }
            var clusters = new List<DuplicateCluster>();
            var texts = new Dictionary<string, string>(StringComparer.Ordinal); // reason texts, each held once
            await using (var read = Command(connection, transaction, "SELECT data FROM dedupe_clusters WHERE source = @s AND object = @o"))
            {
                Bind(read, source, objectType);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) clusters.Add(DedupeRows.Cluster(objectType, reader.GetString(0), texts));
            }
            var state = DedupeRows.State(settings, ownerMask, ids, fingerprints, sortKeys, keyCounts, keys, links, clusters, model);
            state.Generation = generation;
            return (DedupeState?)state;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long?> DedupeGenerationAsync(string source, string objectType, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, "SELECT generation FROM dedupe_states WHERE source = @s AND object = @o");
            Bind(command, source, objectType);
            return await command.ExecuteScalarAsync(cancellationToken) is long generation ? generation : (long?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long> SaveDedupeStateAsync(string source, string objectType, DedupeState state, DedupeStateChange change, long? basedOn,
        CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            var ct = cancellationToken;
            // The state's row locked (or its absence seen) first: two nodes writing one state take turns.
            await using (var current = Command(connection, transaction, "SELECT generation FROM dedupe_states WHERE source = @s AND object = @o FOR UPDATE"))
            {
                Bind(current, source, objectType);
                var stored = await current.ExecuteScalarAsync(ct) is long g ? g : (long?)null;
                // A change applies only to the state it was computed from.
                if (stored != basedOn || stored is null) change = new DedupeStateChange { Full = true };
            }
            var generation = DedupeRows.NewGeneration(basedOn);
            if (change.Full)
            {
                foreach (var table in new[] { "dedupe_records", "dedupe_links", "dedupe_clusters" })
                {
                    await using var clear = Command(connection, transaction, $"DELETE FROM {table} WHERE source = @s AND object = @o");
                    Bind(clear, source, objectType);
                    await clear.ExecuteNonQueryAsync(ct);
                }
            }
            // The fitted model changes only with a full match: an incremental write leaves it as stored.
            await using (var head = Command(connection, transaction, $"""
                             INSERT INTO dedupe_states (source, object, settings, owner_mask, generation, model) VALUES (@s, @o, @settings, @mask, @generation, @model)
                             ON CONFLICT (source, object) DO UPDATE
                             SET settings = excluded.settings, owner_mask = excluded.owner_mask, generation = excluded.generation{(change.Full ? ", model = excluded.model" : "")}
                             """))
            {
                Param(head, "model", NpgsqlDbType.Text, (object?)state.Model ?? DBNull.Value);
                Bind(head, source, objectType);
                Param(head, "settings", NpgsqlDbType.Text, state.Settings);
                Param(head, "mask", NpgsqlDbType.Bigint, state.OwnerMask);
                Param(head, "generation", NpgsqlDbType.Bigint, generation);
                await head.ExecuteNonQueryAsync(ct);
            }

            if (change.Full)
            {
                // A whole state (a million records) by binary COPY.
                await using (var copy = await connection.BeginBinaryImportAsync(
                                 "COPY dedupe_records (source, object, id, fingerprint, sort_key, keys) FROM STDIN (FORMAT BINARY)", ct))
                {
                    var buffer = DedupeRows.KeyBuffer();
                    for (var r = 0; r < state.Count; r++)
                    {
                        if (r % CancelCheckRows == 0) ct.ThrowIfCancellationRequested();
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(source, NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(objectType, NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(state.Ids[r], NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(state.Fingerprints[r], NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(state.SortKeys[r], NpgsqlDbType.Bigint, ct);
                        await copy.WriteAsync(DedupeRows.KeysBlob(state, r, buffer), NpgsqlDbType.Bytea, ct);
                    }
                    await copy.CompleteAsync(ct);
                }
            }
            else
            {
                await Execute(connection, transaction, "DELETE FROM dedupe_records WHERE source = @s AND object = @o AND id = ANY(@ids)",
                    source, objectType, ct, ("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, change.DeletedRecords.ToArray()));
                var (rows, buffer) = (change.UpsertedRecords, DedupeRows.KeyBuffer());
                await Execute(connection, transaction, """
                    INSERT INTO dedupe_records (source, object, id, fingerprint, sort_key, keys)
                    SELECT @s, @o, r.id, r.fp, r.sort, r.keys FROM unnest(@ids, @fps, @sorts, @keys) AS r (id, fp, sort, keys)
                    ON CONFLICT (source, object, id) DO UPDATE SET fingerprint = excluded.fingerprint, sort_key = excluded.sort_key, keys = excluded.keys
                    """, source, objectType, ct,
                    ("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => state.Ids[r]).ToArray()),
                    ("fps", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => state.Fingerprints[r]).ToArray()),
                    ("sorts", NpgsqlDbType.Array | NpgsqlDbType.Bigint, rows.Select(r => state.SortKeys[r]).ToArray()),
                    ("keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea, rows.Select(r => DedupeRows.KeysBlob(state, r, buffer)).ToArray()));
                await Execute(connection, transaction, """
                    DELETE FROM dedupe_links l USING unnest(@lefts, @rights) AS g (left_id, right_id)
                    WHERE l.source = @s AND l.object = @o AND l.left_id = g.left_id AND l.right_id = g.right_id
                    """, source, objectType, ct,
                    ("lefts", NpgsqlDbType.Array | NpgsqlDbType.Text, change.RemovedLinks.Select(l => l.LeftId).ToArray()),
                    ("rights", NpgsqlDbType.Array | NpgsqlDbType.Text, change.RemovedLinks.Select(l => l.RightId).ToArray()));
                await Execute(connection, transaction, "DELETE FROM dedupe_clusters WHERE source = @s AND object = @o AND survivor_id = ANY(@ids)",
                    source, objectType, ct, ("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, change.RemovedClusters.ToArray()));
            }
            var links = change.Full ? state.Links : change.AddedLinks;
            await Execute(connection, transaction, """
                INSERT INTO dedupe_links (source, object, left_id, right_id, score)
                SELECT @s, @o, l.left_id, l.right_id, l.score FROM unnest(@lefts, @rights, @scores) AS l (left_id, right_id, score)
                """, source, objectType, ct,
                ("lefts", NpgsqlDbType.Array | NpgsqlDbType.Text, links.Select(l => l.LeftId).ToArray()),
                ("rights", NpgsqlDbType.Array | NpgsqlDbType.Text, links.Select(l => l.RightId).ToArray()),
                ("scores", NpgsqlDbType.Array | NpgsqlDbType.Double, links.Select(l => l.Score).ToArray()));
            var clusters = change.Full ? state.Clusters : change.AddedClusters;
            await Execute(connection, transaction, """
                INSERT INTO dedupe_clusters (source, object, survivor_id, data)
                SELECT @s, @o, c.survivor_id, c.data FROM unnest(@ids, @data) AS c (survivor_id, data)
                """, source, objectType, ct,
                ("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, clusters.Select(c => c.SurvivorId).ToArray()),
                ("data", NpgsqlDbType.Array | NpgsqlDbType.Text, clusters.Select(DedupeRows.ClusterData).ToArray()));
            return generation;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ClearDedupeStateAsync(string source, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            foreach (var table in new[] { "dedupe_states", "dedupe_records", "dedupe_links", "dedupe_clusters" })
            {
                await using var clear = Command(connection, transaction, $"DELETE FROM {table} WHERE source = @s");
                Param(clear, "s", NpgsqlDbType.Text, source);
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }
            return 0;
        }, cancellationToken);

    /// <summary>Runs one statement over arrays (nothing when the first array is empty).</summary>
    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string source, string objectType,
        CancellationToken ct, params (string Name, NpgsqlDbType Type, Array Values)[] arrays)
    {
        if (arrays[0].Values.Length == 0) return;
        await using var command = Command(connection, transaction, sql);
        Bind(command, source, objectType);
        foreach (var (name, type, values) in arrays) Param(command, name, type, values);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void Bind(NpgsqlCommand command, string source, string objectType)
    {
        Param(command, "s", NpgsqlDbType.Text, source);
        Param(command, "o", NpgsqlDbType.Text, objectType);
    }
}
