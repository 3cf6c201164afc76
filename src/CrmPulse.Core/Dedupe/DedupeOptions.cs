namespace CrmPulse.Core.Dedupe;

/// <summary>Deduplication settings (configuration: CrmPulse:Sources:N:Dedupe). The defaults are the tuned ones.</summary>
public sealed class DedupeOptions
{
    /// <summary>Pairs scoring at or above this (0..1) are duplicates.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Blocks larger than this are too common to compare pairwise (e.g. a shared switchboard number) and are skipped.</summary>
    public int MaxBlockSize { get; set; } = 50;

    public IEnumerable<string> Validate()
    {
        if (Threshold is <= 0 or > 1) yield return $"Threshold must be in (0, 1], was {Threshold}.";
        if (MaxBlockSize < 2) yield return $"MaxBlockSize must be at least 2, was {MaxBlockSize}.";
    }
}
