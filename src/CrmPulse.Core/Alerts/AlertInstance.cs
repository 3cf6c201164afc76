using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Alerts;

/// <summary>
/// The stored state of one alert instance: one rule on one series (source and dimensions). Kept across restarts.
/// </summary>
public sealed record AlertInstance
{
    public required string Rule { get; init; }
    public required string Source { get; init; }
    public required Dimensions Dimensions { get; init; }
    public required string Severity { get; init; }
    public required AlertStatus Status { get; init; }

    /// <summary>When the condition started holding (start of the pending phase of this episode).</summary>
    public required DateTimeOffset ActiveSince { get; init; }

    /// <summary>When the instance started firing, if it did in this episode.</summary>
    public DateTimeOffset? FiringSince { get; init; }

    /// <summary>When it resolved, once it has.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>When the last notification (firing, reminder, resolved) was queued.</summary>
    public DateTimeOffset? LastNotifiedAt { get; init; }

    /// <summary>The value that triggered (or, once resolved, that resolved) the alert.</summary>
    public double? Value { get; init; }

    /// <summary>The baseline median it was compared with (drop and rise rules).</summary>
    public double? Baseline { get; init; }

    /// <summary>The time of the sample behind <see cref="Value"/>.</summary>
    public DateTimeOffset? ValueAt { get; init; }

    /// <summary>The rule's summary template filled in for this instance.</summary>
    public required string Summary { get; init; }

    /// <summary>The last evaluation that changed or confirmed this state.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public string Key => MakeKey(Rule, Source, Dimensions);

    /// <summary>"rule|source|dims": unique per instance.</summary>
    public static string MakeKey(string rule, string source, Dimensions dimensions) => $"{rule}|{source}|{dimensions.Key}";
}
