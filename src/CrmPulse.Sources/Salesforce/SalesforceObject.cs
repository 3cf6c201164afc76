using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Salesforce;

/// <summary>A Salesforce object the source syncs incrementally on SystemModstamp: its fields, mirror kind and keys.</summary>
internal sealed record SalesforceObject(string Name, ObjectKind Kind, string? ConfigObject, string[] Fields, string? ChildQuery = null)
{
    public static readonly SalesforceObject Account = new("Account", ObjectKind.Company, "company",
        ["Id", "Name", "Website", "Industry", "ParentId", "OwnerId", "CreatedDate", "LastModifiedDate", "SystemModstamp"]);

    public static readonly SalesforceObject Contact = new("Contact", ObjectKind.Contact, "contact",
        ["Id", "FirstName", "LastName", "Email", "Phone", "AccountId", "OwnerId", "LeadSource", "CreatedDate", "LastModifiedDate", "SystemModstamp"]);

    public static readonly SalesforceObject Lead = new("Lead", ObjectKind.Contact, "contact",
        ["Id", "FirstName", "LastName", "Email", "Phone", "Company", "Status", "LeadSource", "IsConverted", "ConvertedDate",
         "ConvertedContactId", "ConvertedAccountId", "OwnerId", "CreatedDate", "LastModifiedDate", "SystemModstamp"]);

    public static readonly SalesforceObject Opportunity = new("Opportunity", ObjectKind.Deal, "deal",
        ["Id", "Name", "StageName", "IsClosed", "IsWon", "CloseDate", "Amount", "OwnerId", "AccountId", "ContactId",
         "LastActivityDate", "LastStageChangeDate", "CreatedDate", "LastModifiedDate", "SystemModstamp"],
        "(SELECT ContactId, IsPrimary FROM OpportunityContactRoles)");

    public static readonly SalesforceObject Task = new("Task", ObjectKind.Activity, null,
        ["Id", "Subject", "TaskSubtype", "Type", "Status", "IsClosed", "ActivityDate", "CompletedDateTime", "CallType", "OwnerId",
         "WhoId", "WhatId", "AccountId", "CreatedDate", "LastModifiedDate", "SystemModstamp"]);

    public static readonly SalesforceObject Event = new("Event", ObjectKind.Activity, null,
        ["Id", "Subject", "EventSubtype", "StartDateTime", "ActivityDateTime", "OwnerId", "WhoId", "WhatId", "AccountId",
         "CreatedDate", "LastModifiedDate", "SystemModstamp"]);

    /// <summary>In sync order: accounts before the contacts and deals that name them.</summary>
    public static readonly IReadOnlyList<SalesforceObject> All = [Account, Contact, Lead, Opportunity, Task, Event];

    /// <summary>Watermark of the records: the latest SystemModstamp seen.</summary>
    public string WatermarkKey => $"salesforce:{Name}";

    /// <summary>Watermark of the deletions: getDeleted's latestDateCovered.</summary>
    public string DeletedKey => $"salesforce:{Name}:deleted";

    /// <summary>The SELECT items: standard fields, configured custom fields, the child sub-query.</summary>
    public IReadOnlyList<string> SelectItems(IEnumerable<string> custom) =>
        Fields.Concat(custom.Where(c => !Fields.Contains(c, StringComparer.OrdinalIgnoreCase))).Concat(ChildQuery is null ? [] : [ChildQuery]).ToList();
}
