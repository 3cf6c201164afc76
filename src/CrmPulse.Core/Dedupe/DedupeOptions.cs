namespace CrmPulse.Core.Dedupe;

/// <summary>Deduplication settings (configuration: CrmPulse:Sources:N:Dedupe). The defaults are the tuned ones.</summary>
public sealed class DedupeOptions
{
    /// <summary>Pairs whose match probability is at or above this (0..1] are duplicates. Default 0.8: a total weight of
    /// 11 bits or more (README "Deduplication"). Lower finds more duplicates and more false ones.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Blocks larger than this are too common to compare pairwise (e.g. a shared switchboard number) and are
    /// skipped. Default 50; it bounds the comparisons per record, which keeps the work linear in the records.</summary>
    public int MaxBlockSize { get; set; } = 50;

    /// <summary>The problems of these settings, one sentence each (none when valid).</summary>
    public IEnumerable<string> Validate()
    {
        if (Threshold is <= 0 or > 1) yield return $"Threshold must be in (0, 1], was {Threshold}.";
        if (MaxBlockSize < 2) yield return $"MaxBlockSize must be at least 2, was {MaxBlockSize}.";
    }
}
