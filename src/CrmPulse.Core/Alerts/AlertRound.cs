namespace CrmPulse.Core.Alerts;

/// <summary>What one evaluation of a rule changed.</summary>
/// <param name="Changed">Instances created or updated (to store).</param>
/// <param name="Removed">Keys of instances to forget (pending ones whose condition stopped holding).</param>
/// <param name="Events">Notifications due, in series order.</param>
public sealed record AlertRound(IReadOnlyList<AlertInstance> Changed, IReadOnlyList<string> Removed, IReadOnlyList<AlertEvent> Events);
