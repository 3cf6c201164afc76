namespace CrmPulse.Core.Alerts;

/// <summary>A notification to send: the instance as it is after the change, and why.</summary>
/// <param name="Kind">Firing, resolved or reminder.</param>
/// <param name="Instance">The instance's new state.</param>
/// <param name="Labels">The rule's labels plus the series' dimensions, source and severity.</param>
public sealed record AlertEvent(AlertEventKind Kind, AlertInstance Instance, IReadOnlyDictionary<string, string> Labels);
