namespace CrmPulse.Core.Store;

/// <summary>Whether the store's writes succeed: the error of the last write when it failed, cleared by the next success.</summary>
public interface IStoreHealth
{
    /// <summary>Null while writes succeed; else the last failure, since when writes fail.</summary>
    StoreWriteFailure? WriteFailure { get; }
}

/// <summary>A failing store: the last error, when writes started failing and when the last one failed.</summary>
public sealed record StoreWriteFailure(string Error, DateTimeOffset Since, DateTimeOffset LastAt);
