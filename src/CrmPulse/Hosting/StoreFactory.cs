using CrmPulse.Options;
using CrmPulse.Storage;
using CrmPulse.Storage.Postgres;

namespace CrmPulse.Hosting;

/// <summary>Opens the store CrmPulse:Store:Provider names: the SQLite file (default) or the PostgreSQL database.</summary>
public static class StoreFactory
{
    public static async Task<ICrmStore> OpenAsync(StoreOptions options, TimeProvider time, CancellationToken ct) =>
        options.IsPostgreSql
            ? await PostgresStore.OpenAsync(options.ConnectionString!, time, ct)
            : await SqliteStore.OpenAsync(options.Path, time, ct);

    /// <summary>Where the store is, for messages: the key and file, or PostgreSQL's host, port and database (never the
    /// connection string, which holds a password).</summary>
    public static string Describe(StoreOptions options) =>
        options.IsPostgreSql
            ? $"on {PostgresStore.Describe(options.ConnectionString!)} (CrmPulse:Store:ConnectionString)"
            : $"at CrmPulse:Store:Path '{options.Path}'";
}
