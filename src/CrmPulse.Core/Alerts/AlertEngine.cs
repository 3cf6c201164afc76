using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Alerts;

/// <summary>
/// The alert instances of a rule set in memory and their evaluation: the host restores the stored instances into it at
/// start (so states survive a restart), evaluates each rule after every KPI pass and stores what changed. Not thread
/// safe: the host evaluates one round at a time.
/// </summary>
public sealed class AlertEngine
{
    private readonly Dictionary<string, AlertInstance> _instances = new(StringComparer.Ordinal);
    private readonly QuietDays _quiet;

    /// <summary>Starts from <paramref name="restored"/> (instances of rules no longer in the set are left out).</summary>
    public AlertEngine(AlertRuleSet rules, IEnumerable<AlertInstance> restored)
    {
        Rules = rules;
        _quiet = rules.Quiet;
        var names = rules.Rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var instance in restored.Where(i => names.Contains(i.Rule))) _instances[instance.Key] = instance;
    }

    public AlertRuleSet Rules { get; }

    /// <summary>Every known instance (pending, firing, resolved).</summary>
    public IReadOnlyCollection<AlertInstance> Instances => _instances.Values;

    /// <summary>
    /// Evaluates <paramref name="rule"/> over <paramref name="samples"/> at <paramref name="now"/> and advances its
    /// instances. Instances of the rule whose series is missing from the samples keep their state.
    /// </summary>
    public AlertRound Evaluate(AlertRule rule, IReadOnlyList<KpiSample> samples, DateTimeOffset now,
        IReadOnlyCollection<string>? expectedSources = null)
    {
        var changed = new List<AlertInstance>();
        var removed = new List<string>();
        var events = new List<AlertEvent>();
        foreach (var observation in AlertEvaluator.Evaluate(rule, samples, now, _quiet, expectedSources))
        {
            var key = observation.KeyFor(rule.Name);
            var previous = _instances.GetValueOrDefault(key);
            var step = AlertStateMachine.Advance(rule, observation, previous, now);
            if (step.Next is null)
            {
                if (previous is not null) { _instances.Remove(key); removed.Add(key); }
            }
            else if (!ReferenceEquals(step.Next, previous))
            {
                _instances[key] = step.Next;
                changed.Add(step.Next);
            }
            if (step.Event is not null) events.Add(step.Event);
        }
        return new AlertRound(changed, removed, events);
    }
}
