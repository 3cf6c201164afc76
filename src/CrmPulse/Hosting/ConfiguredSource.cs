using CrmPulse.Core.Kpis;
using CrmPulse.Options;

namespace CrmPulse.Hosting;

/// <summary>A validated source entry: common options, its kind, and the kind's own options.</summary>
/// <param name="Key">The configuration key of the entry, e.g. CrmPulse:Sources:0.</param>
public sealed record ConfiguredSource(SourceOptions Options, SourceKind Kind, object KindOptions, string Key)
{
    public string Name => Options.Name!;

    public TimeSpan SyncEvery => Options.SyncEvery ?? Kind.DefaultSyncEvery;

    public TimeSpan KpiEvery => Options.KpiEvery ?? SourceOptions.DefaultKpiEvery;

    /// <summary>"every 00:01:00" or "cron 0 0/10 * * * ?".</summary>
    public string SyncSchedule => Options.SyncCron is { } c ? $"cron {c}" : $"every {SyncEvery}";

    public string KpiSchedule => Options.KpiCron is { } c ? $"cron {c}" : $"every {KpiEvery}";

    /// <summary>The integrations' record rules (from CrmPulse:Integrations), the same for every source.</summary>
    public IReadOnlyList<IntegrationFieldRule> IntegrationRules { get; init; } = [];

    // Built on first use, after the init setters ran (a property initializer would not see IntegrationRules).
    public KpiOptions KpiOptions => field ??= new()
    {
        Integrations = IntegrationRules,
        ExcludeUsers = Options.ExcludeUsers,
        ContributorMinActivities = Options.ContributorMinActivities,
        CustomFields = Options.CustomFields.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value),
        DataQuality = Options.DataQuality,
        Pipeline = Options.Pipeline,
        Outcomes = Options.Outcomes,
        Licences = Options.Licences,
        Dedupe = Options.Dedupe,
        RequiredFields = Options.RequiredFields.Count == 0
            ? KpiOptions.DefaultRequiredFields
            : KpiOptions.DefaultRequiredFields
                .Where(d => !Options.RequiredFields.ContainsKey(d.Key))
                .Concat(Options.RequiredFields.Select(r => new KeyValuePair<string, IReadOnlyList<string>>(r.Key, r.Value)))
                .ToDictionary(p => p.Key, p => p.Value),
    };
}
