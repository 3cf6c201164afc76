using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// Alert instance states (kept across restarts) and the record of webhook deliveries.
public sealed partial class SqliteStore
{
    /// <summary>Every stored alert instance.</summary>
    public Task<IReadOnlyList<AlertInstance>> LoadAlertsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AlertInstance>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT rule, source, dims, severity, status, active_since_ms, firing_since_ms, resolved_at_ms, last_notified_ms,
                       value, baseline, value_at_ms, summary, updated_at_ms
                FROM alert_instances ORDER BY key
                """);
            using var reader = command.ExecuteReader();
            var list = new List<AlertInstance>();
            while (reader.Read())
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

    /// <summary>
    /// Stores the changed instances and forgets the removed ones in one transaction; resolved instances not updated
    /// since <paramref name="forgetResolvedBefore"/> are deleted too (the API lists recent ones only).
    /// </summary>
    public Task SaveAlertsAsync(IReadOnlyList<AlertInstance> changed, IReadOnlyList<string> removed, DateTimeOffset forgetResolvedBefore,
        CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using (var upsert = Command(connection, transaction, """
                INSERT OR REPLACE INTO alert_instances (key, rule, source, dims, severity, status, active_since_ms, firing_since_ms,
                    resolved_at_ms, last_notified_ms, value, baseline, value_at_ms, summary, updated_at_ms)
                VALUES ($key, $rule, $source, $dims, $severity, $status, $active, $firing, $resolved, $notified, $value, $baseline,
                    $valueAt, $summary, $updated)
                """))
            {
                foreach (var i in changed)
                {
                    upsert.Parameters.Clear();
                    upsert.Parameters.AddWithValue("$key", i.Key);
                    upsert.Parameters.AddWithValue("$rule", i.Rule);
                    upsert.Parameters.AddWithValue("$source", i.Source);
                    upsert.Parameters.AddWithValue("$dims", i.Dimensions.Key);
                    upsert.Parameters.AddWithValue("$severity", i.Severity);
                    upsert.Parameters.AddWithValue("$status", i.Status.ToString().ToLowerInvariant());
                    upsert.Parameters.AddWithValue("$active", ToUnixMs(i.ActiveSince));
                    upsert.Parameters.AddWithValue("$firing", DbValue(OptionalMs(i.FiringSince)));
                    upsert.Parameters.AddWithValue("$resolved", DbValue(OptionalMs(i.ResolvedAt)));
                    upsert.Parameters.AddWithValue("$notified", DbValue(OptionalMs(i.LastNotifiedAt)));
                    upsert.Parameters.AddWithValue("$value", DbValue(i.Value));
                    upsert.Parameters.AddWithValue("$baseline", DbValue(i.Baseline));
                    upsert.Parameters.AddWithValue("$valueAt", DbValue(OptionalMs(i.ValueAt)));
                    upsert.Parameters.AddWithValue("$summary", i.Summary);
                    upsert.Parameters.AddWithValue("$updated", ToUnixMs(i.UpdatedAt));
                    upsert.ExecuteNonQuery();
                }
            }
            using (var delete = Command(connection, transaction, "DELETE FROM alert_instances WHERE key = $key"))
            {
                foreach (var key in removed)
                {
                    delete.Parameters.Clear();
                    delete.Parameters.AddWithValue("$key", key);
                    delete.ExecuteNonQuery();
                }
            }
            using var prune = Command(connection, transaction, "DELETE FROM alert_instances WHERE status = 'resolved' AND updated_at_ms < $before");
            prune.Parameters.AddWithValue("$before", ToUnixMs(forgetResolvedBefore));
            prune.ExecuteNonQuery();
            return 0;
        }, cancellationToken);

    /// <summary>Records a queued notification; returns its id.</summary>
    public Task<long> AddDeliveryAsync(string alertKey, AlertEventKind kind, string webhook, DateTimeOffset queuedAt, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO alert_deliveries (alert_key, event, webhook, status, queued_ms) VALUES ($key, $event, $webhook, 'queued', $at)
                RETURNING id
                """);
            command.Parameters.AddWithValue("$key", alertKey);
            command.Parameters.AddWithValue("$event", kind.ToString().ToLowerInvariant());
            command.Parameters.AddWithValue("$webhook", webhook);
            command.Parameters.AddWithValue("$at", ToUnixMs(queuedAt));
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <summary>Records the outcome of an attempt: status queued (will retry), delivered or failed (gave up).</summary>
    public Task UpdateDeliveryAsync(long id, string status, int attempts, int? httpStatus, string? error, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                UPDATE alert_deliveries SET status = $status, attempts = $attempts, http_status = $http, error = $error, last_attempt_ms = $at
                WHERE id = $id
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$http", DbValue(httpStatus));
            command.Parameters.AddWithValue("$error", DbValue(error));
            command.Parameters.AddWithValue("$at", ToUnixMs(at));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>The latest <paramref name="limit"/> deliveries, newest first.</summary>
    public Task<IReadOnlyList<AlertDelivery>> RecentDeliveriesAsync(int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AlertDelivery>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT id, alert_key, event, webhook, status, attempts, http_status, error, queued_ms, last_attempt_ms
                FROM alert_deliveries ORDER BY id DESC LIMIT $limit
                """);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var list = new List<AlertDelivery>();
            while (reader.Read())
            {
                list.Add(new AlertDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                    FromUnixMs(reader.GetInt64(8)), OptionalTime(reader, 9)));
            }
            return list;
        }, cancellationToken);

    private static long? OptionalMs(DateTimeOffset? time) => time is { } t ? ToUnixMs(t) : null;

    private static DateTimeOffset? OptionalTime(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : FromUnixMs(reader.GetInt64(ordinal));
}
