using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Reconciliation;

/// <summary>
/// One reconciliation pass: the samples and issues (the drill-down) it stores, and what it found in a shape a re-import
/// needs (the old records themselves, the new ids of matched records).
/// </summary>
public sealed record ReconciliationFindings(
    KpiResult Kpis,
    IReadOnlyList<CrmRecord> Missing,
    IReadOnlyList<CrmRecord> Extra,
    IReadOnlyList<CrmRecord> Delta,
    IReadOnlyList<LostAssociation> LostAssociations,
    IReadOnlyList<EmptiedProperty> EmptiedProperties);

/// <summary>An association of the old system that the new one lacks: the new record <paramref name="NewId"/> should point
/// (through <paramref name="Association"/>: "company" or "contact") at <paramref name="NewTargetId"/>, and points at
/// <paramref name="NewCurrentTargetId"/> (null: nothing).</summary>
public sealed record LostAssociation(string Object, string OldId, string NewId, string Association, string OldTargetId,
    string NewTargetId, string? NewCurrentTargetId);

/// <summary>A property filled in the old system and empty in the new one on a matched record.</summary>
public sealed record EmptiedProperty(string Object, string OldId, string NewId, string OldField, string NewField, string OldValue);
