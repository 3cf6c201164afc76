using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// The sync state of each source: outcome of the last sync, per-kind read state, problems and notices.
public sealed partial class SqliteStore
{
    /// <summary>At most this many problems (and notices) of the last sync are kept as text; the totals are counted apart.</summary>
    internal const int MaxStoredProblems = 100;

    /// <summary>Separates the kinds' errors in last_error when several kinds failed in one sync.</summary>
    internal const string ErrorSeparator = " | ";

    /// <inheritdoc />
    public Task RecordFailureAsync(string source, string error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO sync_state (source, last_attempt_at, last_error, last_error_at) VALUES ($s, $at, $e, $at)
                ON CONFLICT (source) DO UPDATE SET
                    last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error,
                    last_error_at = excluded.last_error_at
                """);
            command.Parameters.AddWithValue("$s", source);
            command.Parameters.AddWithValue("$at", ToUnixMs(at));
            command.Parameters.AddWithValue("$e", error ?? "");
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncState>> GetSyncStatesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SyncState>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT source, last_attempt_at, last_success_at, last_error, last_error_at, record_counts, last_problems,
                       problems_total, kinds, rejected_total, last_notices, notices_total
                FROM sync_state ORDER BY source
                """);
            using var reader = command.ExecuteReader();
            var states = new List<SyncState>();
            while (reader.Read())
            {
                var source = reader.GetString(0);
                var counts = Enum.GetValues<ObjectKind>().ToDictionary(k => k, _ => 0);
                foreach (var (name, count) in JsonSerializer.Deserialize(reader.GetString(5), MirrorJson.Counts) ?? [])
                {
                    counts[ParseKind(name, source)] = count;
                }
                var kinds = new Dictionary<ObjectKind, KindState>();
                foreach (var (name, kind) in JsonSerializer.Deserialize(reader.GetString(8), MirrorJson.Kinds) ?? [])
                {
                    kinds[ParseKind(name, source)] = new KindState(Time(kind.ReadAt), kind.Error, Time(kind.ErrorAt));
                }
                states.Add(new SyncState(
                    source,
                    reader.IsDBNull(1) ? null : FromUnixMs(reader.GetInt64(1)),
                    reader.IsDBNull(2) ? null : FromUnixMs(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : FromUnixMs(reader.GetInt64(4)),
                    counts,
                    JsonSerializer.Deserialize(reader.GetString(6), MirrorJson.Texts) ?? [],
                    reader.GetInt64(7))
                {
                    Kinds = kinds,
                    RejectedTotal = reader.GetInt64(9),
                    LastNotices = JsonSerializer.Deserialize(reader.GetString(10), MirrorJson.Texts) ?? [],
                    NoticesTotal = reader.GetInt64(11),
                });
            }
            return states;
        }, cancellationToken);

    /// <summary>A change set may not hold records of a kind it reports as failed, nor complete it.</summary>
    internal static void CheckFailedKinds(string source, ChangeSet changes)
    {
        foreach (var kind in changes.FailedKinds.Keys)
        {
            var count = kind switch
            {
                ObjectKind.User => changes.Users.Count,
                ObjectKind.Login => changes.Logins.Count,
                ObjectKind.Contact => changes.Contacts.Count,
                ObjectKind.Company => changes.Companies.Count,
                ObjectKind.Deal => changes.Deals.Count,
                ObjectKind.Activity => changes.Activities.Count,
                _ => throw new ArgumentException($"Source '{source}': unknown failed kind {kind}.", nameof(changes)),
            };
            if (count > 0 || changes.CompleteKinds.Contains(kind) || changes.Deletions.Any(d => d.Kind == kind))
            {
                throw new ArgumentException(
                    $"Source '{source}': the change set reports {KindName(kind)} as failed but also changes it.", nameof(changes));
            }
        }
    }

    /// <summary>
    /// The sync-state step of an apply: the attempt, and either a success (which clears the previous error) or, when a
    /// kind failed, the failure naming each failed kind; per-kind read times and errors; problems, rejected rows and
    /// notices. Returns the failure text, or null when no kind failed.
    /// </summary>
    private static string? WriteSyncState(SqliteConnection connection, SqliteTransaction transaction, string source,
        ChangeSet changes, DateTimeOffset at)
    {
        var atMs = ToUnixMs(at);
        var kinds = StoredKinds(connection, transaction, source);
        foreach (var kind in changes.ReadKinds ?? [.. Enum.GetValues<ObjectKind>()])
        {
            if (!changes.FailedKinds.ContainsKey(kind)) kinds[KindName(kind)] = new StoredKindState(atMs);
        }
        foreach (var (kind, problem) in changes.FailedKinds)
        {
            var previous = kinds.GetValueOrDefault(KindName(kind));
            kinds[KindName(kind)] = new StoredKindState(previous?.ReadAt, problem.ToString(), atMs);
        }
        var failure = changes.FailedKinds.Count == 0
            ? null
            : string.Join(ErrorSeparator, changes.FailedKinds.OrderBy(f => f.Key).Select(f => f.Value.ToString()));

        using var state = Command(connection, transaction, """
            INSERT INTO sync_state (source, last_attempt_at, last_success_at, last_error, last_error_at, record_counts,
                                    last_problems, problems_total, kinds, rejected_total, last_notices, notices_total)
            VALUES ($s, $at, $success, $error, $errorAt, $counts, $problems, $n, $kinds, $rejected, $notices, $nn)
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
        state.Parameters.AddWithValue("$s", source);
        state.Parameters.AddWithValue("$at", atMs);
        state.Parameters.AddWithValue("$success", failure is null ? atMs : DBNull.Value);
        state.Parameters.AddWithValue("$error", (object?)failure ?? DBNull.Value);
        state.Parameters.AddWithValue("$errorAt", failure is null ? DBNull.Value : atMs);
        state.Parameters.AddWithValue("$counts", JsonSerializer.Serialize(CountRecords(connection, transaction, source), MirrorJson.Counts));
        state.Parameters.AddWithValue("$problems", Texts(changes.Problems));
        state.Parameters.AddWithValue("$n", changes.Problems.Count);
        state.Parameters.AddWithValue("$kinds", JsonSerializer.Serialize(kinds, MirrorJson.Kinds));
        state.Parameters.AddWithValue("$rejected", changes.RejectedRows);
        state.Parameters.AddWithValue("$notices", Texts(changes.Notices));
        state.Parameters.AddWithValue("$nn", changes.Notices.Count);
        state.ExecuteNonQuery();
        return failure;
    }

    private static Dictionary<string, StoredKindState> StoredKinds(SqliteConnection connection, SqliteTransaction transaction, string source)
    {
        using var command = Command(connection, transaction, "SELECT kinds FROM sync_state WHERE source = $s");
        command.Parameters.AddWithValue("$s", source);
        var json = command.ExecuteScalar() as string;
        var kinds = json is null ? null : JsonSerializer.Deserialize(json, MirrorJson.Kinds);
        return new Dictionary<string, StoredKindState>(kinds ?? [], StringComparer.Ordinal);
    }

    internal static string Texts(List<SourceProblem> problems) =>
        JsonSerializer.Serialize(problems.Take(MaxStoredProblems).Select(p => p.ToString()).ToList(), MirrorJson.Texts);

    private static Dictionary<string, int> CountRecords(SqliteConnection connection, SqliteTransaction transaction, string source)
    {
        using var command = Command(connection, transaction,
            "SELECT kind, COUNT(*) FROM mirror_records WHERE source = $s GROUP BY kind");
        command.Parameters.AddWithValue("$s", source);
        using var reader = command.ExecuteReader();
        var counts = Enum.GetValues<ObjectKind>().ToDictionary(KindName, _ => 0, StringComparer.Ordinal);
        while (reader.Read()) counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? FromUnixMs(v) : null;
}
