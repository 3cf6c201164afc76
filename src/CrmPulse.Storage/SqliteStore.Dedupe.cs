using CrmPulse.Core.Dedupe;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// The matcher's state between KPI passes (incremental deduplication, migration 13).
public sealed partial class SqliteStore
{
    /// <inheritdoc />
    public Task<DedupeState?> LoadDedupeStateAsync(string source, string objectType, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var head = Command(connection, transaction, "SELECT settings, owner_mask, generation, model FROM dedupe_states WHERE source = $s AND object = $o");
            Bind(head, source, objectType);
            string settings;
            string? model;
            long ownerMask, generation;
            using (var reader = head.ExecuteReader())
            {
                if (!reader.Read()) return null;
                (settings, ownerMask, generation, model) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
            var (ids, fingerprints, sortKeys, keyCounts, keys) = (new List<string>(), new List<long>(), new List<long>(), new List<int>(), new List<long>());
            using (var records = Command(connection, transaction,
                       "SELECT id, fingerprint, sort_key, keys FROM dedupe_records WHERE source = $s AND object = $o ORDER BY id"))
            {
                Bind(records, source, objectType);
                using var reader = records.ExecuteReader();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ids.Add(reader.GetString(0));
                    fingerprints.Add(reader.GetInt64(1));
                    sortKeys.Add(reader.GetInt64(2));
                    keyCounts.Add(DedupeRows.ReadKeys((byte[])reader.GetValue(3), keys));
                }
            }
            var links = new List<DedupeLink>();
            using (var read = Command(connection, transaction, "SELECT left_id, right_id, score FROM dedupe_links WHERE source = $s AND object = $o"))
            {
                Bind(read, source, objectType);
                using var reader = read.ExecuteReader();
                while (reader.Read()) links.Add(new DedupeLink(reader.GetString(0), reader.GetString(1), reader.GetDouble(2)));
            }
            var clusters = new List<DuplicateCluster>();
            var texts = new Dictionary<string, string>(StringComparer.Ordinal); // reason texts, each held once
            using (var read = Command(connection, transaction, "SELECT data FROM dedupe_clusters WHERE source = $s AND object = $o"))
            {
                Bind(read, source, objectType);
                using var reader = read.ExecuteReader();
                while (reader.Read()) clusters.Add(DedupeRows.Cluster(objectType, reader.GetString(0), texts));
            }
            var state = DedupeRows.State(settings, ownerMask, ids, fingerprints, sortKeys, keyCounts, keys, links, clusters, model);
            state.Generation = generation;
            return state;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long?> DedupeGenerationAsync(string source, string objectType, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, "SELECT generation FROM dedupe_states WHERE source = $s AND object = $o");
            Bind(command, source, objectType);
            return command.ExecuteScalar() is long generation ? generation : (long?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<long> SaveDedupeStateAsync(string source, string objectType, DedupeState state, DedupeStateChange change, long? basedOn,
        CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using (var current = Command(connection, transaction, "SELECT generation FROM dedupe_states WHERE source = $s AND object = $o"))
            {
                Bind(current, source, objectType);
                var stored = current.ExecuteScalar() is long g ? g : (long?)null;
                // A change applies only to the state it was computed from.
                if (stored != basedOn || stored is null) change = new DedupeStateChange { Full = true };
            }
            var generation = DedupeRows.NewGeneration(basedOn);
            if (change.Full)
            {
                foreach (var table in new[] { "dedupe_records", "dedupe_links", "dedupe_clusters" })
                {
                    using var clear = Command(connection, transaction, $"DELETE FROM {table} WHERE source = $s AND object = $o");
                    Bind(clear, source, objectType);
                    clear.ExecuteNonQuery();
                }
            }
            // The fitted model changes only with a full match: an incremental write leaves it as stored.
            using (var head = Command(connection, transaction, $"""
                       INSERT INTO dedupe_states (source, object, settings, owner_mask, generation, model) VALUES ($s, $o, $settings, $mask, $generation, $model)
                       ON CONFLICT (source, object) DO UPDATE
                       SET settings = excluded.settings, owner_mask = excluded.owner_mask, generation = excluded.generation{(change.Full ? ", model = excluded.model" : "")}
                       """))
            {
                head.Parameters.AddWithValue("$model", (object?)state.Model ?? DBNull.Value);
                Bind(head, source, objectType);
                head.Parameters.AddWithValue("$settings", state.Settings);
                head.Parameters.AddWithValue("$mask", state.OwnerMask);
                head.Parameters.AddWithValue("$generation", generation);
                head.ExecuteNonQuery();
            }

            using (var delete = Command(connection, transaction, "DELETE FROM dedupe_records WHERE source = $s AND object = $o AND id = $id"))
            {
                Bind(delete, source, objectType);
                var id = delete.Parameters.Add("$id", SqliteType.Text);
                foreach (var gone in change.DeletedRecords)
                {
                    id.Value = gone;
                    delete.ExecuteNonQuery();
                }
            }
            using (var upsert = Command(connection, transaction, """
                       INSERT INTO dedupe_records (source, object, id, fingerprint, sort_key, keys) VALUES ($s, $o, $id, $fp, $sort, $keys)
                       ON CONFLICT (source, object, id) DO UPDATE SET fingerprint = excluded.fingerprint, sort_key = excluded.sort_key, keys = excluded.keys
                       """))
            {
                Bind(upsert, source, objectType);
                var (id, fp, sort, keys) = (upsert.Parameters.Add("$id", SqliteType.Text), upsert.Parameters.Add("$fp", SqliteType.Integer),
                    upsert.Parameters.Add("$sort", SqliteType.Integer), upsert.Parameters.Add("$keys", SqliteType.Blob));
                var rows = change.Full ? Enumerable.Range(0, state.Count) : change.UpsertedRecords;
                var (n, buffer) = (0, DedupeRows.KeyBuffer());
                foreach (var r in rows)
                {
                    if (++n % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
                    (id.Value, fp.Value, sort.Value, keys.Value) = (state.Ids[r], state.Fingerprints[r], state.SortKeys[r], DedupeRows.KeysBlob(state, r, buffer));
                    upsert.ExecuteNonQuery();
                }
            }

            using (var delete = Command(connection, transaction, "DELETE FROM dedupe_links WHERE source = $s AND object = $o AND left_id = $l AND right_id = $r"))
            {
                Bind(delete, source, objectType);
                var (l, r) = (delete.Parameters.Add("$l", SqliteType.Text), delete.Parameters.Add("$r", SqliteType.Text));
                foreach (var link in change.Full ? [] : change.RemovedLinks)
                {
                    (l.Value, r.Value) = (link.LeftId, link.RightId);
                    delete.ExecuteNonQuery();
                }
            }
            using (var insert = Command(connection, transaction,
                       "INSERT INTO dedupe_links (source, object, left_id, right_id, score) VALUES ($s, $o, $l, $r, $score)"))
            {
                Bind(insert, source, objectType);
                var (l, r, score) = (insert.Parameters.Add("$l", SqliteType.Text), insert.Parameters.Add("$r", SqliteType.Text),
                    insert.Parameters.Add("$score", SqliteType.Real));
                foreach (var link in change.Full ? state.Links : change.AddedLinks)
                {
                    (l.Value, r.Value, score.Value) = (link.LeftId, link.RightId, link.Score);
                    insert.ExecuteNonQuery();
                }
            }

            using (var delete = Command(connection, transaction, "DELETE FROM dedupe_clusters WHERE source = $s AND object = $o AND survivor_id = $id"))
            {
                Bind(delete, source, objectType);
                var id = delete.Parameters.Add("$id", SqliteType.Text);
                foreach (var survivor in change.Full ? [] : change.RemovedClusters)
                {
                    id.Value = survivor;
                    delete.ExecuteNonQuery();
                }
            }
            using (var insert = Command(connection, transaction,
                       "INSERT INTO dedupe_clusters (source, object, survivor_id, data) VALUES ($s, $o, $id, $data)"))
            {
                Bind(insert, source, objectType);
                var (id, data) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$data", SqliteType.Text));
                foreach (var cluster in change.Full ? state.Clusters : change.AddedClusters)
                {
                    (id.Value, data.Value) = (cluster.SurvivorId, DedupeRows.ClusterData(cluster));
                    insert.ExecuteNonQuery();
                }
            }
            return generation;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ClearDedupeStateAsync(string source, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            foreach (var table in new[] { "dedupe_states", "dedupe_records", "dedupe_links", "dedupe_clusters" })
            {
                using var clear = Command(connection, transaction, $"DELETE FROM {table} WHERE source = $s");
                clear.Parameters.AddWithValue("$s", source);
                clear.ExecuteNonQuery();
            }
            return 0;
        }, cancellationToken);

    private static void Bind(SqliteCommand command, string source, string objectType)
    {
        command.Parameters.AddWithValue("$s", source);
        command.Parameters.AddWithValue("$o", objectType);
    }
}
