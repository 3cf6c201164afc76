namespace CrmPulse.Storage;

// The record of report deliveries (scheduled e-mail and Slack sendings of the leadership report).
public sealed partial class SqliteStore
{
    /// <summary>Records a queued report delivery; returns its id.</summary>
    public Task<long> AddReportDeliveryAsync(string schedule, string channel, string target, string period, DateTimeOffset queuedAt,
        CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO report_deliveries (schedule, channel, target, period, status, queued_ms)
                VALUES ($schedule, $channel, $target, $period, 'queued', $at) RETURNING id
                """);
            command.Parameters.AddWithValue("$schedule", schedule);
            command.Parameters.AddWithValue("$channel", channel);
            command.Parameters.AddWithValue("$target", target);
            command.Parameters.AddWithValue("$period", period);
            command.Parameters.AddWithValue("$at", ToUnixMs(queuedAt));
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <summary>Records the outcome of an attempt: queued (will retry), delivered or failed (gave up).</summary>
    public Task UpdateReportDeliveryAsync(long id, string status, int attempts, string? error, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                UPDATE report_deliveries SET status = $status, attempts = $attempts, error = $error, last_attempt_ms = $at WHERE id = $id
                """);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$error", DbValue(error));
            command.Parameters.AddWithValue("$at", ToUnixMs(at));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>The latest <paramref name="limit"/> report deliveries, newest first.</summary>
    public Task<IReadOnlyList<ReportDelivery>> RecentReportDeliveriesAsync(int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ReportDelivery>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT id, schedule, channel, target, period, status, attempts, error, queued_ms, last_attempt_ms
                FROM report_deliveries ORDER BY id DESC LIMIT $limit
                """);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var list = new List<ReportDelivery>();
            while (reader.Read())
            {
                list.Add(new ReportDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7), FromUnixMs(reader.GetInt64(8)),
                    OptionalTime(reader, 9)));
            }
            return list;
        }, cancellationToken);
}
