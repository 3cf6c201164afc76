namespace CrmPulse.Core.Alerts;

/// <summary>
/// The life of an alert instance: (none or resolved) → pending when the condition starts holding → firing once it has
/// held for the rule's <c>For</c> duration (at once when For is 0) → resolved when it stops holding. A pending instance
/// whose condition stops holding is dropped silently. A notification is due only on firing and resolving, and as a
/// reminder when a firing instance has gone <c>RemindEvery</c> without one: never on every evaluation.
/// </summary>
public static class AlertStateMachine
{
    /// <summary>The outcome of one step: the new state (null: forget the instance) and the notification due, if any.</summary>
    public sealed record Step(AlertInstance? Next, AlertEvent? Event);

    /// <summary>Moves one instance forward by one evaluation at <paramref name="now"/>.</summary>
    public static Step Advance(AlertRule rule, AlertObservation observation, AlertInstance? previous, DateTimeOffset now)
    {
        // Cannot tell (too little history, a zero baseline): keep whatever state there is.
        if (observation.Active is not { } active) return new Step(previous, null);
        var summary = AlertTemplate.Render(rule, observation);
        var open = previous is { Status: AlertStatus.Pending or AlertStatus.Firing };

        if (!open)
        {
            if (!active) return new Step(previous, null);
            var pending = new AlertInstance
            {
                Rule = rule.Name, Source = observation.Source, Dimensions = observation.Dimensions, Severity = rule.Severity,
                Status = AlertStatus.Pending, ActiveSince = now, Summary = summary, UpdatedAt = now,
                Value = observation.Value, Baseline = observation.Baseline, ValueAt = observation.At,
            };
            return rule.For <= TimeSpan.Zero ? Fire(rule, pending, now) : new Step(pending, null);
        }

        var updated = previous! with
        {
            Value = observation.Value, Baseline = observation.Baseline, ValueAt = observation.At, Summary = summary,
            Severity = rule.Severity, UpdatedAt = now,
        };
        if (previous!.Status == AlertStatus.Pending)
        {
            if (!active) return new Step(null, null);
            return now - previous.ActiveSince >= rule.For ? Fire(rule, updated, now) : new Step(updated, null);
        }

        // Firing.
        if (!active)
        {
            var resolved = updated with { Status = AlertStatus.Resolved, ResolvedAt = now, LastNotifiedAt = now };
            return new Step(resolved, new AlertEvent(AlertEventKind.Resolved, resolved, LabelsOf(rule, resolved)));
        }
        if (rule.RemindEvery is { } every && previous.LastNotifiedAt is { } last && now - last >= every)
        {
            var reminded = updated with { LastNotifiedAt = now };
            return new Step(reminded, new AlertEvent(AlertEventKind.Reminder, reminded, LabelsOf(rule, reminded)));
        }
        // The values shown stay those that triggered the alert; only the check time moves on.
        return new Step(previous with { UpdatedAt = now }, null);
    }

    /// <summary>The labels of a notification: the rule's labels, then rule, kpi, source, severity and the dimensions.</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(AlertRule rule, AlertInstance instance)
    {
        var labels = new SortedDictionary<string, string>(rule.Labels, StringComparer.Ordinal)
        {
            ["rule"] = rule.Name, ["kpi"] = rule.Kpi, ["source"] = instance.Source, ["severity"] = instance.Severity,
        };
        foreach (var pair in instance.Dimensions.Pairs) labels[pair.Key] = pair.Value;
        return labels;
    }

    private static Step Fire(AlertRule rule, AlertInstance instance, DateTimeOffset now)
    {
        var firing = instance with { Status = AlertStatus.Firing, FiringSince = now, ResolvedAt = null, LastNotifiedAt = now };
        return new Step(firing, new AlertEvent(AlertEventKind.Firing, firing, LabelsOf(rule, firing)));
    }
}
