namespace CrmPulse.Sources.File;

/// <summary>
/// Built-in header names of typical CRM exports, per kind and canonical column. The first candidate present in a file
/// is used; the canonical name itself is always tried last, and explicit <see cref="FileMapping.Columns"/> win over all.
/// Headers are compared by <see cref="ColumnNames.MatchKey"/>, so case and punctuation do not matter.
/// </summary>
internal static class FilePresets
{
    public const string HubSpot = "HubSpot";
    public const string Salesforce = "Salesforce";

    public static readonly IReadOnlyList<string> Names = [HubSpot, Salesforce];

    /// <summary>The preset's spelling as declared here, or null when the name is not a known preset.</summary>
    public static string? Normalize(string? name) =>
        Names.FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Header candidates of a preset for one kind (empty when the preset has none for it).</summary>
    public static IReadOnlyDictionary<string, string[]> For(string? preset, FileKind kind)
    {
        var table = Normalize(preset) switch
        {
            HubSpot => HubSpotColumns,
            Salesforce => SalesforceColumns,
            _ => null,
        };
        return table?.GetValueOrDefault(kind.Name) ?? Empty;
    }

    private static readonly Dictionary<string, string[]> Empty = [];

    // HubSpot record exports use property labels. Associations come as "Associated Company IDs" (several ids separated
    // by ';', the first is used) or "Associated Company ID". Owners come as the owner's name: see the README.
    private static readonly Dictionary<string, Dictionary<string, string[]>> HubSpotColumns = new()
    {
        ["users"] = new()
        {
            ["id"] = ["User ID"], ["name"] = ["Name", "Full Name"], ["email"] = ["Email"],
            ["team"] = ["Primary Team", "Team"], ["created_at"] = ["Create Date", "Created"],
        },
        ["logins"] = new()
        {
            ["id"] = ["Login ID"], ["user_id"] = ["User ID", "User"], ["at"] = ["Login At", "Login Time"],
            ["succeeded"] = ["Login Succeeded"], ["kind"] = ["Login Type", "Type"],
        },
        ["contacts"] = new()
        {
            ["id"] = ["Record ID", "Contact ID"], ["first_name"] = ["First Name"], ["last_name"] = ["Last Name"],
            ["email"] = ["Email"], ["phone"] = ["Phone Number"], ["owner_id"] = ["Contact owner"],
            ["company_id"] = ["Associated Company IDs", "Associated Company ID"],
            ["lifecycle_stage"] = ["Lifecycle Stage"], ["lead_status"] = ["Lead Status"],
            // Lifecycle dates: a contact that became a lead is one; it converted when it became an opportunity.
            ["is_lead"] = ["Became a Lead Date"], ["converted_at"] = ["Became an Opportunity Date"],
            ["created_at"] = ["Create Date"], ["modified_at"] = ["Last Modified Date"],
        },
        ["companies"] = new()
        {
            ["id"] = ["Record ID", "Company ID"], ["name"] = ["Company name", "Name"],
            ["domain"] = ["Company Domain Name", "Domain"], ["industry"] = ["Industry"],
            ["owner_id"] = ["Company owner"], ["parent_id"] = ["Parent Company ID", "Parent Company"],
            ["created_at"] = ["Create Date"], ["modified_at"] = ["Last Modified Date"],
        },
        ["deals"] = new()
        {
            ["id"] = ["Record ID", "Deal ID"], ["name"] = ["Deal Name"], ["pipeline"] = ["Pipeline"],
            ["stage"] = ["Deal Stage"], ["amount"] = ["Amount"], ["close_date"] = ["Close Date"],
            ["owner_id"] = ["Deal owner"], ["company_id"] = ["Associated Company IDs", "Associated Company ID"],
            ["contact_id"] = ["Associated Contact IDs", "Associated Contact ID"],
            ["is_closed"] = ["Is Deal Closed?", "Is Closed"], ["is_won"] = ["Is Closed Won"],
            ["closed_at"] = ["Closed Won Date"], ["lost_reason"] = ["Closed Lost Reason"],
            ["created_at"] = ["Create Date"], ["modified_at"] = ["Last Modified Date"],
        },
        ["activities"] = new()
        {
            ["id"] = ["Record ID", "Activity ID"], ["type"] = ["Activity Type", "Engagement Type"],
            ["owner_id"] = ["Activity assigned to", "Activity owner", "Assigned to"],
            ["occurred_at"] = ["Activity date", "Timestamp"], ["created_at"] = ["Create Date"],
            ["modified_at"] = ["Last Modified Date"],
            ["contact_id"] = ["Associated Contact IDs", "Associated Contact ID"],
            ["company_id"] = ["Associated Company IDs", "Associated Company ID"],
            ["deal_id"] = ["Associated Deal IDs", "Associated Deal ID"],
            ["direction"] = ["Call direction", "Email direction", "Direction"], ["due_at"] = ["Due date"],
            ["completed"] = ["Task status"],
        },
    };

    // Salesforce Data Loader / Workbench exports use API field names (Data Loader writes them in upper case, which
    // matching ignores). Relationship fields appear as "UserRole.Name".
    private static readonly Dictionary<string, Dictionary<string, string[]>> SalesforceColumns = new()
    {
        ["users"] = new()
        {
            ["id"] = ["Id"], ["name"] = ["Name"], ["email"] = ["Email"], ["team"] = ["UserRole.Name"],
            ["active"] = ["IsActive"], ["created_at"] = ["CreatedDate"],
        },
        ["logins"] = new()
        {
            ["id"] = ["Id"], ["user_id"] = ["UserId"], ["at"] = ["LoginTime"], ["succeeded"] = ["Status"],
            ["kind"] = ["LoginType"],
        },
        ["contacts"] = new()
        {
            ["id"] = ["Id"], ["first_name"] = ["FirstName"], ["last_name"] = ["LastName"], ["email"] = ["Email"],
            ["phone"] = ["Phone"], ["company_id"] = ["AccountId"], ["owner_id"] = ["OwnerId"],
            // A Lead export read as contacts: IsConverted is not "is a lead", so is_lead needs a Columns mapping.
            ["lead_status"] = ["Status"], ["converted_at"] = ["ConvertedDate"],
            ["created_at"] = ["CreatedDate"], ["modified_at"] = ["LastModifiedDate"],
        },
        ["companies"] = new()
        {
            ["id"] = ["Id"], ["name"] = ["Name"], ["domain"] = ["Website"], ["industry"] = ["Industry"],
            ["owner_id"] = ["OwnerId"], ["parent_id"] = ["ParentId"], ["created_at"] = ["CreatedDate"],
            ["modified_at"] = ["LastModifiedDate"],
        },
        ["deals"] = new()
        {
            ["id"] = ["Id"], ["name"] = ["Name"], ["stage"] = ["StageName"], ["amount"] = ["Amount"],
            ["close_date"] = ["CloseDate"], ["owner_id"] = ["OwnerId"], ["company_id"] = ["AccountId"],
            ["contact_id"] = ["ContactId"], ["is_closed"] = ["IsClosed"], ["is_won"] = ["IsWon"],
            ["stage_entered_at"] = ["LastStageChangeDate"],
            ["created_at"] = ["CreatedDate"], ["modified_at"] = ["LastModifiedDate"],
        },
        // Task and Event exports. WhatId names any object; only opportunity ids (prefix 006) are kept as deal_id.
        ["activities"] = new()
        {
            ["id"] = ["Id"], ["type"] = ["TaskSubtype", "EventSubtype", "Type"], ["owner_id"] = ["OwnerId"],
            ["occurred_at"] = ["ActivityDateTime"], ["created_at"] = ["CreatedDate"],
            ["modified_at"] = ["LastModifiedDate"], ["contact_id"] = ["WhoId"], ["company_id"] = ["AccountId"],
            ["deal_id"] = ["WhatId"], ["direction"] = ["CallType"], ["due_at"] = ["ActivityDate"],
            ["completed"] = ["IsClosed"],
        },
    };
}
