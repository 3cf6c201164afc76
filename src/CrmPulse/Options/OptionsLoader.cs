using System.Reflection;
using System.Text.RegularExpressions;
using CrmPulse.Hosting;
using CrmPulse.Sources.Demo;
using HostDefaults = CrmPulse.Hosting.HostDefaults;
using Quartz;

namespace CrmPulse.Options;

/// <summary>
/// Binds and validates the "CrmPulse" section once, at start-up, collecting every problem with the key it concerns
/// (a wrong setting stops the start with all of them listed, not just the first).
/// </summary>
public static partial class OptionsLoader
{
    /// <summary>Sections of the design that later versions add; configured now, they are ignored with a warning.</summary>
    private static readonly string[] NotYetSupported = [];

    /// <summary>BackfillDays of the embedded default Demo source.</summary>
    public const int DefaultDemoBackfillDays = 60;

    public sealed record Result(CrmPulseOptions Options, IReadOnlyList<ConfiguredSource> Sources, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

    /// <param name="time">The clock cron schedules are checked against (each must fire after now); the system's by default.</param>
    public static Result Load(IConfiguration configuration, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var errors = new List<string>();
        var warnings = new List<string>();
        var section = configuration.GetSection(CrmPulseOptions.Section);
        var options = Bind<CrmPulseOptions>(section, errors) ?? new CrmPulseOptions();

        CheckUnknownKeys(section, typeof(CrmPulseOptions), errors, warnings);
        errors.AddRange(options.Store.Validate($"{CrmPulseOptions.Section}:Store"));
        errors.AddRange(options.Cluster.Validate(options.Store, $"{CrmPulseOptions.Section}:Cluster"));
        var cronZone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(options.CronTimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(options.CronTimeZone.Trim(), out cronZone))
        {
            errors.Add($"{CrmPulseOptions.Section}:CronTimeZone '{options.CronTimeZone}' is not a known time zone (use an IANA id such as 'Europe/Berlin' or 'UTC').");
            cronZone = TimeZoneInfo.Utc;
        }

        var sources = new List<ConfiguredSource>();
        var sourceSections = section.GetSection("Sources").GetChildren().ToList();
        if (sourceSections.Count == 0)
        {
            // The embedded default: one Demo source, no other server needed, with 60 days of history rebuilt. It watches the demo's two custom contact
            // fields, so the custom-field fill rates and the unused one (legacy_region) show out of the box, and its
            // snoozed deals use the demo's own field, so the default shows snoozing at work.
            var demo = new SourceOptions
            {
                Name = "demo", Kind = "Demo",
                CustomFields = new() { ["contact"] = ["customer_tier", "legacy_region"] }, // the keys of DemoFacts.CustomFieldFillRates
                Pipeline = { SnoozeField = DemoSource.SnoozeField },
                // 60 days of history after the first sync (about 25 s of one core, in the background), so the default
                // adoption-drop rule has its 8 weekly baseline points and the dipping team's alert fires out of the box.
                BackfillDays = DefaultDemoBackfillDays,
            };
            sources.Add(new ConfiguredSource(demo, SourceKinds.Demo,
                SourceKinds.Demo.BindOptions(new ConfigurationBuilder().Build(), errors, "CrmPulse:Sources:0")!, "CrmPulse:Sources:0"));
        }
        else
        {
            for (var i = 0; i < sourceSections.Count; i++)
            {
                var configured = LoadSource(sourceSections[i], $"CrmPulse:Sources:{sourceSections[i].Key}", now, cronZone, errors);
                if (configured is not null) sources.Add(configured);
            }
        }

        foreach (var dup in sources.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"CrmPulse:Sources: the name '{dup.Key}' is used by more than one source ({string.Join(", ", dup.Select(s => s.Key))}); names must be unique.");
        }

        errors.AddRange(options.InfluxDb.Validate($"{CrmPulseOptions.Section}:InfluxDb"));
        errors.AddRange(options.Health.Validate($"{CrmPulseOptions.Section}:Health"));
        errors.AddRange(Alerts.AlertsChecks.Check(section.GetSection("Alerts"), options.Alerts));
        IntegrationAndTargetChecks.Check(section, options, sources, errors);
        Reconciliation.ReconciliationChecks.Check(section.GetSection("Reconciliation"), options, sources, errors);
        errors.AddRange(Reports.ReportsChecks.Check(section.GetSection("Reports"), options.Reports, sources.Select(s => s.Name).ToList()));
        var integrationRules = IntegrationAndTargetChecks.FieldRules(options);
        if (integrationRules.Count > 0) sources = sources.Select(s => new ConfiguredSource(s.Options, s.Kind, s.KindOptions, s.Key) { IntegrationRules = integrationRules }).ToList();

        options.Api.ApiKeys = ApiKeyRules.Load(options.Api, errors);
        CheckListeningAddresses(configuration, options.Api, errors);
        HostSettingsChecks.Check(configuration, errors);
        return new Result(options, sources, errors, warnings);
    }

    private static ConfiguredSource? LoadSource(IConfigurationSection section, string key, DateTimeOffset now, TimeZoneInfo cronZone, List<string> errors)
    {
        var before = errors.Count;
        // When a common key does not bind (e.g. SyncEvery "soon"), go on with Name and Kind so the kind's own keys are
        // still checked: the user sees every problem at once.
        var options = Bind<SourceOptions>(section, errors) ?? new SourceOptions { Name = section["Name"], Kind = section["Kind"] };

        if (string.IsNullOrWhiteSpace(options.Name)) errors.Add($"{key}:Name is required (it becomes the source tag).");
        else if (!SourceNamePattern().IsMatch(options.Name))
            errors.Add($"{key}:Name '{options.Name}' may hold only lower-case letters, digits, '-' and '_' (it becomes the source tag).");

        SourceKind? kind = null;
        if (string.IsNullOrWhiteSpace(options.Kind)) errors.Add($"{key}:Kind is required (known: {string.Join(", ", SourceKinds.All.Select(k => k.Name))}).");
        else if (!SourceKinds.TryGet(options.Kind, out kind))
        {
            var planned = SourceKinds.Planned.Contains(options.Kind, StringComparer.OrdinalIgnoreCase)
                ? " It is planned but not in this build yet."
                : "";
            errors.Add($"{key}:Kind '{options.Kind}' is not a known kind (known: {string.Join(", ", SourceKinds.All.Select(k => k.Name))}).{planned}");
        }

        CheckSchedule(options.SyncEvery, options.SyncCron, $"{key}:SyncEvery", $"{key}:SyncCron", now, cronZone, errors);
        CheckSchedule(options.KpiEvery, options.KpiCron, $"{key}:KpiEvery", $"{key}:KpiCron", now, cronZone, errors);
        if (options.BackfillDays is < 0 or > 3650)
            errors.Add($"{key}:BackfillDays must be between 0 and 3650, was {options.BackfillDays}.");
        if (options.ContributorMinActivities < 1)
            errors.Add($"{key}:ContributorMinActivities must be at least 1, was {options.ContributorMinActivities}.");
        errors.AddRange(Core.Kpis.KpiOptions.CheckObjectFields("RequiredFields", options.RequiredFields).Select(p => $"{key}:{p}"));
        errors.AddRange(Core.Kpis.KpiOptions.CheckObjectFields("CustomFields", options.CustomFields).Select(p => $"{key}:{p}"));
        errors.AddRange(options.DataQuality.Validate().Select(p => $"{key}:DataQuality:{p}"));
        errors.AddRange(options.Pipeline.Validate().Select(p => $"{key}:Pipeline:{p}"));
        errors.AddRange(options.Outcomes.Validate().Select(p => $"{key}:Outcomes:{p}"));
        errors.AddRange(options.Licences.Validate().Select(p => $"{key}:Licences:{p}"));
        errors.AddRange(options.Dedupe.Validate().Select(p => $"{key}:Dedupe:{p}"));
        foreach (var sub in new[] { ("DataQuality", typeof(Core.Kpis.DataQualityOptions)), ("Pipeline", typeof(Core.Kpis.PipelineOptions)),
                     ("Outcomes", typeof(Core.Kpis.OutcomeOptions)), ("Dedupe", typeof(Core.Dedupe.DedupeOptions)),
                     ("Licences", typeof(Core.Kpis.LicenceOptions)) })
        {
            var subKnown = PropertyNames(sub.Item2);
            foreach (var child in section.GetSection(sub.Item1).GetChildren().Where(c => !subKnown.Contains(c.Key)))
                errors.Add($"{key}:{sub.Item1}:{child.Key} is not a known setting (known: {string.Join(", ", subKnown.Order())}).");
        }

        var known = PropertyNames(typeof(SourceOptions));
        if (kind is not null) known.UnionWith(PropertyNames(kind.OptionsType));
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key))
                errors.Add($"{key}:{child.Key} is not a setting of a {kind?.Name ?? "source"} source (known: {string.Join(", ", known.Order())}).");
        }

        // A kind's nested settings objects (Salesforce's Auth) are checked for unknown keys too.
        foreach (var nested in kind?.OptionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanWrite && p.PropertyType.IsClass && p.PropertyType.Namespace?.StartsWith("CrmPulse", StringComparison.Ordinal) == true) ?? [])
        {
            var nestedKnown = PropertyNames(nested.PropertyType);
            foreach (var child in section.GetSection(nested.Name).GetChildren().Where(c => !nestedKnown.Contains(c.Key)))
                errors.Add($"{key}:{nested.Name}:{child.Key} is not a known setting (known: {string.Join(", ", nestedKnown.Order())}).");
        }

        if (kind is null) return null;
        var kindOptions = kind.BindOptions(section, errors, key);
        if (kindOptions is null || errors.Count > before) return null;
        return new ConfiguredSource(options, kind, kindOptions, key);
    }

    private static void CheckSchedule(TimeSpan? every, string? cron, string everyKey, string cronKey, DateTimeOffset now, TimeZoneInfo zone,
        List<string> errors)
    {
        if (every is not null && cron is not null) errors.Add($"{everyKey} and {cronKey}: give one of them, not both.");
        if (every is { } e && e < TimeSpan.FromSeconds(10)) errors.Add($"{everyKey} must be at least 00:00:10, was {e}.");
        if (cron is null) return;
        if (!CronExpression.TryParse(cron, out _))
            errors.Add($"{cronKey} '{cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0/10 * * * ?\").");
        else if (new CronExpression(cron, zone).GetNextValidTimeAfter(now) is null)
            errors.Add($"{cronKey} '{cron}' never fires after {now:yyyy-MM-dd HH:mm} UTC (a day that does not exist, such as 30 February, or a year that is past).");
    }

    /// <summary>Listening beyond loopback without an API key would expose record-level data: refuse to start. Every way of
    /// binding Kestrel is read (<see cref="ListenAddresses"/>); <see cref="ListenGuard"/> checks the bound addresses again.</summary>
    private static void CheckListeningAddresses(IConfiguration configuration, ApiOptions api, List<string> errors)
    {
        var addresses = ListenAddresses.From(configuration, errors);
        if (api.ApiKeys.Count > 0) return;
        foreach (var a in addresses.Where(a => !ListenAddresses.IsLoopback(a.Url)))
            errors.Add($"{a.Key}: '{a.Url}' listens beyond loopback but no API key is configured (set CRMPULSE__API__APIKEYS__0 or CrmPulse:Api:ApiKeysFile; make a key with `openssl rand -hex 32`).");
    }

    internal static T? Bind<T>(IConfiguration section, List<string> errors) where T : class, new()
    {
        try
        {
            return section.Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key and the type it wanted: "Failed to convert configuration value at 'CrmPulse:Sources:0:SyncEvery' to type ...".
            errors.Add(e.Message + (e.InnerException is { } inner ? $" ({inner.Message})" : ""));
            return null;
        }
    }

    private static void CheckUnknownKeys(IConfigurationSection section, Type type, List<string> errors, List<string> warnings)
    {
        var known = PropertyNames(type);
        foreach (var child in section.GetChildren())
        {
            if (NotYetSupported.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                warnings.Add($"CrmPulse:{child.Key} is not supported by this build yet and is ignored.");
            else if (!known.Contains(child.Key))
                errors.Add($"CrmPulse:{child.Key} is not a known setting (known: {string.Join(", ", known.Order())}).");
            else if (new[] { "Store", "Api", "InfluxDb", "Health" }.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                var childType = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)!.PropertyType;
                var childKnown = PropertyNames(childType);
                foreach (var grand in child.GetChildren().Where(g => !childKnown.Contains(g.Key)))
                    errors.Add($"CrmPulse:{child.Key}:{grand.Key} is not a known setting (known: {string.Join(", ", childKnown.Order())}).");
            }
        }
    }

    private static HashSet<string> PropertyNames(Type type) =>
        new(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex SourceNamePattern();
}
