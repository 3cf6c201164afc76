using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage.Tests;

/// <summary>
/// The ledger's read queries seek by index, so they stay fast with millions of samples: checked on SQLite's own plan
/// (a plan is the same for a small file and a large one when no statistics are gathered, as here).
/// </summary>
public sealed class QueryPlanTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(nameof(SqliteStore.LatestSql), "SEARCH s USING INTEGER PRIMARY KEY")]
    [InlineData(nameof(SqliteStore.AtOrBeforeSql), "SEARCH s USING INDEX samples_by_series_time (kpi=? AND source=? AND dims=? AND time_ms<?)")]
    [InlineData(nameof(SqliteStore.SeriesSql), "INDEX samples_by_series_time (kpi=? AND source=? AND dims=? AND time_ms>? AND time_ms<?)")]
    [InlineData(nameof(SqliteStore.LatestUsersSql), "SEARCH u USING INDEX user_rows_by_pass (pass=?)")]
    [InlineData(nameof(SqliteStore.LatestValuesSql), "INDEX samples_by_series_time (kpi=? AND source=? AND dims=? AND time_ms<?)")]
    [InlineData(nameof(SqliteStore.SeriesListSql), "INDEX samples_by_series_time (kpi=? AND source=? AND dims=? AND time_ms>? AND time_ms<?)")]
    public async Task Ledger_queries_look_samples_up_by_index_and_never_scan_them(string query, string expectedStep)
    {
        using (await _db.OpenAsync()) { }
        var sql = query switch
        {
            nameof(SqliteStore.LatestSql) => SqliteStore.LatestSql,
            nameof(SqliteStore.AtOrBeforeSql) => SqliteStore.AtOrBeforeSql,
            nameof(SqliteStore.SeriesSql) => SqliteStore.SeriesSql,
            nameof(SqliteStore.LatestValuesSql) => SqliteStore.LatestValuesSql,
            nameof(SqliteStore.SeriesListSql) => SqliteStore.SeriesListSql(3),
            _ => SqliteStore.LatestUsersSql,
        };

        var plan = Plan(sql);

        Assert.Contains(plan, step => step.Contains(expectedStep));
        // Scanning series_latest or user_passes is fine: one row per series or per pass, not per sample or user row.
        Assert.DoesNotContain(plan, step => Scanned(step) is "s" or "samples" or "u" or "user_rows");
    }

    private static string? Scanned(string step) => step.StartsWith("SCAN ") ? step[5..].Split(' ')[0] : null;

    private List<string> Plan(string sql)
    {
        using var connection = _db.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z0-9]+").Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(name, name == "$source" ? "a" : "x");
        }
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return steps;
    }
}
