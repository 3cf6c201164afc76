using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.File;

/// <summary>
/// Builds the model records from rows, one method per kind. Each reads every cell it needs (so a row reports all its
/// bad cells at once) and returns null when any was unreadable. Defaults are documented in the README.
/// </summary>
internal static class FileRecords
{
    /// <summary>The row's id as far as it can be read, for duplicate checks and <c>Retained</c>; never reports.</summary>
    public static string? IdOf(FileKind kind, IReadOnlyList<string> fields, ColumnMap map, FileValues values)
    {
        var row = new FileRow(fields, map, values);
        var id = row.Text("id");
        if (id is not null || kind != FileKind.Logins) return id;
        return row.Text("user_id") is { } user && row.DateTime("at") is { } at ? DerivedLoginId(user, at) : null;
    }

    public static CrmUser? User(FileRow r)
    {
        var id = r.Required("id");
        var name = r.Text("name");
        var email = r.Text("email");
        var team = r.Text("team");
        var active = r.Bool("active");
        var integration = r.Bool("integration");
        var created = r.DateTime("created_at");
        var admin = r.Bool("is_admin"); // blank or no column: the file does not say (null), not "no"
        var profile = r.Text("profile");
        if (r.HasErrors) return null;
        return new CrmUser(id!, name ?? email ?? id!, email, team, active ?? true, integration ?? false, created, admin, profile);
    }

    public static LoginEvent? Login(FileRow r)
    {
        var id = r.Text("id");
        var userId = r.Required("user_id");
        var at = RequiredDateTime(r, "at");
        var succeeded = LoginSucceeded(r.Text("succeeded"));
        var kind = r.Text("kind");
        if (r.HasErrors) return null;
        return new LoginEvent(id ?? DerivedLoginId(userId!, at!.Value), userId!, at!.Value, succeeded, kind);
    }

    public static Contact? Contact(FileRow r)
    {
        var contact = new Contact
        {
            Id = r.Required("id") ?? "",
            FirstName = r.Text("first_name"),
            LastName = r.Text("last_name"),
            Email = r.Text("email"),
            Phone = r.Text("phone"),
            CompanyId = r.Reference("company_id"),
            OwnerId = r.Text("owner_id"),
            LifecycleStage = r.Text("lifecycle_stage"),
            LeadStatus = r.Text("lead_status"),
            IsLead = r.BoolOrDateTime("is_lead") ?? false,
            ConvertedAt = r.DateTime("converted_at"),
            LeadSource = r.Text("lead_source"),
            StageDates = StageDates(r),
            Custom = r.Custom(),
        };
        return Stamped(r, contact);
    }

    /// <summary>The funnel stage dates of the mql_at, sql_at, opportunity_at and won_at columns, or null when none is filled.</summary>
    private static Dictionary<string, DateTimeOffset>? StageDates(FileRow r)
    {
        Dictionary<string, DateTimeOffset>? dates = null;
        foreach (var stage in new[] { "mql", "sql", "opportunity", "won" })
        {
            if (r.DateTime(stage + "_at") is { } at) (dates ??= new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal))[stage] = at;
        }
        return dates;
    }

    public static Company? Company(FileRow r)
    {
        var company = new Company
        {
            Id = r.Required("id") ?? "",
            Name = r.Text("name"),
            Domain = r.Text("domain"),
            Industry = r.Text("industry"),
            OwnerId = r.Text("owner_id"),
            ParentId = r.Reference("parent_id"),
            Custom = r.Custom(),
        };
        return Stamped(r, company);
    }

    public static Deal? Deal(FileRow r)
    {
        var isWon = r.Bool("is_won");
        var isClosed = r.Bool("is_closed");
        if (isWon == true && isClosed == false) r.Fail("is_closed", "is false but is_won is true");
        var deal = new Deal
        {
            Id = r.Required("id") ?? "",
            Name = r.Text("name"),
            Pipeline = r.Text("pipeline"),
            Stage = r.Text("stage"),
            Amount = r.Decimal("amount"),
            CloseDate = r.Date("close_date"),
            OwnerId = r.Text("owner_id"),
            CompanyId = r.Reference("company_id"),
            ContactId = r.Reference("contact_id"),
            // A won deal is closed even when the export has no closed flag.
            IsClosed = isClosed ?? isWon == true,
            IsWon = isWon ?? false,
            ClosedAt = r.DateTime("closed_at"),
            LostReason = r.Text("lost_reason"),
            StageEnteredAt = r.DateTime("stage_entered_at"),
            Custom = r.Custom(),
        };
        return Stamped(r, deal);
    }

    public static Activity? Activity(FileRow r, bool salesforce)
    {
        var id = r.Required("id");
        var typeText = r.Required("type");
        ActivityType type = default;
        if (typeText is not null && !TryActivityType(typeText, out type))
        {
            r.Fail("type", $"unknown activity type '{typeText}' (known: {string.Join(", ", ActivityTypes.All.Select(t => t.Tag()))})");
        }
        var occurred = r.DateTime("occurred_at");
        var created = r.DateTime("created_at");
        if (r.Text("occurred_at") is null && r.Text("created_at") is null)
        {
            r.Fail(r.HasColumn("occurred_at") ? "occurred_at" : "created_at", "is empty; occurred_at or created_at is required");
        }
        var modified = r.DateTime("modified_at");
        var dueAt = r.DateTime("due_at");
        var dealId = r.Reference("deal_id");
        // Salesforce's WhatId names any object: only opportunity ids (key prefix 006) are deals.
        if (salesforce && dealId is not null && !dealId.StartsWith("006", StringComparison.Ordinal)) dealId = null;
        if (r.HasErrors) return null;

        occurred ??= created;
        created ??= occurred;
        return new Activity(id!, type, r.Text("owner_id"), occurred!.Value, created!.Value, modified ?? created.Value,
            ContactId: r.Reference("contact_id"), CompanyId: r.Reference("company_id"), DealId: dealId,
            Direction: Direction(r.Text("direction")), DueAt: dueAt, Completed: Completed(r.Text("completed")));
    }

    /// <summary>"u1@2024-03-05T09:00:00Z": the id of a login event whose export has no id column.</summary>
    public static string DerivedLoginId(string userId, DateTimeOffset at) =>
        userId + "@" + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static T? Stamped<T>(FileRow r, T record) where T : CrmRecord
    {
        var created = RequiredDateTime(r, "created_at");
        var modified = r.DateTime("modified_at");
        if (r.HasErrors) return null;
        return record with { CreatedAt = created!.Value, ModifiedAt = modified ?? created!.Value };
    }

    private static DateTimeOffset? RequiredDateTime(FileRow r, string column)
    {
        if (r.Text(column) is null)
        {
            r.Fail(column, "is empty; a value is required");
            return null;
        }
        return r.DateTime(column);
    }

    /// <summary>Booleans, or Salesforce's LoginHistory status: "Success", else a failure reason. Blank means succeeded.</summary>
    private static bool LoginSucceeded(string? text)
    {
        if (text is null) return true;
        if (FileValues.TryBool(text, out var value)) return value;
        return text.Equals("success", StringComparison.OrdinalIgnoreCase)
            || text.Equals("succeeded", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Booleans, or a task status: "Completed", "Complete", "Done", "Closed" are done, any other status is not.</summary>
    private static bool Completed(string? text)
    {
        if (text is null) return false;
        if (FileValues.TryBool(text, out var value)) return value;
        return text.ToLowerInvariant() is "completed" or "complete" or "done" or "closed";
    }

    /// <summary>"inbound"/"incoming"/"in" and "outbound"/"outgoing"/"out", any case; other values are unknown (null).</summary>
    private static string? Direction(string? text) => text?.ToLowerInvariant() switch
    {
        "inbound" or "incoming" or "in" => "inbound",
        "outbound" or "outgoing" or "out" => "outbound",
        _ => null,
    };

    /// <summary>The model's names (and plurals), plus vendor names: Salesforce "Event" and "ListEmail", HubSpot "TODO".</summary>
    internal static bool TryActivityType(string text, out ActivityType type)
    {
        if (ActivityTypes.TryParse(text, out type)) return true;
        switch (ColumnNames.MatchKey(text))
        {
            case "event" or "events": type = ActivityType.Meeting; return true;
            case "listemail": type = ActivityType.Email; return true;
            case "todo": type = ActivityType.Task; return true;
            default: return false;
        }
    }
}
