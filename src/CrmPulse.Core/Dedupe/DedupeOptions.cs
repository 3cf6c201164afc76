namespace CrmPulse.Core.Dedupe;

/// <summary>Deduplication settings (configuration: CrmPulse:Sources:N:Dedupe). The defaults are the tuned ones.</summary>
public sealed class DedupeOptions
{
    /// <summary>With the fixed weights (fewer than <see cref="MinRecordsForModel"/> records), pairs whose match
    /// probability is at or above this (0..1] are duplicates. Default 0.8: a total weight of
    /// 11 bits or more (README "Deduplication"). Lower finds more duplicates and more false ones.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>With weights fitted to the data (<see cref="MinRecordsForModel"/> records or more), pairs whose match
    /// probability is at or above this (0..1] are duplicates. Default 0.999: the fitted model takes the fields as
    /// independent, which they are not quite (a duplicate typed from one source agrees on many fields at once), so its
    /// probabilities are more extreme than the fixed weights' (README "Deduplication" has the figures).</summary>
    public double ModelThreshold { get; set; } = 0.999;

    /// <summary>Blocks larger than this are too common to compare pairwise (e.g. a shared switchboard number, a common
    /// birth date): their records are sorted by name code and each is compared with its next MaxBlockSize − 1.
    /// Default 50; it bounds the comparisons per record, which keeps the work linear in the records.</summary>
    public int MaxBlockSize { get; set; } = 50;

    /// <summary>Two clusters join only when at least this share (0..1] of the pairs between them matched. Default 0.5:
    /// a record joins a cluster only by matching half its members, so a chain of look-alikes does not become one
    /// cluster (README "Deduplication"). 0 would be plain connected components.</summary>
    public double MinLinkShare { get; set; } = 0.5;

    /// <summary>From this many records on, the weights are fitted to the data (unsupervised, EM); below it the fixed
    /// weights are used. Default 1,000 (README "Deduplication").</summary>
    public int MinRecordsForModel { get; set; } = 1000;

    /// <summary>The problems of these settings, one sentence each (none when valid).</summary>
    public IEnumerable<string> Validate()
    {
        if (Threshold is <= 0 or > 1) yield return $"Threshold must be in (0, 1], was {Threshold}.";
        if (ModelThreshold is <= 0 or > 1) yield return $"ModelThreshold must be in (0, 1], was {ModelThreshold}.";
        if (MinLinkShare is < 0 or > 1) yield return $"MinLinkShare must be in [0, 1], was {MinLinkShare}.";
        if (MinRecordsForModel < 2) yield return $"MinRecordsForModel must be at least 2, was {MinRecordsForModel}.";
        if (MaxBlockSize < 2) yield return $"MaxBlockSize must be at least 2, was {MaxBlockSize}.";
    }
}
