using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Core.Store;

/// <summary>The local copy of what the KPIs need, per source, with its watermarks and sync state.</summary>
public interface IMirror
{
    /// <summary>The watermarks stored by the last committed sync of <paramref name="source"/> (empty before the first).</summary>
    Task<IReadOnlyDictionary<string, string>> GetWatermarksAsync(string source, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a change set in ONE transaction: upserts (by kind and id; a record seen twice is stored once),
    /// deletions, complete-kind replacement (minus retained ids), the new watermarks, and the sync state (problems,
    /// rejected rows and notices of this sync; the kinds read at <paramref name="at"/>). Without failed kinds it is a
    /// success (last success = <paramref name="at"/>, the previous error cleared); with failed kinds the rest is applied
    /// but the sync is recorded as failed, naming each (<see cref="ApplyResult.Error"/>). Either all of it is committed or none.
    /// </summary>
    Task<ApplyResult> ApplyAsync(string source, ChangeSet changes, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records a failed sync: the attempt and its error, until a successful sync clears it (nothing else changes).</summary>
    Task RecordFailureAsync(string source, string error, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Reads everything stored for a source.</summary>
    Task<CrmSnapshot> LoadSnapshotAsync(string source, CancellationToken cancellationToken);

    /// <summary>The sync state of every source that has one.</summary>
    Task<IReadOnlyList<SyncState>> GetSyncStatesAsync(CancellationToken cancellationToken);
}
