namespace CrmPulse.Storage;

/// <summary>The record of one notification to one webhook.</summary>
/// <param name="Id">Row id.</param>
/// <param name="AlertKey">The alert instance (rule|source|dims).</param>
/// <param name="Event">firing, resolved or reminder.</param>
/// <param name="Webhook">The webhook's name.</param>
/// <param name="Status">queued, delivered or failed.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="HttpStatus">The status code of the last answer, if any.</param>
/// <param name="Error">What went wrong on the last attempt, if it failed.</param>
/// <param name="QueuedAt">When the notification was queued.</param>
/// <param name="LastAttemptAt">When the last attempt ended.</param>
public sealed record AlertDelivery(long Id, string AlertKey, string Event, string Webhook, string Status, int Attempts, int? HttpStatus,
    string? Error, DateTimeOffset QueuedAt, DateTimeOffset? LastAttemptAt);
