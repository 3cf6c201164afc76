namespace CrmPulse.Core.Alerts;

/// <summary>The state of one alert instance (one rule on one series).</summary>
public enum AlertStatus
{
    /// <summary>The condition holds, but not yet for the rule's <c>For</c> duration; nothing is sent.</summary>
    Pending,

    /// <summary>The condition has held for the <c>For</c> duration; a notification went out.</summary>
    Firing,

    /// <summary>The condition stopped holding after the alert fired; a notification went out.</summary>
    Resolved,
}
