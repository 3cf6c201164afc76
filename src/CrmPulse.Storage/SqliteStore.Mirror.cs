using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// The mirror: records per (source, kind, id) as JSON, watermarks and sync state per source.
public sealed partial class SqliteStore
{
    /// <summary>
    /// Test seam: called inside the apply transaction after each step ("upserts", "deletions", "complete-kinds",
    /// "watermarks", "sync-state"); throwing from it must leave the mirror as it was.
    /// </summary>
    internal Action<string>? ApplyStepHook { get; set; }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> GetWatermarksAsync(string source, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, string>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, "SELECT key, value FROM mirror_watermarks WHERE source = $s");
            command.Parameters.AddWithValue("$s", source);
            using var reader = command.ExecuteReader();
            var watermarks = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read()) watermarks[reader.GetString(0)] = reader.GetString(1);
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
        CheckFailedKinds(source, changes);
        // Serialize before taking the write lock: it is the slow part and needs no database.
        var rows = new Dictionary<ObjectKind, Dictionary<string, StoredRow>>
        {
            [ObjectKind.User] = Rows(source, changes.Users, u => u.Id, _ => null, MirrorJson.User),
            [ObjectKind.Login] = Rows(source, changes.Logins, l => l.Id, l => l.At, MirrorJson.Login),
            [ObjectKind.Contact] = Rows(source, changes.Contacts, c => c.Id, c => c.ModifiedAt, MirrorJson.Contact),
            [ObjectKind.Company] = Rows(source, changes.Companies, c => c.Id, c => c.ModifiedAt, MirrorJson.Company),
            [ObjectKind.Deal] = Rows(source, changes.Deals, d => d.Id, d => d.ModifiedAt, MirrorJson.Deal),
            [ObjectKind.Activity] = Rows(source, changes.Activities, a => a.Id, a => a.ModifiedAt, MirrorJson.Activity),
        };
        return WriteAsync((connection, transaction) =>
            Apply(connection, transaction, source, changes, rows, at, cancellationToken), cancellationToken);
    }

    private ApplyResult Apply(SqliteConnection connection, SqliteTransaction transaction, string source, ChangeSet changes,
        Dictionary<ObjectKind, Dictionary<string, StoredRow>> rows, DateTimeOffset at, CancellationToken ct)
    {
        var upserted = 0;
        using (var upsert = Command(connection, transaction, """
            INSERT INTO mirror_records (source, kind, id, modified_at, data) VALUES ($s, $k, $id, $m, $d)
            ON CONFLICT (source, kind, id) DO UPDATE SET modified_at = excluded.modified_at, data = excluded.data
            """))
        {
            var (s, k, id, m, d) = (upsert.Parameters.Add("$s", SqliteType.Text), upsert.Parameters.Add("$k", SqliteType.Text),
                upsert.Parameters.Add("$id", SqliteType.Text), upsert.Parameters.Add("$m", SqliteType.Integer),
                upsert.Parameters.Add("$d", SqliteType.Text));
            s.Value = source;
            foreach (var (kind, byId) in rows)
            {
                k.Value = KindName(kind);
                foreach (var (recordId, row) in byId)
                {
                    id.Value = recordId;
                    m.Value = row.ModifiedMs is { } ms ? ms : DBNull.Value;
                    d.Value = row.Json;
                    upsert.ExecuteNonQuery();
                    if (++upserted % 1000 == 0) ct.ThrowIfCancellationRequested();
                }
            }
        }
        ApplyStepHook?.Invoke("upserts");

        var deleted = 0;
        using (var delete = Command(connection, transaction,
            "DELETE FROM mirror_records WHERE source = $s AND kind = $k AND id = $id"))
        {
            var (s, k, id) = (delete.Parameters.Add("$s", SqliteType.Text), delete.Parameters.Add("$k", SqliteType.Text),
                delete.Parameters.Add("$id", SqliteType.Text));
            s.Value = source;
            foreach (var (kind, recordId) in changes.Deletions)
            {
                k.Value = KindName(kind);
                id.Value = recordId;
                deleted += delete.ExecuteNonQuery();
            }
            ApplyStepHook?.Invoke("deletions");

            foreach (var kind in changes.CompleteKinds.Order())
            {
                var keep = new HashSet<string>(rows[kind].Keys, StringComparer.Ordinal);
                foreach (var retained in changes.Retained)
                {
                    if (retained.Kind == kind) keep.Add(retained.Id);
                }
                k.Value = KindName(kind);
                foreach (var storedId in StoredIds(connection, transaction, source, kind))
                {
                    if (keep.Contains(storedId)) continue;
                    id.Value = storedId;
                    deleted += delete.ExecuteNonQuery();
                }
            }
            ApplyStepHook?.Invoke("complete-kinds");
        }

        using (var watermark = Command(connection, transaction, """
            INSERT INTO mirror_watermarks (source, key, value) VALUES ($s, $k, $v)
            ON CONFLICT (source, key) DO UPDATE SET value = excluded.value
            """))
        {
            var (s, k, v) = (watermark.Parameters.Add("$s", SqliteType.Text), watermark.Parameters.Add("$k", SqliteType.Text),
                watermark.Parameters.Add("$v", SqliteType.Text));
            s.Value = source;
            foreach (var (key, value) in changes.Watermarks)
            {
                k.Value = key;
                v.Value = value ?? throw new ArgumentException($"Source '{source}': watermark '{key}' has no value.", nameof(changes));
                watermark.ExecuteNonQuery();
            }
        }
        ApplyStepHook?.Invoke("watermarks");

        var failure = WriteSyncState(connection, transaction, source, changes, at);
        ApplyStepHook?.Invoke("sync-state");

        return new ApplyResult(upserted, deleted, changes.Problems.Count)
        {
            RejectedRows = changes.RejectedRows, Notices = changes.Notices.Count, Error = failure,
        };
    }

    /// <inheritdoc />
    public Task<CrmSnapshot> LoadSnapshotAsync(string source, CancellationToken cancellationToken) =>
        // Repeated ids and values are read as one string each (SharedStrings): the snapshot holds references, not copies.
        ReadAsync((connection, transaction) => SharedStrings.During(() => new CrmSnapshot(
            source,
            Load(connection, transaction, source, ObjectKind.User, MirrorJson.User),
            Load(connection, transaction, source, ObjectKind.Login, MirrorJson.Login),
            LoadContacts(connection, transaction, source),
            LoadCompanies(connection, transaction, source),
            LoadDeals(connection, transaction, source),
            LoadActivities(connection, transaction, source))), cancellationToken);

    /// <summary>The stored companies as columns (the families read them so), each record added and let go.</summary>
    private static CompanyColumns LoadCompanies(SqliteConnection connection, SqliteTransaction transaction, string source)
    {
        var columns = new CompanyColumns.Builder();
        Load(connection, transaction, source, ObjectKind.Company, MirrorJson.Company, columns.Add);
        return columns.Build();
    }

    /// <summary>The stored deals as columns (the families read them so), each record added and let go.</summary>
    private static DealColumns LoadDeals(SqliteConnection connection, SqliteTransaction transaction, string source)
    {
        var columns = new DealColumns.Builder();
        Load(connection, transaction, source, ObjectKind.Deal, MirrorJson.Deal, columns.Add);
        return columns.Build();
    }

    /// <summary>The stored activities as columns (the families read them so), each record added and let go.</summary>
    private static ActivityColumns LoadActivities(SqliteConnection connection, SqliteTransaction transaction, string source)
    {
        var columns = new ActivityColumns.Builder();
        Load(connection, transaction, source, ObjectKind.Activity, MirrorJson.Activity, columns.Add);
        return columns.Build();
    }

    /// <summary>The stored contacts as columns (the families read them so), each record added and let go.</summary>
    private static ContactColumns LoadContacts(SqliteConnection connection, SqliteTransaction transaction, string source)
    {
        var columns = new ContactColumns.Builder();
        Load(connection, transaction, source, ObjectKind.Contact, MirrorJson.Contact, columns.Add);
        return columns.Build();
    }

    /// <summary>A record ready to store: its modification time (unix ms) and its JSON.</summary>
    internal readonly record struct StoredRow(long? ModifiedMs, string Json);

    /// <summary>Serializes records by id; a record given twice is kept once, the last one winning.</summary>
    internal static Dictionary<string, StoredRow> Rows<T>(string source, List<T> records, Func<T, string> id,
        Func<T, DateTimeOffset?> modified, JsonTypeInfo<T> info)
    {
        var rows = new Dictionary<string, StoredRow>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException(
                $"Source '{source}': {typeof(T).Name} #{i + 1} of the change set is null.", "changes");
            var recordId = id(record);
            if (string.IsNullOrEmpty(recordId))
            {
                throw new ArgumentException($"Source '{source}': {typeof(T).Name} #{i + 1} of the change set has no id.", "changes");
            }
            rows[recordId] = new StoredRow(modified(record) is { } m ? ToUnixMs(m) : null, JsonSerializer.Serialize(record, info));
        }
        return rows;
    }

    private static List<string> StoredIds(SqliteConnection connection, SqliteTransaction transaction, string source, ObjectKind kind)
    {
        using var command = Command(connection, transaction, "SELECT id FROM mirror_records WHERE source = $s AND kind = $k");
        command.Parameters.AddWithValue("$s", source);
        command.Parameters.AddWithValue("$k", KindName(kind));
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>The stored records of one kind, ordered by id.</summary>
    private static List<T> Load<T>(SqliteConnection connection, SqliteTransaction transaction, string source, ObjectKind kind,
        JsonTypeInfo<T> info)
    {
        var records = new List<T>();
        Load(connection, transaction, source, kind, info, records.Add);
        return records;
    }

    /// <summary>The stored records of one kind, ordered by id, each given to <paramref name="add"/>.</summary>
    private static void Load<T>(SqliteConnection connection, SqliteTransaction transaction, string source, ObjectKind kind,
        JsonTypeInfo<T> info, Action<T> add)
    {
        using var command = Command(connection, transaction,
            "SELECT id, data FROM mirror_records WHERE source = $s AND kind = $k ORDER BY id");
        command.Parameters.AddWithValue("$s", source);
        command.Parameters.AddWithValue("$k", KindName(kind));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            try
            {
                add(JsonSerializer.Deserialize(reader.GetFieldValue<byte[]>(1), info) ?? throw new JsonException("the record is null"));
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException(
                    $"Mirror of source '{source}': stored {KindName(kind)} '{reader.GetString(0)}' cannot be read: {e.Message}", e);
            }
        }
    }

    /// <summary>The kind as stored in the kind column: "user", "login", "contact", "company", "deal", "activity".</summary>
    internal static string KindName(ObjectKind kind) => kind.ToString().ToLowerInvariant();

    internal static ObjectKind ParseKind(string name, string source) =>
        Enum.TryParse<ObjectKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new InvalidOperationException($"Sync state of source '{source}' counts an unknown kind '{name}'.");
}
