using System.Reflection;
using System.Text.RegularExpressions;
using CrmPulse.Core.Reconciliation;
using CrmPulse.Hosting;
using CrmPulse.Options;

namespace CrmPulse.Reconciliation;

/// <summary>Validation of CrmPulse:Reconciliation: every key of every pair, with the key it concerns.</summary>
public static partial class ReconciliationChecks
{
    /// <summary>Adds every problem to <paramref name="errors"/> and replaces the options' list by the entries that bound.</summary>
    public static void Check(IConfigurationSection section, CrmPulseOptions options, IReadOnlyList<ConfiguredSource> sources, List<string> errors)
    {
        var entries = section.GetChildren().Select(e => (Section: e, Options: OptionsLoader.Bind<ReconciliationOptions>(e, errors)))
            .Where(e => e.Options is not null).Select(e => (e.Section, Options: e.Options!)).ToList();
        var sourceNames = sources.Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (entry, pair) in entries)
        {
            var key = $"CrmPulse:Reconciliation:{entry.Key}";
            UnknownKeys(entry, typeof(ReconciliationOptions), key, errors);
            if (string.IsNullOrWhiteSpace(pair.Name)) errors.Add($"{key}:Name is required (it becomes the source tag of the pair's samples).");
            else if (!NamePattern().IsMatch(pair.Name))
                errors.Add($"{key}:Name '{pair.Name}' may hold only lower-case letters, digits, '-' and '_' (it becomes the source tag).");
            else if (sourceNames.Contains(pair.Name))
                errors.Add($"{key}:Name '{pair.Name}' is a source's name; a pair needs a name of its own (its samples are tagged with it).");
            foreach (var (side, name) in new[] { ("Old", pair.Old), ("New", pair.New) })
            {
                if (string.IsNullOrWhiteSpace(name)) errors.Add($"{key}:{side} is required (a configured source's name).");
                else if (!sources.Any(s => s.Name == name))
                    errors.Add($"{key}:{side} '{name}' is not a configured source (known: {string.Join(", ", sources.Select(s => s.Name))}).");
            }
            if (pair.Old is not null && pair.Old == pair.New) errors.Add($"{key}: Old and New are both '{pair.Old}'; a pair compares two different sources.");
            if (pair.Every is { } every && every < TimeSpan.FromSeconds(10)) errors.Add($"{key}:Every must be at least 00:00:10, was {every}.");
            var enabled = 0;
            foreach (var (obj, objKey, _, _) in ReconciliationOptions.Defaults)
            {
                var o = pair.For(obj);
                UnknownKeys(entry.GetSection(objKey), typeof(ObjectMatchOptions), $"{key}:{objKey}", errors);
                if (o?.Enabled == false) continue;
                enabled++;
                if (o is null) continue;
                var keys = o.MatchBy ?? [];
                for (var i = 0; i < keys.Count; i++)
                {
                    var k = ObjectMatchOptions.ParseKey(keys[i]);
                    if (k is null)
                        errors.Add($"{key}:{objKey}:MatchBy:{i} '{keys[i]}' is not a match key (known: {string.Join(", ", ObjectMatchOptions.KeyNames)}).");
                    else if (!RecordMatcher.Applies(k.Value, obj))
                        errors.Add($"{key}:{objKey}:MatchBy:{i} '{keys[i]}' does not apply to {obj} records.");
                    else if (k == MatchKey.ExternalId && string.IsNullOrWhiteSpace(o.ExternalIdField))
                        errors.Add($"{key}:{objKey}:ExternalIdField is required with MatchBy external_id (the new system's field holding the old record's id; 'id' when both share ids).");
                }
                for (var i = 0; i < (o.Properties?.Count ?? 0); i++)
                {
                    var p = ObjectMatchOptions.ParseProperty(o.Properties![i]);
                    if (p.Old.Length == 0 || p.New.Length == 0)
                        errors.Add($"{key}:{objKey}:Properties:{i} '{o.Properties[i]}' needs a field name on both sides ('field' or 'old_field=new_field').");
                }
            }
            if (enabled == 0) errors.Add($"{key}: every object is disabled; a pair reconciles at least one of Contacts, Companies, Deals.");
        }
        foreach (var dup in entries.Select(e => e.Options.Name).Where(n => !string.IsNullOrWhiteSpace(n)).GroupBy(n => n!, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"CrmPulse:Reconciliation: the name '{dup.Key}' is used by more than one pair; names must be unique.");
        options.Reconciliation = entries.Select(e => e.Options).ToList();
    }

    private static void UnknownKeys(IConfigurationSection section, Type type, string key, List<string> errors)
    {
        var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren().Where(c => !known.Contains(c.Key)))
            errors.Add($"{key}:{child.Key} is not a known setting (known: {string.Join(", ", known.Order(StringComparer.Ordinal))}).");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
