namespace CrmPulse.Core.Alerts;

/// <summary>The rules file: the rules and the holidays that drop and rise rules treat as quiet days.</summary>
public sealed class AlertRuleSet
{
    /// <summary>The rules, evaluated in this order.</summary>
    public List<AlertRule> Rules { get; set; } = [];

    /// <summary>Dates (UTC) that are quiet like weekends, e.g. "2026-12-25". Default none.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>Weekends plus <see cref="Holidays"/>.</summary>
    public QuietDays Quiet => new(Holidays);

    /// <summary>Every problem of every rule, each prefixed with <paramref name="where"/> and the rule's index and name.</summary>
    public IReadOnlyList<string> Validate(string where)
    {
        var errors = new List<string>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule is null) { errors.Add($"{where}: rules[{i}] is empty."); continue; }
            errors.AddRange(rule.Validate($"{where}: rules[{i}] ({rule.Name})"));
        }
        foreach (var dup in Rules.Where(r => r is not null).GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add($"{where}: the rule name '{dup.Key}' is used {dup.Count()} times; names must be unique.");
        return errors;
    }
}
