namespace CrmPulse.Core.Kpis;

/// <summary>Which way is good: it tells alerts and reports whether a rise is an improvement.</summary>
public enum KpiDirection
{
    HigherIsBetter,
    LowerIsBetter,
    Neutral,
}
