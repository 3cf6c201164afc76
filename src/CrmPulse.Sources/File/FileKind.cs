using CrmPulse.Core.Model;

namespace CrmPulse.Sources.File;

/// <summary>
/// One file of the canonical format: its kind name (also the default file name and the <c>Files</c> key), the record
/// kind it fills, its canonical columns and which of them are required.
/// </summary>
internal sealed record FileKind(
    string Name,
    ObjectKind ObjectKind,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string>> RequiredColumns,
    bool HasCustomFields)
{
    public string DefaultFileName => Name + ".csv";

    public string WatermarkKey => "file:" + Name;

    public static readonly FileKind Users = new(
        "users", ObjectKind.User,
        ["id", "name", "email", "team", "active", "integration", "created_at", "is_admin", "profile"],
        [["id"]], HasCustomFields: false);

    public static readonly FileKind Logins = new(
        "logins", ObjectKind.Login,
        ["id", "user_id", "at", "succeeded", "kind"],
        [["user_id"], ["at"]], HasCustomFields: false);

    public static readonly FileKind Contacts = new(
        "contacts", ObjectKind.Contact,
        ["id", "first_name", "last_name", "email", "phone", "company_id", "owner_id", "lifecycle_stage", "lead_status",
            "is_lead", "converted_at", "created_at", "modified_at", "lead_source", "mql_at", "sql_at", "opportunity_at", "won_at"],
        [["id"], ["created_at"]], HasCustomFields: true);

    public static readonly FileKind Companies = new(
        "companies", ObjectKind.Company,
        ["id", "name", "domain", "industry", "owner_id", "parent_id", "created_at", "modified_at"],
        [["id"], ["created_at"]], HasCustomFields: true);

    public static readonly FileKind Deals = new(
        "deals", ObjectKind.Deal,
        ["id", "name", "pipeline", "stage", "amount", "close_date", "owner_id", "company_id", "contact_id", "is_closed",
            "is_won", "closed_at", "lost_reason", "stage_entered_at", "created_at", "modified_at"],
        [["id"], ["created_at"]], HasCustomFields: true);

    // An activity needs a time: occurred_at and created_at stand in for each other, so one of them is enough.
    public static readonly FileKind Activities = new(
        "activities", ObjectKind.Activity,
        ["id", "type", "owner_id", "occurred_at", "created_at", "modified_at", "contact_id", "company_id", "deal_id",
            "direction", "due_at", "completed"],
        [["id"], ["type"], ["occurred_at", "created_at"]], HasCustomFields: false);

    /// <summary>All kinds, in the order they are read.</summary>
    public static readonly IReadOnlyList<FileKind> All = [Users, Logins, Contacts, Companies, Deals, Activities];

    public static string KnownNames => string.Join(", ", All.Select(k => k.Name));

    public static FileKind? Find(string name) =>
        All.FirstOrDefault(k => string.Equals(k.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
