using CrmPulse.Core.Model;

namespace CrmPulse.Core.Store;

/// <summary>The sync state of one source, as /api/sources shows it.</summary>
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
    long ProblemsTotal);
