using CrmPulse.Storage;

namespace CrmPulse.Tests.Support;

/// <summary>A real SQLite store (mirror and ledger) in a temp folder, deleted on disposal.</summary>
public sealed class TempStore : IAsyncDisposable
{
    private readonly string _dir;

    private TempStore(string dir, SqliteStore store)
    {
        _dir = dir;
        Store = store;
    }

    public SqliteStore Store { get; }

    public static async Task<TempStore> OpenAsync()
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-store-").FullName;
        return new TempStore(dir, await SqliteStore.OpenAsync(Path.Combine(dir, "crmpulse.db"), CancellationToken.None));
    }

    public ValueTask DisposeAsync()
    {
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
