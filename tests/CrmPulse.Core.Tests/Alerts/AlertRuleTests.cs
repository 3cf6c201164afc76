using CrmPulse.Core.Alerts;
using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Tests.Alerts;

public sealed class AlertRuleTests
{
    [Fact]
    public void Validation_names_the_rule_and_every_problem()
    {
        var set = new AlertRuleSet
        {
            Rules =
            [
                new AlertRule { Name = "Bad Name", Kind = AlertKind.Drop, Kpi = "x", Threshold = 0, Periods = 0, Severity = "loud" },
                new AlertRule { Name = "a", Kind = AlertKind.Absent, Kpi = "x" },
                new AlertRule { Name = "a", Kind = AlertKind.Above, Kpi = "x", Threshold = 1, Summary = "{{team}} {{value}}" },
            ],
        };
        Assert.Equal(
        [
            "rules.json: rules[0] (Bad Name): name 'Bad Name' may hold only lower-case letters, digits, '-' and '_' and is required.",
            "rules.json: rules[0] (Bad Name): severity 'loud' must be one of info, warning, critical.",
            "rules.json: rules[0] (Bad Name): threshold must be a fraction above 0 (0.25 = 25 %), was 0.",
            "rules.json: rules[0] (Bad Name): periods must be between 1 and 60, was 0.",
            "rules.json: rules[1] (a): staleAfter (a positive duration) is required for kind absent.",
            "rules.json: rules[2] (a): summary: unknown placeholder {{team}} (known: baseline, change, kpi, rule, severity, since, source, value)",
            "rules.json: the rule name 'a' is used 2 times; names must be unique.",
        ], set.Validate("rules.json"));
    }

    [Fact]
    public void The_summary_fills_dimensions_values_baseline_and_change()
    {
        var rule = AlertSeries.Drop(summary: "{{team}}: {{value}} vs {{baseline}} ({{change}}) in {{source}}, {{ rule }}");
        var text = AlertTemplate.Render(rule, new AlertObservation("demo", Dimensions.Of(("team", "CS")), true, 0.25, 0.8, null));
        // (0.25 − 0.8) ÷ 0.8 = −0.6875 → "-69%".
        Assert.Equal("CS: 0.25 vs 0.8 (-69%) in demo, adoption-drop", text);
        Assert.Equal("adoption-drop: weekly_active_ratio of demo (team CS) is 0.25, -69% versus the baseline 0.8",
            AlertTemplate.Render(AlertSeries.Drop(), new AlertObservation("demo", Dimensions.Of(("team", "CS")), true, 0.25, 0.8, null)));
    }
}
