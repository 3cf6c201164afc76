using System.Reflection;
using CrmPulse.Core.Kpis;
using CrmPulse.Hosting;
using CrmPulse.Integrations;

namespace CrmPulse.Options;

/// <summary>Validation of the CrmPulse:Integrations and CrmPulse:Targets lists: every key of every entry, with clear messages.</summary>
internal static class IntegrationAndTargetChecks
{
    /// <summary>Adds every problem of both lists to <paramref name="errors"/>; targets' sources are checked against <paramref name="sources"/>.</summary>
    /// <remarks>The configuration binder silently drops a list entry with a value of the wrong type (Timeout "soon"), so
    /// each entry is bound here on its own, reporting the key, and the lists of <paramref name="options"/> are replaced.</remarks>
    public static void Check(IConfigurationSection section, CrmPulseOptions options, IReadOnlyList<ConfiguredSource> sources, List<string> errors)
    {
        var integrations = BindEach<IntegrationOptions>(section.GetSection("Integrations"), errors);
        var targets = BindEach<TargetOptions>(section.GetSection("Targets"), errors);
        CheckIntegrations(integrations, errors);
        CheckTargets(targets, sources, errors);
        options.Integrations = integrations.Select(e => e.Options).ToList();
        options.Targets = targets.Select(e => e.Options).ToList();
    }

    private static List<(IConfigurationSection Section, T Options)> BindEach<T>(IConfigurationSection list, List<string> errors) where T : class, new() =>
        list.GetChildren()
            .Select(entry => (Section: entry, Options: OptionsLoader.Bind<T>(entry, errors)))
            .Where(e => e.Options is not null)
            .Select(e => (e.Section, e.Options!))
            .ToList();

    /// <summary>The record rules of the integrations that name a source field (for every source's KPI options).</summary>
    public static IReadOnlyList<IntegrationFieldRule> FieldRules(CrmPulseOptions options) =>
        options.Integrations.Select(i => i.ToFieldRule()).OfType<IntegrationFieldRule>().ToList();

    private static void CheckIntegrations(List<(IConfigurationSection Section, IntegrationOptions Options)> entries, List<string> errors)
    {
        foreach (var (section, integration) in entries)
        {
            var key = $"CrmPulse:Integrations:{section.Key}";
            UnknownKeys(section, typeof(IntegrationOptions), key, errors);
            errors.AddRange(integration.Validate(key));
        }
        foreach (var dup in entries.Select(e => e.Options).Where(i => !string.IsNullOrWhiteSpace(i.Name)).GroupBy(i => i.Name!, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add($"CrmPulse:Integrations: the name '{dup.Key}' is used by more than one integration; names must be unique.");
    }

    private static void CheckTargets(List<(IConfigurationSection Section, TargetOptions Options)> entries, IReadOnlyList<ConfiguredSource> sources, List<string> errors)
    {
        var sourceNames = sources.Select(s => s.Name).Append(IntegrationKpis.ProbeSource).ToList();
        foreach (var (section, t) in entries)
        {
            var key = $"CrmPulse:Targets:{section.Key}";
            UnknownKeys(section, typeof(TargetOptions), key, errors);
            if (string.IsNullOrWhiteSpace(t.Kpi)) errors.Add($"{key}:Kpi is required (a catalog id, see GET /api/kpis).");
            else if (!KpiCatalog.TryGet(t.Kpi, out var def)) errors.Add($"{key}:Kpi '{t.Kpi}' is not in the KPI catalog (see GET /api/kpis).");
            else
            {
                if (def.Direction == KpiDirection.Neutral)
                    errors.Add($"{key}:Kpi '{t.Kpi}' is neutral (neither higher nor lower is better), so a target has no direction.");
                foreach (var (name, value) in t.Dimensions)
                {
                    if (!def.Dimensions.Contains(name))
                        errors.Add($"{key}:Dimensions:{name} is not a dimension of {t.Kpi} (dimensions: {(def.Dimensions.Count == 0 ? "none" : string.Join(", ", def.Dimensions))}).");
                    else if (string.IsNullOrWhiteSpace(value)) errors.Add($"{key}:Dimensions:{name} must not be empty (leave it out for the roll-up).");
                }
            }
            if (t.Value is null) errors.Add($"{key}:Value is required (the target, in the KPI's unit).");
            else if (!double.IsFinite(t.Value.Value)) errors.Add($"{key}:Value must be a finite number, was {t.Value}.");
            if (t.By is null) errors.Add($"{key}:By is required (a date, yyyy-MM-dd).");
            if (t.Source is not null && !sourceNames.Contains(t.Source, StringComparer.Ordinal))
                errors.Add($"{key}:Source '{t.Source}' is not a configured source (known: {string.Join(", ", sourceNames)}).");
        }
        foreach (var dup in entries.Select(e => e.Options).Where(t => t.Kpi is not null)
                     .GroupBy(t => (t.Kpi, t.Source, Dimensions.Of(t.Dimensions).Key)).Where(g => g.Count() > 1))
            errors.Add($"CrmPulse:Targets: more than one target for {dup.Key.Kpi}{{{dup.Key.Key}}}{(dup.Key.Source is null ? "" : $" on {dup.Key.Source}")}; keep one.");
    }

    private static void UnknownKeys(IConfigurationSection entry, Type type, string key, List<string> errors)
    {
        var known = new HashSet<string>(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name),
            StringComparer.OrdinalIgnoreCase);
        foreach (var child in entry.GetChildren().Where(c => !known.Contains(c.Key)))
            errors.Add($"{key}:{child.Key} is not a known setting (known: {string.Join(", ", known.Order())}).");
    }
}
