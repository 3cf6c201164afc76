namespace CrmPulse.Storage;

// The runs table (IJobRuns): one node's runs on SQLite, for /api/cluster.
public sealed partial class SqliteStore : IJobRuns
{
    /// <inheritdoc />
    public Task<long> StartRunAsync(string job, string source, string node, bool recovering, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using (var prune = Command(connection, transaction, "DELETE FROM job_runs WHERE started_ms < $cutoff"))
            {
                prune.Parameters.AddWithValue("$cutoff", ToUnixMs(startedAt - IJobRuns.KeepFor));
                prune.ExecuteNonQuery();
            }
            using var command = Command(connection, transaction, """
                INSERT INTO job_runs (job, source, node, started_ms, recovering) VALUES ($job, $source, $node, $at, $recovering) RETURNING id
                """);
            command.Parameters.AddWithValue("$job", job);
            command.Parameters.AddWithValue("$source", source);
            command.Parameters.AddWithValue("$node", node);
            command.Parameters.AddWithValue("$at", ToUnixMs(startedAt));
            command.Parameters.AddWithValue("$recovering", recovering ? 1 : 0);
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <inheritdoc />
    public Task FinishRunAsync(long id, string outcome, DateTimeOffset finishedAt, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(connection, transaction, "UPDATE job_runs SET finished_ms = $at, outcome = $outcome WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$at", ToUnixMs(finishedAt));
            command.Parameters.AddWithValue("$outcome", outcome);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRun>> LastRunsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<JobRun>>((connection, transaction) =>
        {
            using var command = Command(connection, transaction, """
                SELECT r.id, r.job, r.source, r.node, r.started_ms, r.finished_ms, r.outcome, r.recovering FROM job_runs r
                WHERE r.id = (SELECT l.id FROM job_runs l WHERE l.job = r.job AND l.source = r.source ORDER BY l.started_ms DESC, l.id DESC LIMIT 1)
                ORDER BY r.source, r.job
                """);
            using var reader = command.ExecuteReader();
            var runs = new List<JobRun>();
            while (reader.Read())
            {
                runs.Add(new JobRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    FromUnixMs(reader.GetInt64(4)), reader.IsDBNull(5) ? null : FromUnixMs(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt64(7) != 0));
            }
            return runs;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ClusterMember>> ClusterMembersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClusterMember>>([]);
}
