using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage.Tests;

/// <summary>A database file of its own in a fresh temp folder, deleted (with -wal and -shm) when disposed.</summary>
internal sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crmpulse-storage-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Folder, "data", "crmpulse.db");
    }

    /// <summary>The test's own folder; the database sits in its "data" subfolder, which does not exist at first.</summary>
    public string Folder { get; }

    public string Path { get; }

    public Task<SqliteStore> OpenAsync() => SqliteStore.OpenAsync(Path, CancellationToken.None);

    public Task<SqliteStore> OpenAsync(IReadOnlyList<Migration> migrations) =>
        SqliteStore.OpenAsync(Path, migrations, CancellationToken.None);

    /// <summary>A plain, unpooled connection to look at the file as sqlite3 would.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Execute(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
