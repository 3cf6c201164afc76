namespace CrmPulse.Core.Model;

/// <summary>A logged activity: call, e-mail, meeting, task or note.</summary>
/// <param name="Id">The CRM's id.</param>
/// <param name="Type">Kind of activity.</param>
/// <param name="OwnerId">The user who logged it or owns it (null when unowned).</param>
/// <param name="OccurredAt">When it happened (for a task: when it was created or its timestamp in the CRM).</param>
/// <param name="CreatedAt">When the record was created in the CRM (logging time).</param>
/// <param name="ModifiedAt">Last modification.</param>
/// <param name="ContactId">Associated contact, if any.</param>
/// <param name="CompanyId">Associated company, if any.</param>
/// <param name="DealId">Associated deal, if any.</param>
/// <param name="Direction">"inbound" or "outbound" for calls and e-mails, when known.</param>
/// <param name="DueAt">Tasks only: due date-time.</param>
/// <param name="Completed">Tasks only: whether it is done.</param>
public sealed record Activity(
    string Id,
    ActivityType Type,
    string? OwnerId,
    DateTimeOffset OccurredAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt,
    string? ContactId = null,
    string? CompanyId = null,
    string? DealId = null,
    string? Direction = null,
    DateTimeOffset? DueAt = null,
    bool Completed = false);
