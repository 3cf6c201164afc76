namespace CrmPulse.Core.Alerts;

/// <summary>Why a notification is sent: only on a change of state, or as a reminder of an alert still firing.</summary>
public enum AlertEventKind
{
    Firing,
    Resolved,
    Reminder,
}
