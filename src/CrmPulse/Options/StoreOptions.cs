namespace CrmPulse.Options;

/// <summary>CrmPulse:Store: the embedded SQLite file (default), or a PostgreSQL database several nodes share.</summary>
public sealed class StoreOptions
{
    /// <summary>Sqlite (default: one file, no server) or PostgreSql (several nodes on one database).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The SQLite file holding the mirror and the ledger, relative to the working directory. Default data/crmpulse.db.</summary>
    public string Path { get; set; } = "data/crmpulse.db";

    /// <summary>PostgreSql: the Npgsql connection string ("Host=…;Port=5432;Database=crmpulse;Username=…;Password=…"). It
    /// holds a password: give it by the environment (CRMPULSE__STORE__CONNECTIONSTRING) or <see cref="ConnectionStringFile"/>,
    /// never in a committed file. It is never logged nor shown.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSql: a file whose first line is the connection string.</summary>
    public string? ConnectionStringFile { get; set; }

    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";

    public bool IsPostgreSql => string.Equals(Provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

    /// <summary>The problems of these settings, each naming its key; reads ConnectionStringFile into ConnectionString.
    /// Messages never repeat the connection string (it holds a password).</summary>
    public List<string> Validate(string prefix = "CrmPulse:Store")
    {
        var problems = new List<string>();
        if (IsPostgreSql)
        {
            if (!string.IsNullOrWhiteSpace(ConnectionString) && ConnectionStringFile is not null)
                problems.Add($"{prefix}: give ConnectionString or ConnectionStringFile, not both.");
            else if (ConnectionStringFile is not null)
            {
                try
                {
                    ConnectionString = File.ReadLines(ConnectionStringFile).FirstOrDefault()?.Trim();
                    if (string.IsNullOrEmpty(ConnectionString)) problems.Add($"{prefix}:ConnectionStringFile: '{ConnectionStringFile}' is empty.");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{prefix}:ConnectionStringFile: cannot read '{ConnectionStringFile}': {e.Message}");
                }
            }
            else if (string.IsNullOrWhiteSpace(ConnectionString))
                problems.Add($"{prefix}:ConnectionString is required when Provider is PostgreSql (set CRMPULSE__STORE__CONNECTIONSTRING or {prefix}:ConnectionStringFile).");
            if (!string.IsNullOrEmpty(ConnectionString) && Storage.Postgres.PostgresStore.CheckConnectionString(ConnectionString) is { } problem)
                problems.Add($"{prefix}:ConnectionString{(ConnectionStringFile is null ? "" : $" (from '{ConnectionStringFile}')")}: {problem}");
        }
        else if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
            problems.Add($"{prefix}:Provider '{Provider}' is not known (use {Sqlite} or {PostgreSql}).");
        else if (string.IsNullOrWhiteSpace(Path)) problems.Add($"{prefix}:Path must not be empty.");
        return problems;
    }
}
