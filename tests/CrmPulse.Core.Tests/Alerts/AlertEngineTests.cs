using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;
using static CrmPulse.Core.Tests.Alerts.AlertSeries;

namespace CrmPulse.Core.Tests.Alerts;

/// <summary>States over time: evaluations at given (fake) times, as the host would run them after KPI passes.</summary>
public sealed class AlertEngineTests
{
    private static AlertRule Down(TimeSpan? forDuration = null, TimeSpan? remind = null) => new()
    {
        Name = "integration-down", Kind = AlertKind.Below, Kpi = "probe_up", Threshold = 1, Dimensions = new() { ["team"] = "*" },
        For = forDuration ?? TimeSpan.Zero, RemindEvery = remind, Severity = "critical",
        Summary = "{{team}} is down (value {{value}})",
    };

    private static AlertEngine EngineFor(AlertRule rule, IEnumerable<AlertInstance>? restored = null) =>
        new(new AlertRuleSet { Rules = [rule] }, restored ?? []);

    /// <summary>Probe samples every 5 minutes from 09:00: the given values for team "x".</summary>
    private static List<KpiSample> Probes(params double[] values) =>
        values.Select((v, i) => Sample("probe_up", v, Monday.AddMinutes(5 * i), "x")).ToList();

    /// <summary>Evaluates at each sample's time (09:00, 09:05, …) and records every event with its minute.</summary>
    private static List<(int Minute, AlertEventKind Kind)> Run(AlertEngine engine, AlertRule rule, List<KpiSample> samples)
    {
        var events = new List<(int, AlertEventKind)>();
        foreach (var sample in samples)
        {
            var round = engine.Evaluate(rule, samples, sample.Time);
            events.AddRange(round.Events.Select(e => ((int)(sample.Time - Monday).TotalMinutes, e.Kind)));
        }
        return events;
    }

    [Fact]
    public void Without_for_an_alert_fires_at_the_first_failing_evaluation_and_resolves_at_the_first_passing_one()
    {
        var rule = Down();
        var engine = EngineFor(rule);
        // Up at 09:00, down 09:05 to 09:15, up at 09:20.
        var events = Run(engine, rule, Probes(1, 0, 0, 0, 1));
        Assert.Equal([(5, AlertEventKind.Firing), (20, AlertEventKind.Resolved)], events);
        var instance = Assert.Single(engine.Instances);
        Assert.Equal((AlertStatus.Resolved, Monday.AddMinutes(5), Monday.AddMinutes(20)), (instance.Status, instance.FiringSince!.Value, instance.ResolvedAt!.Value));
    }

    [Fact]
    public void With_for_the_alert_is_pending_until_the_condition_has_held_that_long()
    {
        var rule = Down(TimeSpan.FromMinutes(10));
        var engine = EngineFor(rule);
        // Down from 09:05: pending at 09:05 and 09:10, firing at 09:15 (10 minutes held), resolved at 09:25.
        var samples = Probes(1, 0, 0, 0, 0, 1);
        var events = new List<(int, AlertEventKind)>();
        var statuses = new List<AlertStatus?>();
        foreach (var s in samples)
        {
            events.AddRange(engine.Evaluate(rule, samples, s.Time).Events.Select(e => ((int)(s.Time - Monday).TotalMinutes, e.Kind)));
            statuses.Add(engine.Instances.SingleOrDefault()?.Status);
        }
        Assert.Equal([(15, AlertEventKind.Firing), (25, AlertEventKind.Resolved)], events);
        Assert.Equal([null, AlertStatus.Pending, AlertStatus.Pending, AlertStatus.Firing, AlertStatus.Firing, AlertStatus.Resolved], statuses);
    }

    [Fact]
    public void A_pending_alert_that_clears_before_for_elapses_is_dropped_without_any_notification()
    {
        var rule = Down(TimeSpan.FromMinutes(10));
        var engine = EngineFor(rule);
        // Down at 09:05 only: pending, then forgotten at 09:10.
        Assert.Empty(Run(engine, rule, Probes(1, 0, 1, 1)));
        Assert.Empty(engine.Instances);
    }

    [Fact]
    public void Repeated_evaluations_of_an_unchanged_state_send_nothing_more()
    {
        var rule = Down();
        var engine = EngineFor(rule);
        var samples = Probes(0);
        // Ten evaluations a minute apart over the same failing sample: one firing notification in all.
        var events = Enumerable.Range(0, 10).SelectMany(m => engine.Evaluate(rule, samples, Monday.AddMinutes(m)).Events).ToList();
        Assert.Equal(AlertEventKind.Firing, Assert.Single(events).Kind);
    }

    [Fact]
    public void A_firing_alert_is_reminded_after_the_interval_without_another_notification()
    {
        var rule = Down(remind: TimeSpan.FromMinutes(12));
        var engine = EngineFor(rule);
        // Down from 09:00 to 09:30: firing 09:00, reminders at 09:15 (15 ≥ 12 after 09:00) and 09:30 (15 after 09:15);
        // 09:05 and 09:10 are within 12 minutes of the last notification.
        var events = Run(engine, rule, Probes(0, 0, 0, 0, 0, 0, 0, 1));
        Assert.Equal([(0, AlertEventKind.Firing), (15, AlertEventKind.Reminder), (30, AlertEventKind.Reminder), (35, AlertEventKind.Resolved)], events);
    }

    [Fact]
    public void States_survive_a_restart_so_a_firing_alert_is_not_announced_again()
    {
        var rule = Down(TimeSpan.FromMinutes(5));
        var samples = Probes(1, 0, 0, 0, 1);
        var first = EngineFor(rule);
        first.Evaluate(rule, samples, Monday.AddMinutes(5));   // pending
        // "Restart": a new engine from the stored instances, mid-pending: it fires 5 minutes after 09:05, not after its start.
        var second = EngineFor(rule, first.Instances.ToList());
        var fired = second.Evaluate(rule, samples, Monday.AddMinutes(10));
        Assert.Equal(AlertEventKind.Firing, Assert.Single(fired.Events).Kind);
        var third = EngineFor(rule, second.Instances.ToList());
        Assert.Empty(third.Evaluate(rule, samples, Monday.AddMinutes(15)).Events);
        Assert.Equal(AlertEventKind.Resolved, Assert.Single(third.Evaluate(rule, samples, Monday.AddMinutes(20)).Events).Kind);
    }

    [Fact]
    public void A_firing_notification_carries_the_triggering_values_labels_and_summary()
    {
        var rule = Down();
        rule.Labels = new() { ["owner"] = "revops" };
        var engine = EngineFor(rule);
        var e = Assert.Single(engine.Evaluate(rule, Probes(0), Monday).Events);
        Assert.Equal("x is down (value 0)", e.Instance.Summary);
        Assert.Equal((0.0, Monday), (e.Instance.Value!.Value, e.Instance.ValueAt!.Value));
        Assert.Equal(new Dictionary<string, string>
        {
            ["kpi"] = "probe_up", ["owner"] = "revops", ["rule"] = "integration-down", ["severity"] = "critical", ["source"] = "crm", ["team"] = "x",
        }, e.Labels);
    }

    [Fact]
    public void A_drop_alert_resolves_when_the_value_recovers()
    {
        var rule = Drop(periods: 2);
        var engine = EngineFor(rule);
        // Mon 1.0, Tue 1.0, Wed 0.5 (drop 0.5: fires), Thu 0.95 (baseline Wed 0.5, Tue 1.0 → 0.75: a rise, resolves).
        var samples = Daily("weekly_active_ratio", Monday, "a", 1.0, 1.0, 0.5, 0.95);
        var events = samples.Select(s => (s.Time, Events: engine.Evaluate(rule, samples, s.Time).Events))
            .SelectMany(x => x.Events.Select(e => ((x.Time - Monday).Days, e.Kind, e.Instance.Value, e.Instance.Baseline))).ToList();
        Assert.Equal([(2, AlertEventKind.Firing, (double?)0.5, (double?)1.0), (3, AlertEventKind.Resolved, 0.95, 0.75)], events);
    }
}
