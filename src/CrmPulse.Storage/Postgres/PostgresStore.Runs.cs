using NpgsqlTypes;

namespace CrmPulse.Storage.Postgres;

// The runs table (IJobRuns), written by every node; and the members of the Quartz cluster (qrtz_scheduler_state).
public sealed partial class PostgresStore : IJobRuns
{
    /// <summary>The Quartz scheduler name of CrmPulse's cluster (qrtz_*.sched_name).</summary>
    public const string SchedulerName = "CrmPulse";

    /// <inheritdoc />
    public Task<long> StartRunAsync(string job, string source, string node, bool recovering, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using (var prune = Command(connection, transaction, "DELETE FROM job_runs WHERE started_ms < @cutoff"))
            {
                Param(prune, "cutoff", NpgsqlDbType.Bigint, ToUnixMs(startedAt - IJobRuns.KeepFor));
                await prune.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var command = Command(connection, transaction, """
                INSERT INTO job_runs (job, source, node, started_ms, recovering) VALUES (@job, @source, @node, @at, @recovering) RETURNING id
                """);
            Param(command, "job", NpgsqlDbType.Text, job);
            Param(command, "source", NpgsqlDbType.Text, source);
            Param(command, "node", NpgsqlDbType.Text, node);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(startedAt));
            Param(command, "recovering", NpgsqlDbType.Boolean, recovering);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task FinishRunAsync(long id, string outcome, DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, "UPDATE job_runs SET finished_ms = @at, outcome = @outcome WHERE id = @id");
            Param(command, "id", NpgsqlDbType.Bigint, id);
            Param(command, "at", NpgsqlDbType.Bigint, ToUnixMs(finishedAt));
            Param(command, "outcome", NpgsqlDbType.Text, outcome);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRun>> LastRunsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<JobRun>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT DISTINCT ON (source, job) id, job, source, node, started_ms, finished_ms, outcome, recovering
                FROM job_runs ORDER BY source, job, started_ms DESC, id DESC
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var runs = new List<JobRun>();
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(new JobRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    FromUnixMs(reader.GetInt64(4)), OptionalTime(reader, 5), OptionalString(reader, 6), reader.GetBoolean(7)));
            }
            return runs;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ClusterMember>> ClusterMembersAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ClusterMember>>(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state
                WHERE sched_name = @scheduler ORDER BY instance_name COLLATE "C"
                """);
            Param(command, "scheduler", NpgsqlDbType.Text, SchedulerName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var members = new List<ClusterMember>();
            while (await reader.ReadAsync(cancellationToken))
                members.Add(new ClusterMember(reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), // Quartz stores UTC ticks
                    TimeSpan.FromMilliseconds(reader.GetInt64(2))));
            return members;
        }, cancellationToken);
}
