using CrmPulse.Core.Model;

namespace CrmPulse.Core.Store;

/// <summary>The sync state of one source, as /api/sources shows it.</summary>
/// <param name="LastAttemptAt">When the last sync ran, whatever its outcome.</param>
/// <param name="LastSuccessAt">When the last sync succeeded in full (no kind failed).</param>
/// <param name="LastError">Why the last sync failed (the source could not be read, or a kind could not be trusted);
/// null when the last sync succeeded: a successful sync clears it.</param>
/// <param name="LastErrorAt">When that failed sync ran; null when the last sync succeeded.</param>
/// <param name="LastProblems">Up to 100 problems of the last sync, as text ("contacts.csv:12: column 'email': …").</param>
/// <param name="ProblemsTotal">Problems counted over all syncs.</param>
public sealed record SyncState(
    string Source,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    IReadOnlyDictionary<ObjectKind, int> RecordCounts,
    IReadOnlyList<string> LastProblems,
    long ProblemsTotal)
{
    /// <summary>Rows or records rejected over all syncs (a row with several bad cells counts once).</summary>
    public long RejectedTotal { get; init; }

    /// <summary>Up to 100 notices of the last sync (read with a caveat, nothing skipped), as text.</summary>
    public IReadOnlyList<string> LastNotices { get; init; } = [];

    /// <summary>Notices counted over all syncs.</summary>
    public long NoticesTotal { get; init; }

    /// <summary>Per kind that a sync has read or tried to read: when it was last read, and its current error.</summary>
    public IReadOnlyDictionary<ObjectKind, KindState> Kinds { get; init; } = new Dictionary<ObjectKind, KindState>();

    /// <summary>"ok" when the last sync succeeded, "failed" when it did not (see <see cref="LastError"/>), "pending" before
    /// the first sync.</summary>
    public string Status => LastError is not null ? "failed" : LastSuccessAt is not null ? "ok" : "pending";

    /// <summary>The kinds read successfully at least once: the KPIs resting on any other kind are left out.</summary>
    public IReadOnlySet<ObjectKind> ReadKinds => Kinds.Where(k => k.Value.ReadAt is not null).Select(k => k.Key).ToHashSet();
}
