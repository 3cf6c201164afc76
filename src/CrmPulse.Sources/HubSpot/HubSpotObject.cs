using CrmPulse.Core.Model;

namespace CrmPulse.Sources.HubSpot;

/// <summary>One HubSpot object type the source syncs: its path, modification-stamp property, properties and associations.</summary>
internal sealed record HubSpotObject(
    string Name,
    string TypeId,
    ObjectKind Kind,
    string ModifiedProperty,
    string[] Properties,
    string[] AssociationTargets,
    ActivityType? Activity = null,
    string? ConfigObject = null)
{
    private static readonly string[] EngagementProperties =
        ["hs_timestamp", "hubspot_owner_id", "hs_createdate", "hs_lastmodifieddate", "hs_call_direction", "hs_email_direction",
         "hs_task_status", "hs_task_completion_date"];

    private static readonly string[] EngagementTargets = ["contacts", "companies", "deals"];

    public static readonly HubSpotObject Contacts = new("contacts", "0-1", ObjectKind.Contact, "lastmodifieddate",
        ["email", "phone", "firstname", "lastname", "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "createdate",
         "lastmodifieddate", "associatedcompanyid", "hs_lifecyclestage_lead_date", "hs_lifecyclestage_opportunity_date",
         "hs_lifecyclestage_customer_date", "hs_lifecyclestage_marketingqualifiedlead_date", "hs_lifecyclestage_salesqualifiedlead_date",
         "hs_analytics_source"], ["companies"], ConfigObject: "contact");

    public static readonly HubSpotObject Companies = new("companies", "0-2", ObjectKind.Company, "hs_lastmodifieddate",
        ["name", "domain", "industry", "hubspot_owner_id", "createdate", "hs_lastmodifieddate", "hs_parent_company_id"], [],
        ConfigObject: "company");

    public static readonly HubSpotObject Deals = new("deals", "0-3", ObjectKind.Deal, "hs_lastmodifieddate",
        ["dealname", "dealstage", "pipeline", "amount", "closedate", "createdate", "hs_lastmodifieddate", "hubspot_owner_id",
         "hs_is_closed", "hs_is_closed_won", "hs_is_closed_lost", "closed_lost_reason", "hs_closed_won_date",
         "hs_v2_date_entered_current_stage"], ["companies", "contacts"], ConfigObject: "deal");

    public static readonly HubSpotObject Calls = Engagement("calls", "0-48", ActivityType.Call);
    public static readonly HubSpotObject Emails = Engagement("emails", "0-49", ActivityType.Email);
    public static readonly HubSpotObject Meetings = Engagement("meetings", "0-47", ActivityType.Meeting);
    public static readonly HubSpotObject Notes = Engagement("notes", "0-46", ActivityType.Note);
    public static readonly HubSpotObject Tasks = Engagement("tasks", "0-27", ActivityType.Task);

    /// <summary>In sync order: companies before contacts and deals, so a sync's references mostly resolve.</summary>
    public static readonly IReadOnlyList<HubSpotObject> All = [Companies, Contacts, Deals, Calls, Emails, Meetings, Notes, Tasks];

    /// <summary>The watermark key of this object: "hubspot:contacts".</summary>
    public string WatermarkKey => $"hubspot:{Name}";

    /// <summary>The watermark key of its archived (deleted) listing.</summary>
    public string ArchivedWatermarkKey => $"hubspot:{Name}:archived";

    private static HubSpotObject Engagement(string name, string typeId, ActivityType type) =>
        new(name, typeId, ObjectKind.Activity, "hs_lastmodifieddate", EngagementProperties, EngagementTargets, type);
}
