using System.Text.Json.Serialization;
using CrmPulse.Alerts;
using CrmPulse.Apis;
using CrmPulse.Core.Store;
using CrmPulse.Jobs;
using CrmPulse.Metrics;
using CrmPulse.Options;
using CrmPulse.Pipeline;
using CrmPulse.Publishing;
using CrmPulse.Storage;
using Microsoft.Extensions.Configuration.Json;
using Prometheus;
using HostDefaults = CrmPulse.Hosting.HostDefaults;

namespace CrmPulse.Hosting;

/// <summary>Builds and runs the CrmPulse host. Program.cs calls <see cref="RunAsync"/>; tests call <see cref="BuildAsync"/>.</summary>
public static class CrmPulseApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var cli = CliArgs.Parse(args);
        if (cli.Error is not null || cli.Command == CliCommand.Help)
        {
            if (cli.Error is not null) Console.Error.WriteLine(cli.Error);
            Console.WriteLine(CliArgs.Usage);
            return cli.Error is null ? 0 : 2;
        }

        if (cli.Command == CliCommand.Dedupe) return await Commands.DedupeCommand.RunAsync(cli.CommandArgs ?? [], Console.Out, Console.Error);

        var (app, exitCode) = await BuildAsync(cli, Console.Out, Console.Error);
        if (app is null) return exitCode;
        await using (app)
        {
            return cli.Command switch
            {
                CliCommand.Once => await RunOnceAsync(app, Console.Out),
                CliCommand.Backfill => await Commands.BackfillCommand.RunAsync(app, cli.CommandArgs ?? [], Console.Out, Console.Error),
                _ => await RunDaemonAsync(app),
            };
        }
    }

    /// <summary>
    /// Loads and validates the configuration, opens the store and builds the host. Returns no app and an exit code when
    /// the configuration is wrong (2), the store cannot be opened (1), or the command was check-config (0). The clock of
    /// the sources, jobs and KPI passes is <paramref name="time"/> (tests fix it), else the system clock.
    /// </summary>
    public static async Task<(WebApplication? App, int ExitCode)> BuildAsync(
        CliArgs cli, TextWriter output, TextWriter errorOutput, Action<ConfigurationManager>? configure = null,
        TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = cli.HostArgs,
            // appsettings.json ships next to the binary; the working directory stays where the user runs it (./data).
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (cli.ConfigFile is not null) InsertConfigFile(builder.Configuration, cli.ConfigFile);
        configure?.Invoke(builder.Configuration);
        if (builder.Configuration["urls"] is null) builder.WebHost.UseUrls(HostDefaults.Urls);

        var loaded = OptionsLoader.Load(builder.Configuration);
        foreach (var w in loaded.Warnings) errorOutput.WriteLine($"warning: {w}");
        if (loaded.Errors.Count > 0)
        {
            errorOutput.WriteLine($"CrmPulse cannot start: the configuration has {loaded.Errors.Count} problem(s):");
            foreach (var e in loaded.Errors) errorOutput.WriteLine($"  - {e}");
            return (null, 2);
        }
        if (cli.Command == CliCommand.CheckConfig)
        {
            PrintPlan(loaded, builder.Configuration["urls"] ?? HostDefaults.Urls, output);
            return (null, 0);
        }

        SqliteStore store;
        try
        {
            store = await SqliteStore.OpenAsync(loaded.Options.Store.Path, time ?? TimeProvider.System, CancellationToken.None);
        }
        catch (Exception e)
        {
            errorOutput.WriteLine($"CrmPulse cannot open its store at CrmPulse:Store:Path '{loaded.Options.Store.Path}': {e.Message}");
            return (null, 1);
        }

        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss "; });
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddCrmPulseServices(loaded, store, time ?? TimeProvider.System);
        if (cli.Command == CliCommand.Run)
        {
            // Before the scheduler: hosted services stop in reverse order, so the last KPI pass is published on a clean stop.
            if (loaded.Options.InfluxDb.Enabled) builder.Services.AddHostedService<InfluxPublisherService>();
            builder.Services.AddCrmPulseScheduling(loaded.Sources, loaded.Options.Integrations);
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics(o =>
        {
            o.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(app.Services.GetRequiredService<CollectorRegistry>()));
            o.ReduceStatusCodeCardinality();
        });
        app.MapHealthApi();
        app.MapSourcesApi();
        app.MapKpiApi();
        app.MapAdoptionApi();
        app.MapIntegrationsApi();
        app.MapReportsApi();
        app.MapPublisherApi();
        app.MapIssuesApi();
        app.MapAlertsApi();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        app.MapOpenApi();
        return (app, 0);
    }

    private static IServiceCollection AddCrmPulseServices(this IServiceCollection services, OptionsLoader.Result loaded, SqliteStore store,
        TimeProvider time)
    {
        services.AddSingleton(time);
        services.AddSingleton(loaded.Options);
        services.AddSingleton(loaded.Options.Api);
        services.AddSingleton(store);
        services.AddSingleton<IMirror>(store);
        services.AddSingleton<ILedger>(store);
        services.AddSingleton<IIssueStore>(store);
        services.AddSingleton<IKpiStore>(store);
        services.AddSingleton<IStoreHealth>(store);
        services.AddSingleton(sp => new SourceRegistry(loaded.Sources, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<PulseMetrics>();
        services.AddSingleton<KpiGauges>();
        services.AddSingleton<SourceRunner>();
        services.AddSingleton<Integrations.IntegrationProber>();
        services.AddSingleton<TargetBook>();
        services.AddSingleton<LatestKpis>();
        services.AddSingleton<Backfiller>();
        services.AddCrmPulseAlerts(loaded.Options.Alerts);
        if (loaded.Options.InfluxDb.Enabled) services.AddInfluxPublishing(loaded.Options.InfluxDb, store);
        services.AddSingleton<ApiKeyFilter>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return services;
    }

    /// <summary>How long --once waits for its alert notifications to be delivered before exiting.</summary>
    private static readonly TimeSpan OnceWebhookWait = TimeSpan.FromSeconds(30);

    /// <summary>--once: one sync and one KPI pass per source, in configuration order; 1 when any source failed.</summary>
    public static async Task<int> RunOnceAsync(WebApplication app, TextWriter output)
    {
        var runner = app.Services.GetRequiredService<SourceRunner>();
        var sources = app.Services.GetRequiredService<SourceRegistry>();
        var failed = 0;
        foreach (var name in sources.Names)
        {
            var synced = await runner.SyncAsync(name, CancellationToken.None);
            var computed = synced && await runner.ComputeKpisAsync(name, CancellationToken.None);
            output.WriteLine($"{name}: sync {(synced ? "ok" : "FAILED")}, KPIs {(computed ? "ok" : "not computed")}");
            if (!computed) failed++;
        }
        // Alerts after every source's pass, their webhooks given a bounded time before the process exits.
        await app.Services.GetRequiredService<AlertRunner>().EvaluateAsync(CancellationToken.None);
        await app.Services.GetRequiredService<AlertNotifier>().DrainAsync(OnceWebhookWait, CancellationToken.None);
        // Cron users of --once get their samples into InfluxDB too (what fails now goes out with the next run).
        if (app.Services.GetService<InfluxPublisher>() is { } publisher)
            output.WriteLine((await publisher.DrainAllAsync(CancellationToken.None)).Summary);
        return failed == 0 ? 0 : 1;
    }

    private static async Task<int> RunDaemonAsync(WebApplication app)
    {
        await app.Services.GetRequiredService<SourceRunner>().RestoreGaugesAsync(CancellationToken.None);
        await app.Services.GetRequiredService<AlertRunner>().RestoreAsync(CancellationToken.None);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = string.Join(", ", app.Urls);
            var sources = app.Services.GetRequiredService<SourceRegistry>();
            var store = app.Services.GetRequiredService<CrmPulseOptions>().Store.Path;
            Console.WriteLine($"""
                CrmPulse is running. Sources: {string.Join(", ", sources.All.Select(s => $"{s.Name} ({s.Kind.Name}, sync {s.SyncSchedule})"))}; store: {Path.GetFullPath(store)}
                  KPIs:     {app.Urls.First()}/api/kpis/latest
                  Sources:  {app.Urls.First()}/api/sources
                  Metrics:  {app.Urls.First()}/metrics
                  Health:   {app.Urls.First()}/healthz   OpenAPI: {app.Urls.First()}/openapi/v1.json
                Listening on {urls}. Press Ctrl+C to stop.
                """);
        });
        await app.RunAsync();
        return 0;
    }

    private static void PrintPlan(OptionsLoader.Result loaded, string urls, TextWriter output)
    {
        output.WriteLine("Configuration is valid.");
        output.WriteLine($"Store: {Path.GetFullPath(loaded.Options.Store.Path)}");
        output.WriteLine($"API: {urls} ({(loaded.Options.Api.ApiKeys.Count == 0 ? "no API key: loopback only" : $"{loaded.Options.Api.ApiKeys.Count} API key(s)")})");
        var influx = loaded.Options.InfluxDb;
        output.WriteLine(influx.Enabled
            ? $"InfluxDB: {influx.Url} ({(influx.IsV1 ? $"v1, database {influx.Database}" : $"v2, org {influx.Org}, bucket {influx.Bucket}")}), batches of {influx.BatchSize}"
            : "InfluxDB: off");
        foreach (var s in loaded.Sources)
        {
            output.WriteLine($"Source {s.Name} ({s.Kind.Name}): sync {s.SyncSchedule}, KPIs {s.KpiSchedule}, "
                + $"excluded users: {(s.Options.ExcludeUsers.Count == 0 ? "none" : string.Join(", ", s.Options.ExcludeUsers))}");
            foreach (var (obj, fields) in s.KpiOptions.RequiredFields) output.WriteLine($"  monitored {obj} fields: {string.Join(", ", fields)}");
        }
        foreach (var i in loaded.Options.Integrations) output.WriteLine(Integrations.IntegrationPlan.Describe(i));
        foreach (var t in loaded.Options.Targets) output.WriteLine(Integrations.IntegrationPlan.Describe(t));
        var alerts = loaded.Options.Alerts;
        var rules = AlertRulesFile.Load(alerts.RulesPath);
        output.WriteLine($"Alerts: {rules.Rules?.Rules.Count ?? 0} rule(s) from {rules.Path}; webhooks: "
            + (alerts.Webhooks.Count == 0 ? "none" : string.Join(", ", alerts.Webhooks.Select(w => $"{w.Name} ({w.Format}{(w.Teams.Count > 0 ? $", teams {string.Join("/", w.Teams)}" : "")})"))));
    }

    /// <summary>Puts --config FILE right after appsettings*.json, so environment variables and the command line still override it.</summary>
    private static void InsertConfigFile(ConfigurationManager configuration, string file)
    {
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).Where(x => x.s is JsonConfigurationSource).Select(x => x.i + 1).DefaultIfEmpty(0).Max();
        var fileSource = new JsonConfigurationSource { Path = Path.GetFullPath(file), Optional = false, ReloadOnChange = false };
        fileSource.ResolveFileProvider();
        sources.Insert(index, fileSource);
    }
}
