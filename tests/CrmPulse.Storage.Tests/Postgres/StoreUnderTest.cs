using CrmPulse.Storage.Postgres;
using Npgsql;

namespace CrmPulse.Storage.Tests.Postgres;

/// <summary>The two stores the store tests run on (a test matrix: each test class has a derived class per kind).</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// A store of its own for one test: a SQLite file in a fresh temp folder (<see cref="TestDatabase"/>), or a fresh schema
/// on the shared real PostgreSQL. <see cref="Scalar"/> and <see cref="Execute"/> look at the tables as a person with
/// sqlite3 or psql would (the SQL the tests use is valid in both).
/// </summary>
internal sealed class StoreUnderTest : IDisposable
{
    private readonly TestDatabase? _sqlite;
    private string? _connectionString;
    private string? _schema;

    public StoreUnderTest(StoreKind kind)
    {
        Kind = kind;
        if (kind == StoreKind.Sqlite) _sqlite = new TestDatabase();
    }

    public StoreKind Kind { get; }

    public async Task<ICrmStore> OpenAsync()
    {
        if (_sqlite is not null) return await _sqlite.OpenAsync();
        if (_connectionString is null)
        {
            var server = await PostgresServer.Shared;
            (_connectionString, _schema) = await server.CreateSchemaAsync();
        }
        return await PostgresStore.OpenAsync(_connectionString, TimeProvider.System, CancellationToken.None);
    }

    public object? Scalar(string sql)
    {
        if (_sqlite is not null) return _sqlite.Scalar(sql);
        using var connection = OpenPostgres();
        using var command = new NpgsqlCommand(sql, connection);
        var value = command.ExecuteScalar();
        return value is int i ? (long)i : value; // SQLite gives every integer as a long
    }

    public void Execute(string sql)
    {
        if (_sqlite is not null)
        {
            _sqlite.Execute(sql);
            return;
        }
        using var connection = OpenPostgres();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Makes the next write of an issue of record <paramref name="recordId"/> fail inside the database with
    /// "injected failure" (a real failure half-way through a transaction). On PostgreSQL a pass's issues go into a fresh
    /// table that then replaces the source's partition (schema 6): a check on issues named so refuses that partition
    /// when it is attached, after the old one was dropped in the same transaction, the latest point a pass can fail.</summary>
    public void FailInsertingIssue(string recordId) => Execute(Kind == StoreKind.Sqlite
        ? $"""
          CREATE TRIGGER fail_midway BEFORE INSERT ON issues WHEN NEW.record_id = '{recordId}'
          BEGIN SELECT RAISE(ABORT, 'injected failure'); END
          """
        : $"""ALTER TABLE issues ADD CONSTRAINT "injected failure" CHECK (record_id <> '{recordId}')""");

    private NpgsqlConnection OpenPostgres()
    {
        if (_connectionString is null) throw new InvalidOperationException("Open the store first: its schema is made then.");
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        _sqlite?.Dispose();
        if (_schema is not null)
        {
            using var connection = OpenPostgres();
            using var command = new NpgsqlCommand($"DROP SCHEMA \"{_schema}\" CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }
}
