using CrmPulse.Core.Store;

namespace CrmPulse.Storage.Tests;

/// <summary>
/// The issue queries read a page in listing order from an index and stop at its end (no sort of every match), and
/// count through an index: so a page stays fast over a million issues. Checked on SQLite's own plan.
/// </summary>
public sealed class IssueQueryPlanTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    public static TheoryData<string, IssueQuery, string> PageQueries() => new()
    {
        { "no filter", new IssueQuery(["a", "b"]), "SCAN issues" },
        { "source", new IssueQuery(["a", "b"], Source: "s"), "SEARCH issues USING PRIMARY KEY (source=?)" },
        { "kind", new IssueQuery(["a", "b"], Kpi: "a"), "SEARCH issues USING INDEX issues_by_kpi (kpi=?)" },
        { "source and kind", new IssueQuery(["a", "b"], Source: "s", Kpi: "a"), "SEARCH issues USING PRIMARY KEY (source=? AND kpi=?)" },
        { "object", new IssueQuery(["a", "b"], Object: "contact"), "SEARCH issues USING INDEX issues_by_object (object=?)" },
        { "team", new IssueQuery(["a", "b"], Team: "Sales"), "SEARCH issues USING INDEX issues_by_team (team=?)" },
        { "owner", new IssueQuery(["a", "b"], OwnerId: "u1"), "SEARCH issues USING INDEX issues_by_owner (owner_id=?)" },
    };

    [Theory]
    [MemberData(nameof(PageQueries))]
    public async Task A_page_is_read_in_order_from_an_index_without_sorting_the_matches(string name, IssueQuery query, string expectedStep)
    {
        using (await _db.OpenAsync()) { }

        var plan = Plan(SqliteStore.IssuePageSql(query), query);

        Assert.True(plan.Any(step => step.Contains(expectedStep)), $"{name}: {string.Join(" | ", plan)}");
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE"));
    }

    [Theory]
    [MemberData(nameof(PageQueries))]
    public async Task A_count_reads_a_covering_index_or_the_key(string name, IssueQuery query, string _)
    {
        using (await _db.OpenAsync()) { }

        var plan = Plan(SqliteStore.IssueCountSql(query), query);

        Assert.True(plan.All(step => step.Contains("COVERING INDEX") || step.Contains("PRIMARY KEY")), $"{name}: {string.Join(" | ", plan)}");
    }

    private List<string> Plan(string sql, IssueQuery query)
    {
        using var connection = _db.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var i = 0;
        foreach (var kind in query.Kpis) command.Parameters.AddWithValue($"$k{i++}", kind);
        foreach (var name in new[] { "$kpi", "$source", "$object", "$owner", "$team", "$limit", "$offset" })
        {
            if (sql.Contains(name)) command.Parameters.AddWithValue(name, name is "$limit" or "$offset" ? 1 : "x");
        }
        using var reader = command.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return steps;
    }
}
