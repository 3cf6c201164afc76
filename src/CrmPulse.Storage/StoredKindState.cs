namespace CrmPulse.Storage;

/// <summary>One kind's entry in sync_state.kinds (JSON): times in unix ms.</summary>
internal sealed record StoredKindState(long? ReadAt, string? Error = null, long? ErrorAt = null);
