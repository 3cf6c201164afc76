namespace CrmPulse.Core.Alerts;

/// <summary>What an alert rule compares.</summary>
public enum AlertKind
{
    /// <summary>The latest value is above <see cref="AlertRule.Threshold"/>.</summary>
    Above,

    /// <summary>The latest value is below <see cref="AlertRule.Threshold"/>.</summary>
    Below,

    /// <summary>The latest value is at least <see cref="AlertRule.Threshold"/> (a fraction) below the baseline median.</summary>
    Drop,

    /// <summary>The latest value is at least <see cref="AlertRule.Threshold"/> (a fraction) above the baseline median.</summary>
    Rise,

    /// <summary>No sample newer than <see cref="AlertRule.StaleAfter"/> (no fresh data).</summary>
    Absent,
}
