namespace CrmPulse.Storage;

/// <summary>The record of one scheduled sending of the leadership report on one channel.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Schedule">The schedule's name (CrmPulse:Reports:Schedules:N:Name).</param>
/// <param name="Channel">email or slack.</param>
/// <param name="Target">What it went to, without secrets ("2 recipients", "webhook").</param>
/// <param name="Period">week, month or quarter.</param>
/// <param name="Status">queued (being attempted or waiting to retry), delivered or failed (gave up).</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="Error">What went wrong on the last attempt, if it failed.</param>
/// <param name="QueuedAt">When the sending was queued.</param>
/// <param name="LastAttemptAt">When the last attempt ended.</param>
public sealed record ReportDelivery(long Id, string Schedule, string Channel, string Target, string Period, string Status, int Attempts,
    string? Error, DateTimeOffset QueuedAt, DateTimeOffset? LastAttemptAt);
