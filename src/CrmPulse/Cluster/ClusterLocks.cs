using CrmPulse.Options;
using Npgsql;

namespace CrmPulse.Cluster;

/// <summary>
/// Cluster-wide singletons: work that one node at a time may do (draining the InfluxDB outbox, evaluating the alert
/// rules) holds a PostgreSQL session advisory lock for its duration. The lock lives on a connection of its own, so the
/// server releases it the moment a node dies (its connection closes) and another node takes over on its next attempt.
/// Not clustered, every lock is held at once (one process: its own gates suffice).
/// </summary>
public sealed class ClusterLocks : IAsyncDisposable
{
    /// <summary>The outbox drainer: one node sends to InfluxDB at a time.</summary>
    public const string Outbox = "crmpulse:cluster:outbox";

    /// <summary>Alert evaluation: one node evaluates (and notifies) at a time, from the stored states.</summary>
    public const string Alerts = "crmpulse:cluster:alerts";

    private readonly NpgsqlDataSource? _data;

    public ClusterLocks(CrmPulseOptions options)
    {
        if (!options.Cluster.Enabled) return;
        var builder = new NpgsqlDataSourceBuilder(options.Store.ConnectionString);
        // pg_stat_activity names the node holding a lock (pg_locks joined on pid).
        builder.ConnectionStringBuilder.ApplicationName = $"crmpulse {options.Cluster.NodeName}";
        builder.ConnectionStringBuilder.MaxPoolSize = 4;
        _data = builder.Build();
    }

    /// <summary>True when the locks are the database's (several nodes).</summary>
    public bool Clustered => _data is not null;

    /// <summary>Takes <paramref name="name"/> if no node holds it; null when another does (try again later).</summary>
    public Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken ct) => AcquireAsync(name, wait: false, ct);

    /// <summary>Takes <paramref name="name"/>, waiting while another node holds it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct) => (await AcquireAsync(name, wait: true, ct))!;

    private async Task<IAsyncDisposable?> AcquireAsync(string name, bool wait, CancellationToken ct)
    {
        if (_data is null) return Held.None;
        var connection = await _data.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(wait ? "SELECT pg_advisory_lock(hashtext(@n)), true" : "SELECT true, pg_try_advisory_lock(hashtext(@n))", connection);
            command.Parameters.AddWithValue("n", name);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var got = reader.GetBoolean(1);
            await reader.DisposeAsync();
            if (got) return new Held(connection, name);
            await connection.DisposeAsync();
            return null;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_data is not null) await _data.DisposeAsync();
    }

    private sealed class Held(NpgsqlConnection? connection, string name) : IAsyncDisposable
    {
        public static readonly Held None = new(null, "");

        public async ValueTask DisposeAsync()
        {
            if (connection is null) return;
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext(@n))", connection);
                command.Parameters.AddWithValue("n", name);
                await command.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and with it the lock.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
