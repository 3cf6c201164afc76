using System.Globalization;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Storage;

// Stored audits (crmpulse audit, /api/audits), and the per-user rows an audit reads by pass.
public sealed partial class SqliteStore
{
    /// <summary>Stores an audit; returns its id.</summary>
    public Task<long> AddAuditAsync(string? source, DateOnly from, DateOnly to, DateTimeOffset createdAt, string json, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                INSERT INTO audits (source, from_date, to_date, created_ms, json) VALUES ($source, $from, $to, $at, $json) RETURNING id
                """);
            command.Parameters.AddWithValue("$source", source ?? "");
            command.Parameters.AddWithValue("$from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$at", ToUnixMs(createdAt));
            command.Parameters.AddWithValue("$json", json);
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <summary>The stored audits, newest first, without their JSON.</summary>
    public Task<IReadOnlyList<StoredAudit>> AuditsAsync(int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredAudit>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "SELECT id, source, from_date, to_date, created_ms, NULL FROM audits ORDER BY id DESC LIMIT $limit");
            command.Parameters.AddWithValue("$limit", limit);
            return ReadAudits(command);
        }, cancellationToken);

    /// <summary>One stored audit with its JSON, or null.</summary>
    public Task<StoredAudit?> AuditAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "SELECT id, source, from_date, to_date, created_ms, json FROM audits WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            return ReadAudits(command).FirstOrDefault();
        }, cancellationToken);

    /// <summary>The newest stored audit of the same source (null: every source), with its JSON, or null.</summary>
    public Task<StoredAudit?> LastAuditAsync(string? source, CancellationToken cancellationToken) =>
        ReadAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction,
                "SELECT id, source, from_date, to_date, created_ms, json FROM audits WHERE source = $source ORDER BY id DESC LIMIT 1");
            command.Parameters.AddWithValue("$source", source ?? "");
            return ReadAudits(command).FirstOrDefault();
        }, cancellationToken);

    /// <summary>The per-user rows of the source's last KPI pass at or before <paramref name="time"/> (as-of of that pass),
    /// or null when it has none.</summary>
    public Task<(DateTimeOffset AsOf, IReadOnlyList<UserAdoptionRow> Rows)?> UsersAtOrBeforeAsync(string source, DateTimeOffset time,
        CancellationToken cancellationToken) =>
        ReadAsync<(DateTimeOffset, IReadOnlyList<UserAdoptionRow>)?>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT p.source, u.user_id, u.name, u.email, u.team, u.last_login_ms, u.logins_7d, u.logins_30d,
                       u.activities_7d, u.activities_30d, u.status, p.as_of_ms
                FROM user_rows u JOIN user_passes p ON p.pass = u.pass
                WHERE u.pass = (SELECT p2.pass FROM user_passes p2 WHERE p2.source = $source AND p2.as_of_ms <= $time
                                ORDER BY p2.as_of_ms DESC, p2.pass DESC LIMIT 1)
                ORDER BY u.user_id
                """);
            command.Parameters.AddWithValue("$source", source);
            command.Parameters.AddWithValue("$time", ToUnixMs(time));
            using var reader = command.ExecuteReader();
            var rows = new List<UserAdoptionRow>();
            while (reader.Read())
            {
                rows.Add(new UserAdoptionRow(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4), reader.IsDBNull(5) ? null : FromUnixMs(reader.GetInt64(5)),
                    reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9),
                    reader.GetString(10), FromUnixMs(reader.GetInt64(11))));
            }
            return rows.Count == 0 ? null : (rows[0].AsOf, rows);
        }, cancellationToken);

    private static List<StoredAudit> ReadAudits(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var list = new List<StoredAudit>();
        while (reader.Read())
        {
            list.Add(new StoredAudit(reader.GetInt64(0), reader.GetString(1) is { Length: > 0 } s ? s : null,
                DateOnly.ParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(reader.GetString(3), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                FromUnixMs(reader.GetInt64(4)), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return list;
    }
}
