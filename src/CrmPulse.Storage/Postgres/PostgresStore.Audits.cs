using System.Globalization;
using CrmPulse.Core.Kpis;
using Npgsql;
using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

// Stored audits (crmpulse audit, /api/audits), and the per-user rows an audit reads by pass: as SqliteStore.Audits.cs.
public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public Task<long> AddAuditAsync(string? source, DateOnly from, DateOnly to, DateTimeOffset createdAt, string json, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO audits (source, from_date, to_date, created_ms, json) VALUES (@source, @from, @to, @at, @json) RETURNING id
                """);
            Param(command, "source", NpgsqlDbType.Text, source ?? "");
            Param(command, "from", NpgsqlDbType.Text, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Param(command, "to", NpgsqlDbType.Text, to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(createdAt));
            Param(command, "json", NpgsqlDbType.Text, json);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredAudit>> AuditsAsync(int limit, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredAudit>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction,
                "SELECT id, source, from_date, to_date, created_ms, NULL::text FROM audits ORDER BY id DESC LIMIT @limit");
            Param(command, "limit", NpgsqlDbType.Integer, limit);
            return await ReadAudits(command, cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<StoredAudit?> AuditAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction,
                "SELECT id, source, from_date, to_date, created_ms, json FROM audits WHERE id = @id");
            Param(command, "id", NpgsqlDbType.Bigint, id);
            return (await ReadAudits(command, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<StoredAudit?> LastAuditAsync(string? source, CancellationToken cancellationToken) =>
        ReadAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction,
                "SELECT id, source, from_date, to_date, created_ms, json FROM audits WHERE source = @source ORDER BY id DESC LIMIT 1");
            Param(command, "source", NpgsqlDbType.Text, source ?? "");
            return (await ReadAudits(command, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<(DateTimeOffset AsOf, IReadOnlyList<UserAdoptionRow> Rows)?> UsersAtOrBeforeAsync(string source, DateTimeOffset time,
        CancellationToken cancellationToken) =>
        ReadAsync<(DateTimeOffset, IReadOnlyList<UserAdoptionRow>)?>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT p.source, u.user_id, u.name, u.email, u.team, u.last_login_ms, u.logins_7d, u.logins_30d,
                       u.activities_7d, u.activities_30d, u.status, p.as_of_ms
                FROM user_rows u JOIN user_passes p ON p.pass = u.pass
                WHERE u.pass = (SELECT p2.pass FROM user_passes p2 WHERE p2.source = @source AND p2.as_of_ms <= @time
                                ORDER BY p2.as_of_ms DESC, p2.pass DESC LIMIT 1)
                ORDER BY u.user_id
                """);
            Param(command, "source", NpgsqlDbType.Text, source);
            Param(command, "time", NpgsqlDbType.Bigint, ToUnixMs(time));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<UserAdoptionRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new UserAdoptionRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), OptionalString(reader, 3),
                    reader.GetString(4), OptionalTime(reader, 5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9),
                    reader.GetString(10), FromUnixMs(reader.GetInt64(11))));
            }
            return rows.Count == 0 ? null : (rows[0].AsOf, rows);
        }, cancellationToken);

    private static async Task<List<StoredAudit>> ReadAudits(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<StoredAudit>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new StoredAudit(reader.GetInt64(0), reader.GetString(1) is { Length: > 0 } s ? s : null,
                DateOnly.ParseExact(reader.GetString(2), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(reader.GetString(3), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                FromUnixMs(reader.GetInt64(4)), OptionalString(reader, 5)));
        }
        return list;
    }
}
