using System.Globalization;
using System.Text;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using DuckDB.NET.Data;

namespace CrmPulse.Benchmarks;

/// <summary>
/// The benchmark's reference: the generated org in an in-memory DuckDB database, and the KPIs that need no duplicate
/// clusters written as SQL of our own. Instants are stored as UTC ticks (BIGINT), so a trailing window is the same
/// integer comparison as <see cref="KpiContext.InWindow"/>: as-of − window &lt; t ≤ as-of.
/// </summary>
/// <remarks>
/// Each query returns columns named "kpi|dimensions" (the canonical <see cref="Dimensions.Key"/>), or a column "dims"
/// and columns named after KPIs; a NULL cell is a sample the pass does not emit (a ratio over nothing). The settings
/// are the defaults the benchmark's pass runs with (<see cref="KpiOptions"/>), written into the SQL from the same
/// option objects. Filled means not NULL and not only spaces (DuckDB's trim; the generated org has no other white
/// space).
/// </remarks>
internal sealed class DuckDbReference : IDisposable
{
    private const long Day = TimeSpan.TicksPerDay;
    private readonly DuckDBConnection _connection;
    private readonly long _asOf;
    private readonly KpiOptions _options;

    public DuckDbReference(DateTimeOffset asOf, KpiOptions options)
    {
        _asOf = asOf.UtcTicks;
        _options = options;
        _connection = new DuckDBConnection("Data Source=:memory:");
        _connection.Open();
        // The same cores as the pass (Parallel.ForEach uses every core).
        Execute($"SET threads = {Environment.ProcessorCount}");
    }

    /// <summary>The KPIs the SQL covers (every sample of these is compared).</summary>
    public static readonly IReadOnlySet<string> Covered = new HashSet<string>(StringComparer.Ordinal)
    {
        "licensed_users", "daily_active_users", "weekly_active_users", "monthly_active_users", "weekly_active_ratio",
        "monthly_active_ratio", "stickiness_ratio", "users_never_logged_in", "users_inactive_30d", "active_contributor_ratio",
        "excluded_users", "api_logins_30d", "api_login_users_30d",
        "activities_logged_7d", "activities_per_active_user", "deals_created_7d", "deals_won_7d", "contacts_created_7d",
        "field_fill_rate", "completeness_score", "complete_records_ratio", "records", "missing_required_field",
        "segmentation_coverage", "unsegmented_records",
        "invalid_emails", "invalid_email_ratio", "invalid_phones", "invalid_phone_ratio", "unreachable_contacts",
        "stale_records", "contacts_without_activity", "orphan_records", "unowned_records", "records_owned_by_deactivated_users",
        "inconsistent_picklist_values",
        "overdue_tasks", "tasks_without_due_date", "tasks_without_owner", "deals_past_close_date", "stalled_deals",
        "snoozed_deals", "lost_without_reason", "open_pipeline_value", "open_deals", "stage_age_median", "deals_aging_in_stage",
    };

    /// <summary>Writes the snapshot into tables users, logins, contacts, companies, deals, activities.</summary>
    public void Load(CrmSnapshot s)
    {
        Execute("""
            CREATE TABLE users (id VARCHAR, team VARCHAR, email VARCHAR, is_active BOOLEAN, is_integration BOOLEAN, created_at BIGINT);
            CREATE TABLE logins (user_id VARCHAR, login_at BIGINT, succeeded BOOLEAN, interactive BOOLEAN);
            CREATE TABLE contacts (id VARCHAR, owner_id VARCHAR, created_at BIGINT, modified_at BIGINT, email VARCHAR, phone VARCHAR,
                company_id VARCHAR, lifecycle_stage VARCHAR, lead_status VARCHAR, phone_valid BOOLEAN);
            CREATE TABLE companies (id VARCHAR, owner_id VARCHAR, created_at BIGINT, modified_at BIGINT, domain VARCHAR, industry VARCHAR,
                parent_id VARCHAR);
            CREATE TABLE deals (id VARCHAR, owner_id VARCHAR, created_at BIGINT, modified_at BIGINT, pipeline VARCHAR, stage VARCHAR,
                amount DOUBLE, close_date BIGINT, company_id VARCHAR, contact_id VARCHAR, is_won BOOLEAN, closed_at BIGINT,
                is_closed BOOLEAN, lost_reason VARCHAR, stage_entered_at BIGINT);
            CREATE TABLE activities (type VARCHAR, owner_id VARCHAR, occurred_at BIGINT, created_at BIGINT, contact_id VARCHAR,
                deal_id VARCHAR, completed BOOLEAN, due_at BIGINT);
            """);
        using (var a = _connection.CreateAppender("users"))
        {
            foreach (var u in s.Users)
            {
                a.CreateRow().AppendValue(u.Id).AppendValue(u.Team).AppendValue(u.Email).AppendValue(u.IsActive)
                    .AppendValue(u.IsIntegration).AppendValue(u.CreatedAt?.UtcTicks).EndRow();
            }
        }
        using (var a = _connection.CreateAppender("logins"))
        {
            foreach (var l in s.Logins)
            {
                a.CreateRow().AppendValue(l.UserId).AppendValue(l.At.UtcTicks).AppendValue(l.Succeeded).AppendValue(l.Interactive).EndRow();
            }
        }
        using (var a = _connection.CreateAppender("contacts"))
        {
            foreach (var c in s.Contacts)
            {
                a.CreateRow().AppendValue(c.Id).AppendValue(c.OwnerId).AppendValue(c.CreatedAt.UtcTicks).AppendValue(c.ModifiedAt.UtcTicks)
                    .AppendValue(c.Email).AppendValue(c.Phone).AppendValue(c.CompanyId).AppendValue(c.LifecycleStage)
                    .AppendValue(c.LeadStatus).AppendValue(ValidPhone(c.Phone)).EndRow();
            }
        }
        using (var a = _connection.CreateAppender("companies"))
        {
            foreach (var c in s.Companies)
            {
                a.CreateRow().AppendValue(c.Id).AppendValue(c.OwnerId).AppendValue(c.CreatedAt.UtcTicks).AppendValue(c.ModifiedAt.UtcTicks)
                    .AppendValue(c.Domain).AppendValue(c.Industry).AppendValue(c.ParentId).EndRow();
            }
        }
        using (var a = _connection.CreateAppender("deals"))
        {
            foreach (var d in s.Deals)
            {
                long? closeDate = d.CloseDate is { } date ? date.ToDateTime(TimeOnly.MinValue).Ticks : null;
                a.CreateRow().AppendValue(d.Id).AppendValue(d.OwnerId).AppendValue(d.CreatedAt.UtcTicks).AppendValue(d.ModifiedAt.UtcTicks)
                    .AppendValue(d.Pipeline).AppendValue(d.Stage).AppendValue(d.Amount is { } m ? (double?)(double)m : null)
                    .AppendValue(closeDate).AppendValue(d.CompanyId).AppendValue(d.ContactId).AppendValue(d.IsWon)
                    .AppendValue(d.ClosedAt?.UtcTicks).AppendValue(d.IsClosed).AppendValue(d.LostReason)
                    .AppendValue(d.StageEnteredAt?.UtcTicks).EndRow();
            }
        }
        using (var a = _connection.CreateAppender("activities"))
        {
            foreach (var x in s.Activities)
            {
                a.CreateRow().AppendValue(x.Type.Tag()).AppendValue(x.OwnerId).AppendValue(x.OccurredAt.UtcTicks)
                    .AppendValue(x.CreatedAt.UtcTicks).AppendValue(x.ContactId).AppendValue(x.DealId).AppendValue(x.Completed)
                    .AppendValue(x.DueAt?.UtcTicks).EndRow();
            }
        }
    }

    /// <summary>DuckDB's own memory (its buffer manager: the tables and the temporary state of a query), in bytes.</summary>
    public long MemoryBytes()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory()";
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs every query; returns "kpi|dims" → value.</summary>
    public Dictionary<string, double> Compute()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sql in Queries()) Read(sql, values);
        return values;
    }

    /// <summary>The pass's samples of the covered KPIs against the SQL's: the differences, one line each.</summary>
    public static List<string> Compare(IEnumerable<KpiSample> samples, Dictionary<string, double> sql)
    {
        var differences = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in samples.Where(s => Covered.Contains(s.Kpi)))
        {
            var key = s.Kpi + "|" + s.Dimensions.Key;
            seen.Add(key);
            if (!sql.TryGetValue(key, out var v)) differences.Add($"{key}: pass {s.Value}, SQL none");
            // Counts are exact; a ratio may differ in its last bits when SQL sums in another order.
            else if (Math.Abs(v - s.Value) > 1e-12 * Math.Max(1, Math.Abs(s.Value))) differences.Add($"{key}: pass {s.Value}, SQL {v}");
        }
        differences.AddRange(sql.Keys.Where(k => !seen.Contains(k)).Select(k => $"{k}: pass none, SQL {sql[k]}"));
        return differences;
    }

    private void Read(string sql, Dictionary<string, double> values)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var dimsAt = -1;
        for (var i = 0; i < reader.FieldCount; i++) if (reader.GetName(i) == "dims") dimsAt = i;
        while (reader.Read())
        {
            var dims = dimsAt >= 0 ? reader.GetString(dimsAt) : null;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (i == dimsAt || reader.IsDBNull(i)) continue;
                var name = reader.GetName(i);
                var key = dims is null ? name : name + "|" + dims;
                // sum() of integers is a HUGEINT, which the provider reads as a BigInteger.
                var value = reader.GetValue(i) is System.Numerics.BigInteger big ? (double)big : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
                if (!values.TryAdd(key, value))
                {
                    throw new InvalidOperationException($"The SQL gives {key} twice.");
                }
            }
        }
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string Filled(string column) => $"({column} IS NOT NULL AND trim({column}) <> '')";

    /// <summary>The team of a user id (users u): its team, or "unassigned" when blank or unknown.</summary>
    private const string TeamOfUser = "CASE WHEN u.team IS NULL OR trim(u.team) = '' THEN 'unassigned' ELSE u.team END";

    private static string Quote(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";

    private IEnumerable<string> Queries()
    {
        var asOf = _asOf.ToString(CultureInfo.InvariantCulture);
        string Since(int days) => (_asOf - days * Day).ToString(CultureInfo.InvariantCulture);
        // Licensed users with their team, when they were last seen (login basis when any interactive login exists: the
        // latest successful interactive login, else the latest owned activity) and their activities of the week.
        var licensedSeen = $"""
            p AS (SELECT EXISTS (SELECT 1 FROM logins WHERE interactive) AS login_basis),
            lic AS (SELECT u.id, {TeamOfUser} AS team FROM users u
                    WHERE u.is_active AND NOT u.is_integration AND (u.created_at IS NULL OR u.created_at <= {asOf})),
            ll AS (SELECT user_id, max(login_at) AS last FROM logins WHERE succeeded AND interactive AND login_at <= {asOf} GROUP BY user_id),
            la AS (SELECT owner_id, max(created_at) AS last, count(*) FILTER (WHERE created_at > {Since(7)}) AS a7
                   FROM activities WHERE owner_id IS NOT NULL AND created_at <= {asOf} GROUP BY owner_id),
            x AS (SELECT lic.team, CASE WHEN p.login_basis THEN ll.last ELSE la.last END AS last, coalesce(la.a7, 0) AS a7
                  FROM lic CROSS JOIN p LEFT JOIN ll ON ll.user_id = lic.id LEFT JOIN la ON la.owner_id = lic.id)
            """;
        // Adoption: one row per team with licensed users and one for the org (dims '').
        var adoption = $"""
            WITH {licensedSeen},
            t AS (SELECT CASE WHEN GROUPING(team) = 1 THEN '' ELSE 'team=' || team END AS dims, count(*) AS lic,
                    count(*) FILTER (WHERE last > {Since(1)}) AS d, count(*) FILTER (WHERE last > {Since(7)}) AS w,
                    count(*) FILTER (WHERE last > {Since(30)}) AS m, count(*) FILTER (WHERE last IS NULL) AS never,
                    count(*) FILTER (WHERE last IS NOT NULL AND last <= {Since(30)}) AS inactive,
                    count(*) FILTER (WHERE a7 >= {_options.ContributorMinActivities}) AS contributors
                  FROM x GROUP BY GROUPING SETS ((team), ()))
            SELECT dims, lic AS licensed_users, d AS daily_active_users, w AS weekly_active_users, m AS monthly_active_users,
              CASE WHEN lic = 0 THEN 0 ELSE w::DOUBLE / lic END AS weekly_active_ratio,
              CASE WHEN lic = 0 THEN 0 ELSE m::DOUBLE / lic END AS monthly_active_ratio,
              CASE WHEN m = 0 THEN 0 ELSE d::DOUBLE / m END AS stickiness_ratio,
              never AS users_never_logged_in, inactive AS users_inactive_30d,
              CASE WHEN lic = 0 THEN 0 ELSE contributors::DOUBLE / lic END AS active_contributor_ratio
            FROM t
            """;
        yield return adoption;
        yield return $"""
            SELECT '' AS dims, (SELECT count(*) FROM users WHERE is_integration) AS excluded_users,
              count(*) AS api_logins_30d, count(DISTINCT user_id) AS api_login_users_30d
            FROM logins WHERE NOT interactive AND succeeded AND login_at > {Since(30)} AND login_at <= {asOf}
            """;

        // Activity: the teams shown are those with licensed users and those with something to count; a record's team
        // is its owner's (unowned, unknown owner or blank team: "unassigned").
        var licensedTeams = $"SELECT DISTINCT {TeamOfUser} AS team FROM users u WHERE u.is_active AND NOT u.is_integration AND (u.created_at IS NULL OR u.created_at <= {asOf})";
        yield return $"""
            WITH a AS (SELECT t.type, {TeamOfUser} AS team FROM activities t LEFT JOIN users u ON u.id = t.owner_id
                       WHERE t.created_at > {Since(7)} AND t.created_at <= {asOf}),
            teams AS ({licensedTeams} UNION SELECT DISTINCT team FROM a),
            types AS (SELECT unnest(['call', 'email', 'meeting', 'task', 'note']) AS type),
            grid AS (SELECT teams.team, types.type, count(a.type) AS n
                     FROM teams CROSS JOIN types LEFT JOIN a ON a.team = teams.team AND a.type = types.type GROUP BY ALL)
            SELECT CASE WHEN GROUPING(team) = 1 AND GROUPING(type) = 1 THEN ''
                        WHEN GROUPING(team) = 1 THEN 'type=' || type
                        WHEN GROUPING(type) = 1 THEN 'team=' || team
                        ELSE 'team=' || team || ',type=' || type END AS dims,
                   sum(n) AS activities_logged_7d
            FROM grid GROUP BY GROUPING SETS ((), (type), (team), (team, type))
            """;
        // Activities of licensed users in the week ÷ the team's weekly active users.
        yield return $"""
            WITH {licensedSeen},
            t AS (SELECT CASE WHEN GROUPING(team) = 1 THEN '' ELSE 'team=' || team END AS dims,
                    sum(a7) AS activities, count(*) FILTER (WHERE last > {Since(7)}) AS w
                  FROM x GROUP BY GROUPING SETS ((team), ()))
            SELECT dims, CASE WHEN w = 0 THEN 0 ELSE activities::DOUBLE / w END AS activities_per_active_user FROM t
            """;
        // A per-team count (or sum of value) with its roll-up; every team with licensed users appears, with 0 if need be.
        string PerTeam(string kpi, string table, string where, string value = "1") => $"""
            WITH r AS (SELECT {TeamOfUser} AS team, {value} AS v FROM {table} t LEFT JOIN users u ON u.id = t.owner_id WHERE {where}),
            teams AS ({licensedTeams} UNION SELECT DISTINCT team FROM r),
            c AS (SELECT teams.team, coalesce(sum(r.v), 0) AS n FROM teams LEFT JOIN r ON r.team = teams.team GROUP BY ALL)
            SELECT CASE WHEN GROUPING(team) = 1 THEN '' ELSE 'team=' || team END AS dims, sum(n) AS {kpi}
            FROM c GROUP BY GROUPING SETS ((team), ())
            """;
        yield return PerTeam("deals_created_7d", "deals", $"t.created_at > {Since(7)} AND t.created_at <= {asOf}");
        var wonAt = "coalesce(t.closed_at, t.close_date)";
        yield return PerTeam("deals_won_7d", "deals", $"t.is_won AND {wonAt} > {Since(7)} AND {wonAt} <= {asOf}");
        yield return PerTeam("contacts_created_7d", "contacts", $"t.created_at > {Since(7)} AND t.created_at <= {asOf}");

        foreach (var sql in DataQuality(asOf)) yield return sql;

        // Pipeline hygiene, on calendar days (the default settings: no snooze field, no business days). Open tasks
        // and deals are those created at or before as-of; dates are UTC dates.
        var pipeline = _options.Pipeline;
        if (pipeline.BusinessDays || pipeline.SnoozeField is not null) throw new NotSupportedException("The reference SQL counts calendar days without snoozing.");
        var openTasks = $"t.type = 'task' AND NOT t.completed AND t.created_at <= {asOf}";
        yield return PerTeam("overdue_tasks", "activities", $"{openTasks} AND t.due_at < {asOf}");
        yield return PerTeam("tasks_without_due_date", "activities", $"{openTasks} AND t.due_at IS NULL");
        yield return PerTeam("tasks_without_owner", "activities", $"{openTasks} AND NOT {Filled("t.owner_id")}");
        var open = $"NOT t.is_closed AND t.created_at <= {asOf}";
        var today = new DateTimeOffset(_asOf, TimeSpan.Zero).UtcDateTime.Date.Ticks;
        yield return PerTeam("deals_past_close_date", "deals", $"{open} AND t.close_date < {today}");
        yield return PerTeam("snoozed_deals", "deals", "false");
        // A deal's last touch: its creation, or a later activity naming it (OccurredAt ≤ as-of) by anyone but an
        // integration user; stalled when that is StalledAfterDays or more before as-of.
        var touched = $"""
            (SELECT d.*, greatest(d.created_at, coalesce(a.last, d.created_at)) AS touch FROM deals d
             LEFT JOIN (SELECT deal_id, max(occurred_at) AS last FROM activities
                        WHERE deal_id IS NOT NULL AND occurred_at <= {asOf}
                          AND (owner_id IS NULL OR owner_id NOT IN (SELECT id FROM users WHERE is_integration))
                        GROUP BY deal_id) a ON a.deal_id = d.id)
            """;
        yield return PerTeam("stalled_deals", touched, $"{open} AND {asOf} - t.touch >= {pipeline.StalledAfterDays * Day}");
        var closedAt = "coalesce(t.closed_at, t.close_date)";
        yield return PerTeam("lost_without_reason", "deals",
            $"t.created_at <= {asOf} AND t.is_closed AND NOT t.is_won AND {closedAt} > {Since(pipeline.LostWithoutReasonDays)} AND {closedAt} <= {asOf} AND NOT {Filled("t.lost_reason")}");
        yield return PerTeam("open_pipeline_value", "deals", open, "coalesce(t.amount, 0)");
        yield return PerTeam("open_deals", "deals", open);
        // Age in stage (days, fractional) of the open deals with a stage and a StageEnteredAt at or before as-of; the
        // median per pipeline ("none" when unset) and stage; aging beyond StageAgeFactor × that median.
        var staged = $"""
            (SELECT d.*, ({asOf} - d.stage_entered_at) / {Day}.0 AS age,
                    CASE WHEN {Filled("d.pipeline")} THEN d.pipeline ELSE 'none' END AS pipe
             FROM deals d WHERE NOT d.is_closed AND d.created_at <= {asOf} AND d.stage_entered_at <= {asOf} AND {Filled("d.stage")})
            """;
        yield return $"SELECT 'pipeline=' || pipe || ',stage=' || stage AS dims, median(age) AS stage_age_median FROM {staged} GROUP BY pipe, stage";
        var factor = pipeline.StageAgeFactor.ToString("R", CultureInfo.InvariantCulture);
        yield return PerTeam("deals_aging_in_stage",
            $"(SELECT s.*, median(s.age) OVER (PARTITION BY s.pipe, s.stage) AS med FROM {staged} s)", $"t.age > {factor} * t.med");
    }

    /// <summary>The SQL column of a KPI field name, per object.</summary>
    private static string RawColumn(string objectType, string field) => (objectType, field) switch
    {
        (_, "owner") => "owner_id",
        ("contact", "email" or "phone" or "lifecycle_stage" or "lead_status") => field,
        ("contact" or "deal", "company") => "company_id",
        ("company", "domain" or "industry") => field,
        ("company", "parent") => "parent_id",
        ("deal", "amount" or "close_date" or "stage" or "pipeline") => field,
        ("deal", "contact") => "contact_id",
        _ => throw new NotSupportedException($"The reference SQL has no column for {objectType}.{field}."),
    };

    /// <summary>True when the field is filled (amount and close_date are numbers: filled when not NULL).</summary>
    /// <summary>libphonenumber directly, with the default DataQuality:PhoneRegion "US" (the benchmark sets no country field).</summary>
    private static bool ValidPhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return false;
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        try { return util.IsValidNumber(util.Parse(phone, "US")); }
        catch (PhoneNumbers.NumberParseException) { return false; }
    }

    private static string Column(string objectType, string field) =>
        field is "amount" or "close_date" ? $"({field} IS NOT NULL)" : Filled(RawColumn(objectType, field));

    private static string Table(string objectType) => objectType switch
    {
        "contact" => "contacts", "company" => "companies", _ => "deals",
    };

    private IEnumerable<string> DataQuality(string asOf)
    {
        var dq = _options.DataQuality;
        foreach (var objectType in KpiOptions.Objects)
        {
            var table = Table(objectType);
            var o = $"object={objectType}";
            var fields = _options.FieldsFor(objectType).Distinct(StringComparer.Ordinal).ToArray();
            var sql = new StringBuilder($"WITH c AS (SELECT count(*) AS n");
            for (var i = 0; i < fields.Length; i++) sql.Append($", count(*) FILTER (WHERE {Column(objectType, fields[i])}) AS f{i}");
            if (fields.Length > 0)
            {
                sql.Append($", count(*) FILTER (WHERE {string.Join(" AND ", fields.Select(f => Column(objectType, f)))}) AS complete");
            }
            var segmentation = dq.SegmentationFieldsFor(objectType).Distinct(StringComparer.Ordinal).ToArray();
            if (segmentation.Length > 0)
            {
                sql.Append($", count(*) FILTER (WHERE {string.Join(" AND ", segmentation.Select(f => Column(objectType, f)))}) AS segmented");
            }
            sql.Append($", count(*) FILTER (WHERE modified_at < {_asOf - dq.StaleAfterDays * Day}) AS stale");
            sql.Append($", count(*) FILTER (WHERE NOT {Filled("owner_id")}) AS unowned");
            sql.Append($", count(*) FILTER (WHERE owner_id IN (SELECT id FROM users WHERE NOT is_active)) AS deactivated");
            var orphan = objectType switch
            {
                "contact" => $"NOT {Filled("company_id")}",
                "deal" => $"NOT {Filled("contact_id")} AND NOT {Filled("company_id")}",
                _ => $"{Filled("parent_id")} AND parent_id NOT IN (SELECT id FROM companies)",
            };
            sql.Append($", count(*) FILTER (WHERE {orphan}) AS orphans FROM {table})\nSELECT n AS \"records|{o}\"");
            for (var i = 0; i < fields.Length; i++)
            {
                var dims = $"field={fields[i]},{o}";
                sql.Append($", n - f{i} AS \"missing_required_field|{dims}\", CASE WHEN n > 0 THEN f{i}::DOUBLE / n END AS \"field_fill_rate|{dims}\"");
            }
            if (fields.Length > 0)
            {
                var total = string.Join(" + ", fields.Select((_, i) => $"f{i}"));
                sql.Append($", CASE WHEN n > 0 THEN ({total})::DOUBLE / (n * {fields.Length}) END AS \"completeness_score|{o}\"");
                sql.Append($", CASE WHEN n > 0 THEN complete::DOUBLE / n END AS \"complete_records_ratio|{o}\"");
            }
            if (segmentation.Length > 0)
            {
                sql.Append($", n - segmented AS \"unsegmented_records|{o}\", CASE WHEN n > 0 THEN segmented::DOUBLE / n END AS \"segmentation_coverage|{o}\"");
            }
            sql.Append($", stale AS \"stale_records|{o}\", orphans AS \"orphan_records|{o}\", unowned AS \"unowned_records|{o}\"");
            sql.Append($", deactivated AS \"records_owned_by_deactivated_users|{o}\" FROM c");
            yield return sql.ToString();

            // Picklists: spellings grouped by their normal form (lower case without white space, '_' and '-'); the
            // records of every spelling but the dominant one (most records, then the smallest) of a group of two or more.
            foreach (var field in dq.PicklistFieldsFor(objectType).Distinct(StringComparer.Ordinal))
            {
                var column = RawColumn(objectType, field);
                var filled = Column(objectType, field);
                yield return $"""
                    WITH v AS (SELECT {column} AS s, count(*) AS n FROM {table} WHERE {filled} GROUP BY {column}),
                    g AS (SELECT n, row_number() OVER (PARTITION BY k ORDER BY n DESC, s) AS rank, count(*) OVER (PARTITION BY k) AS spellings
                          FROM (SELECT s, n, regexp_replace(lower(s), '[\s_-]', '', 'g') AS k FROM v))
                    SELECT coalesce(sum(n) FILTER (WHERE spellings > 1 AND rank > 1), 0) AS "inconsistent_picklist_values|field={field},{o}" FROM g
                    """;
            }
        }

        // Validity of contacts' e-mails (DataQualityChecks as a pattern) and phones (phone_valid: SQL has no numbering plans,
        // so libphonenumber judged each one as the rows were loaded).
        const string validEmail = @"regexp_full_match(trim(email), '[^@\s]+@([^.@\s]+\.)+[A-Za-z]{2,}')";
        const string validPhone = "phone_valid";
        yield return $"""
            WITH c AS (SELECT coalesce({validEmail}, false) AS ve, coalesce({validPhone}, false) AS vp,
                         {Filled("email")} AS fe, {Filled("phone")} AS fp FROM contacts),
            t AS (SELECT count(*) FILTER (WHERE fe) AS fe, count(*) FILTER (WHERE fe AND NOT ve) AS ie,
                    count(*) FILTER (WHERE fp) AS fp, count(*) FILTER (WHERE fp AND NOT vp) AS ip,
                    count(*) FILTER (WHERE NOT ve AND NOT vp) AS unreachable FROM c)
            SELECT 'object=contact' AS dims, ie AS invalid_emails, CASE WHEN fe > 0 THEN ie::DOUBLE / fe END AS invalid_email_ratio,
              ip AS invalid_phones, CASE WHEN fp > 0 THEN ip::DOUBLE / fp END AS invalid_phone_ratio, unreachable AS unreachable_contacts
            FROM t
            """;
        yield return $"""
            SELECT 'object=contact' AS dims, count(*) AS contacts_without_activity FROM contacts
            WHERE id NOT IN (SELECT contact_id FROM activities WHERE contact_id IS NOT NULL
                             AND occurred_at > {_asOf - dq.NoActivityDays * Day} AND occurred_at <= {asOf})
            """;
    }

    public void Dispose() => _connection.Dispose();
}
