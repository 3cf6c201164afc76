using System.Text;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using Microsoft.Data.Sqlite;

namespace CrmPulse.Storage;

// The issue store: the records behind the latest data-quality and pipeline counts (drill-down), per source.
public sealed partial class SqliteStore : IIssueStore
{
    internal const string IssueColumns =
        "source, kpi, object, record_id, field, owner_id, team, detail, computed_at_ms, detail_code, arg_a, arg_b, arg_m, arg_n, arg_x, arg_y";

    internal const string IssueOrder = "ORDER BY source, kpi, object, record_id, field";

    /// <summary>
    /// Replaces every stored issue of <paramref name="source"/> by <paramref name="issues"/>, in one transaction. A KPI
    /// pass stores its issues with its samples instead (<see cref="CommitPassAsync"/>); this is for tests and tools.
    /// </summary>
    /// <remarks>An issue repeated in <paramref name="issues"/> (same kpi, object, record and field) is stored once.</remarks>
    public Task ReplaceIssuesAsync(string source, DateTimeOffset computedAt, IReadOnlyList<RecordIssue> issues, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(issues);
        ValidateIssues(source, issues);
        return WriteAsync((connection, transaction) =>
        {
            ReplaceIssues(connection, transaction, source, computedAt, issues, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Deletes the source's issues and inserts <paramref name="issues"/>; checks for cancellation as it goes
    /// (a full-scale pass has 1.5 million issues).</summary>
    private static void ReplaceIssues(SqliteConnection connection, SqliteTransaction transaction, string source, DateTimeOffset computedAt,
        IReadOnlyList<RecordIssue> issues, CancellationToken cancellationToken)
    {
        using (var delete = Command(connection, transaction, "DELETE FROM issues WHERE source = $source"))
        {
            delete.Parameters.AddWithValue("$source", source);
            delete.ExecuteNonQuery();
        }
        using var insert = Command(connection, transaction, $"""
            INSERT OR IGNORE INTO issues ({IssueColumns})
            VALUES ($source, $kpi, $object, $record, $field, $owner, $team, $detail, $at, $code, $a, $b, $m, $n, $x, $y)
            """);
        insert.Parameters.AddWithValue("$source", source);
        insert.Parameters.AddWithValue("$at", ToUnixMs(computedAt));
        var (kpi, obj, record, field, owner, team, detail) = (insert.Parameters.Add("$kpi", SqliteType.Text),
            insert.Parameters.Add("$object", SqliteType.Text), insert.Parameters.Add("$record", SqliteType.Text),
            insert.Parameters.Add("$field", SqliteType.Text), insert.Parameters.Add("$owner", SqliteType.Text),
            insert.Parameters.Add("$team", SqliteType.Text), insert.Parameters.Add("$detail", SqliteType.Text));
        var (code, a, b, m, n, x, y) = (insert.Parameters.Add("$code", SqliteType.Integer), insert.Parameters.Add("$a", SqliteType.Text),
            insert.Parameters.Add("$b", SqliteType.Text), insert.Parameters.Add("$m", SqliteType.Integer),
            insert.Parameters.Add("$n", SqliteType.Integer), insert.Parameters.Add("$x", SqliteType.Real), insert.Parameters.Add("$y", SqliteType.Real));
        // Written from the pass's rows as they are: no issue object, and no text, is made on the way.
        var i = 0;
        foreach (var issue in IssueBuffer.From(issues).Rows())
        {
            if (i++ % CancelCheckRows == 0) cancellationToken.ThrowIfCancellationRequested();
            kpi.Value = issue.Kpi;
            obj.Value = issue.Object;
            record.Value = issue.RecordId;
            field.Value = issue.Field ?? "";
            owner.Value = DbValue(issue.OwnerId);
            team.Value = issue.Team;
            // A detail held as a code and its arguments is stored so, and written out when read.
            if (issue.HasCode)
            {
                detail.Value = DBNull.Value;
                code.Value = (int)issue.Code;
                (a.Value, b.Value) = (DbValue(issue.A), DbValue(issue.B));
                (m.Value, n.Value, x.Value, y.Value) = (issue.M, issue.N, issue.X, issue.Y);
            }
            else
            {
                detail.Value = DbValue(issue.A);
                code.Value = a.Value = b.Value = m.Value = n.Value = x.Value = y.Value = DBNull.Value;
            }
            insert.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    /// <remarks>An empty <see cref="IssueQuery.Kpis"/> matches nothing (a family without issue kinds has no issues).</remarks>
    public Task<IssuePage> QueryIssuesAsync(IssueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        if (query.Kpis.Count == 0) return Task.FromResult(new IssuePage(0, []));
        return ReadAsync((connection, transaction) =>
        {
            using var count = Command(connection, transaction, IssueCountSql(query));
            BindIssueFilters(count, query);
            var total = (long)count.ExecuteScalar()!;

            using var page = Command(connection, transaction, IssuePageSql(query));
            BindIssueFilters(page, query);
            page.Parameters.AddWithValue("$limit", query.Limit);
            page.Parameters.AddWithValue("$offset", query.Offset);
            var items = new List<StoredIssue>();
            using var reader = page.ExecuteReader();
            while (reader.Read())
            {
                var field = reader.GetString(4);
                var (kpi, obj, record, owner, team) = (reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6));
                var issue = reader.IsDBNull(9)
                    ? new RecordIssue(kpi, obj, record, owner, team, field.Length == 0 ? null : field, reader.IsDBNull(7) ? null : reader.GetString(7))
                    : new RecordIssue(kpi, obj, record, owner, team, field.Length == 0 ? null : field, new IssueText((IssueCode)reader.GetInt32(9),
                        reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                        reader.GetInt64(12), reader.GetInt64(13), reader.GetDouble(14), reader.GetDouble(15)));
                items.Add(new StoredIssue(reader.GetString(0), FromUnixMs(reader.GetInt64(8)), issue));
            }
            return new IssuePage((int)Math.Min(total, int.MaxValue), items);
        }, cancellationToken);
    }

    /// <summary>Counts the matches: every filter may use an index (the covering ones make it one index range per kind).</summary>
    internal static string IssueCountSql(IssueQuery query) => $"SELECT COUNT(*) FROM issues {IssueWhere(query, forPage: false)}";

    /// <summary>
    /// One page, in listing order. The kinds filter is written "+kpi IN (…)", which keeps SQLite from seeking the kpi
    /// index for it: that index is not in listing order, so every match would be sorted before the first row came out.
    /// Instead SQLite walks an index that is in order (the primary key, or the one of the source, kind, object, owner or
    /// team filter) and stops at the page's end.
    /// </summary>
    internal static string IssuePageSql(IssueQuery query) =>
        $"SELECT {IssueColumns} FROM issues {IssueWhere(query, forPage: true)} {IssueOrder} LIMIT $limit OFFSET $offset";

    /// <summary>The WHERE clause: only the filters the query sets, so SQLite can pick the index that fits them.</summary>
    private static string IssueWhere(IssueQuery query, bool forPage)
    {
        var sb = new StringBuilder("WHERE ");
        if (query.Kpi is not null) sb.Append("kpi = $kpi AND ");
        sb.Append(forPage ? "+kpi IN (" : "kpi IN (");
        sb.Append(string.Join(", ", query.Kpis.Select((_, i) => $"$k{i}"))).Append(')');
        if (query.Source is not null) sb.Append(" AND source = $source");
        if (query.Object is not null) sb.Append(" AND object = $object");
        if (query.OwnerId is not null) sb.Append(" AND owner_id = $owner");
        if (query.Team is not null) sb.Append(" AND team = $team");
        if (query.Field is not null) sb.Append(" AND field = $field");
        return sb.ToString();
    }

    private static void BindIssueFilters(SqliteCommand command, IssueQuery query)
    {
        var i = 0;
        foreach (var kind in query.Kpis) command.Parameters.AddWithValue($"$k{i++}", kind);
        if (query.Kpi is not null) command.Parameters.AddWithValue("$kpi", query.Kpi);
        if (query.Source is not null) command.Parameters.AddWithValue("$source", query.Source);
        if (query.Object is not null) command.Parameters.AddWithValue("$object", query.Object);
        if (query.OwnerId is not null) command.Parameters.AddWithValue("$owner", query.OwnerId);
        if (query.Team is not null) command.Parameters.AddWithValue("$team", query.Team);
        if (query.Field is not null) command.Parameters.AddWithValue("$field", query.Field);
    }

    internal static void ValidateIssues(string source, IReadOnlyList<RecordIssue> issues)
    {
        if (issues is IssueBuffer buffer)
        {
            // The pass's rows, checked as they are (no issue object made for each).
            var n = 0;
            foreach (var row in buffer.Rows())
            {
                n++;
                if (string.IsNullOrEmpty(row.Kpi) || string.IsNullOrEmpty(row.Object) || string.IsNullOrEmpty(row.RecordId) || row.Team is null)
                    throw Lacking(source, n, row.Kpi, row.Object, row.RecordId);
            }
            return;
        }
        for (var i = 0; i < issues.Count; i++)
        {
            var issue = issues[i] ?? throw new ArgumentException($"Issue #{i + 1} of source '{source}' is null.", nameof(issues));
            if (string.IsNullOrEmpty(issue.Kpi) || string.IsNullOrEmpty(issue.Object) || string.IsNullOrEmpty(issue.RecordId) || issue.Team is null)
                throw Lacking(source, i + 1, issue.Kpi, issue.Object, issue.RecordId);
        }
    }

    private static ArgumentException Lacking(string source, int number, string? kpi, string? objectType, string? recordId) =>
        new($"Issue #{number} of source '{source}' (kpi '{kpi}', object '{objectType}', record '{recordId}') " +
            "lacks a kpi, an object, a record id or a team.", "issues");
}
