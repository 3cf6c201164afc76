using System.Text.Json.Serialization;
using CrmPulse.Alerts;
using CrmPulse.Audits;
using CrmPulse.Cluster;
using CrmPulse.Apis;
using CrmPulse.WebConsole;
using CrmPulse.Core.Store;
using CrmPulse.Health;
using CrmPulse.Jobs;
using CrmPulse.Metrics;
using CrmPulse.Options;
using CrmPulse.Pipeline;
using CrmPulse.Publishing;
using CrmPulse.Reconciliation;
using CrmPulse.Reports;
using CrmPulse.Storage;
using Prometheus;
using HostDefaults = CrmPulse.Hosting.HostDefaults;

namespace CrmPulse.Hosting;

/// <summary>Builds and runs the CrmPulse host. Program.cs calls <see cref="RunAsync"/>; tests call <see cref="BuildAsync"/>.</summary>
public static class CrmPulseApp
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Parses the command line and runs its command; the exit code (2: a wrong command line or configuration).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errorOutput)
    {
        var cli = CliArgs.Parse(args);
        if (cli.Error is not null)
        {
            errorOutput.WriteLine($"crmpulse: {cli.Error}");
            errorOutput.WriteLine();
            errorOutput.WriteLine(cli.Usage);
            return 2;
        }
        if (cli.Command == CliCommand.Help && cli.Parsed is null)
        {
            output.WriteLine(cli.Usage);
            return 0;
        }
        if (cli.Command == CliCommand.Help) return cli.Parsed!.Invoke(new System.CommandLine.InvocationConfiguration { Output = output, Error = errorOutput });
        if (cli.Command == CliCommand.Dedupe) return await Commands.DedupeCommand.RunAsync(cli.Dedupe!, output, errorOutput);
        if (cli.Command == CliCommand.ConfigSample) return Commands.ConfigSampleCommand.Run(cli.SampleKind!, output);
        if (cli.Command == CliCommand.StoreCopy) return await Commands.StoreCopyCommand.RunAsync(cli, output, errorOutput);

        // The daemon exits 0 on SIGTERM whenever it comes, also before its host is started.
        using var signals = cli.Command == CliCommand.Run ? new StopSignals() : null;
        var (app, exitCode) = await BuildAsync(cli, output, errorOutput, stopping: signals?.Stopping ?? default);
        if (app is null) return exitCode;
        await using (app)
        {
            return cli.Command switch
            {
                CliCommand.Once => await RunOnceAsync(app, output),
                CliCommand.Backfill => await Commands.BackfillCommand.RunAsync(app, cli.BackfillDays, output),
                CliCommand.Report => await Commands.ReportCommand.RunAsync(app, cli.Report!, output, errorOutput),
                CliCommand.Audit => await Commands.AuditCommand.RunAsync(app, cli.Audit!, output, errorOutput),
                _ => await RunDaemonAsync(app, signals!, output, errorOutput),
            };
        }
    }

    /// <summary>
    /// Loads and validates the configuration, opens the store and builds the host. Returns no app and an exit code when
    /// the configuration is wrong (2), the store cannot be opened (1), or the command was check-config (0). The clock of
    /// the sources, jobs and KPI passes is <paramref name="time"/> (tests fix it), else the system clock. A stop
    /// (<paramref name="stopping"/>) while the store is opened or the cluster's members are read: no app, exit code 0.
    /// </summary>
    public static async Task<(WebApplication? App, int ExitCode)> BuildAsync(
        CliArgs cli, TextWriter output, TextWriter errorOutput, Action<ConfigurationManager>? configure = null,
        TimeProvider? time = null, CancellationToken stopping = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = cli.HostArgs,
            // appsettings.json ships next to the binary; the working directory stays where the user runs it (./data).
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (cli.ConfigFile is not null && ConfigFile.Insert(builder.Configuration, cli.ConfigFile, cli.ConfigOrigin) is { } configError)
        {
            errorOutput.WriteLine($"CrmPulse cannot start: {configError}");
            return (null, 2);
        }
        configure?.Invoke(builder.Configuration);
        var listen = ListenAddresses.From(builder.Configuration);
        if (listen.Any(l => l.Key == ListenAddresses.Default)) builder.WebHost.UseUrls(HostDefaults.Urls);

        var loaded = OptionsLoader.Load(builder.Configuration, time);
        foreach (var w in loaded.Warnings) errorOutput.WriteLine($"warning: {w}");
        if (loaded.Errors.Count > 0)
        {
            errorOutput.WriteLine($"CrmPulse cannot start: the configuration has {loaded.Errors.Count} problem(s):");
            foreach (var e in loaded.Errors) errorOutput.WriteLine($"  - {e}");
            return (null, 2);
        }
        if (cli.Command == CliCommand.CheckConfig)
        {
            ConfigPlan.Print(loaded, listen, output);
            return (null, 0);
        }

        ICrmStore store;
        try
        {
            store = await StoreFactory.OpenAsync(loaded.Options.Store, time ?? TimeProvider.System, stopping);
        }
        catch (Exception e) when (stopping.IsCancellationRequested)
        {
            output.WriteLine($"CrmPulse was stopped before it started (while opening its store: {e.Message}).");
            return (null, 0);
        }
        catch (Exception e)
        {
            errorOutput.WriteLine($"CrmPulse cannot open its store {StoreFactory.Describe(loaded.Options.Store)}: {e.Message}");
            return (null, 1);
        }

        if (cli.Command == CliCommand.Run && loaded.Options.Cluster.Enabled)
        {
            string? clash;
            try
            {
                clash = await NodeNameCheck.ProblemAsync((IJobRuns)store, loaded.Options.Cluster, time ?? TimeProvider.System, stopping);
            }
            catch (Exception e) when (stopping.IsCancellationRequested)
            {
                store.Dispose();
                output.WriteLine($"CrmPulse was stopped before it started (while reading the cluster's members: {e.Message}).");
                return (null, 0);
            }
            catch (Exception e)
            {
                store.Dispose();
                errorOutput.WriteLine($"CrmPulse cannot read the cluster's members in {StoreFactory.Describe(loaded.Options.Store)}: {e.Message}");
                return (null, 1);
            }
            if (clash is not null)
            {
                store.Dispose();
                errorOutput.WriteLine($"CrmPulse cannot start: {clash}");
                return (null, 2);
            }
        }

        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss "; });
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddCrmPulseServices(loaded, store, time ?? TimeProvider.System);
        builder.Services.AddCrmPulseReconciliation(loaded.Options);
        if (cli.Command == CliCommand.Run)
        {
            // Before the scheduler: hosted services stop in reverse order, so the last KPI pass is published on a clean stop.
            if (loaded.Options.InfluxDb.Enabled) builder.Services.AddHostedService<InfluxPublisherService>();
            builder.Services.AddCrmPulseScheduling(loaded.Sources, loaded.Options.Integrations, loaded.Options.Cluster, loaded.Options.Store.ConnectionString);
            builder.Services.AddReconciliationScheduling(loaded.Options);
            builder.Services.AddReportScheduling(loaded.Options.Reports);
        }

        var guard = new ListenGuard(hasApiKey: loaded.Options.Api.ApiKeys.Count > 0);
        builder.Services.AddSingleton(guard);

        var app = builder.Build();
        guard.Install(app, errorOutput);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics(o =>
        {
            o.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(app.Services.GetRequiredService<CollectorRegistry>()));
            o.ReduceStatusCodeCardinality();
        });
        app.UseApiErrors();
        app.MapCrmPulseHealth();
        app.MapSourcesApi();
        app.MapKpiApi();
        app.MapAdoptionApi();
        app.MapIntegrationsApi();
        app.MapReportsApi();
        app.MapAuditsApi();
        app.MapPublisherApi();
        app.MapIssuesApi();
        app.MapReconciliationApi();
        app.MapAlertsApi();
        app.MapClusterApi();
        app.Services.GetRequiredService<RuntimeMetrics>();
        app.Services.GetRequiredService<Cluster.ClusterMetrics>();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        app.MapOpenApi();
        app.MapConsole();
        return (app, 0);
    }

    private static IServiceCollection AddCrmPulseServices(this IServiceCollection services, OptionsLoader.Result loaded, ICrmStore store,
        TimeProvider time)
    {
        services.AddSingleton(time);
        services.AddSingleton(loaded.Options);
        services.AddSingleton(loaded.Options.Api);
        services.AddSingleton(store);
        if (store is SqliteStore sqlite) services.AddSingleton(sqlite);
        services.AddSingleton<IMirror>(store);
        services.AddSingleton<ILedger>(store);
        services.AddSingleton<IIssueStore>(store);
        services.AddSingleton<IKpiStore>(store);
        services.AddSingleton<IStoreHealth>(store);
        services.AddSingleton(sp => new SourceRegistry(loaded.Sources, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<PulseMetrics>();
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton<KpiGauges>();
        services.AddSingleton<SourceRunner>();
        services.AddSingleton<SyncActivity>();
        services.AddSingleton((IJobRuns)store);
        services.AddSingleton<Cluster.ClusterLocks>();
        services.AddSingleton<Cluster.ClusterMetrics>();
        services.AddSingleton<Cluster.RunRecorder>();
        services.AddSingleton<Integrations.IntegrationProber>();
        services.AddSingleton<TargetBook>();
        services.AddSingleton<Audits.AuditBuilder>();
        services.AddSingleton<LatestKpis>();
        services.AddSingleton<Backfiller>();
        services.AddCrmPulseAlerts(loaded.Options.Alerts);
        if (loaded.Options.InfluxDb.Enabled) services.AddInfluxPublishing(loaded.Options.InfluxDb, store);
        services.AddSingleton<ApiKeyFilter>();
        services.AddCrmPulseHealthChecks(loaded.Sources, loaded.Options.Health, loaded.Options.InfluxDb.Enabled);
        services.AddApiErrors();
        services.AddCrmPulseConsole();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return services;
    }

    /// <summary>How long --once waits for its alert notifications to be delivered before exiting.</summary>
    private static readonly TimeSpan OnceWebhookWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// --once: one sync and one KPI pass per source, in configuration order; 1 when any source's sync or pass failed,
    /// the reason printed. The pass runs after a failed sync too, over what the mirror holds (as the daemon's would).
    /// </summary>
    public static async Task<int> RunOnceAsync(WebApplication app, TextWriter output)
    {
        var runner = app.Services.GetRequiredService<SourceRunner>();
        var sources = app.Services.GetRequiredService<SourceRegistry>();
        var mirror = app.Services.GetRequiredService<IMirror>();
        var failed = 0;
        foreach (var name in sources.Names)
        {
            var synced = await runner.SyncAsync(name, CancellationToken.None);
            var computed = await runner.ComputeKpisAsync(name, CancellationToken.None);
            var error = synced ? null : (await mirror.GetSyncStatesAsync(CancellationToken.None)).FirstOrDefault(s => s.Source == name)?.LastError;
            var leftOut = runner.LeftOutKpis(name);
            output.WriteLine($"{name}: sync {(synced ? "ok" : $"FAILED: {error ?? "see the log"}")}, KPIs {(computed ? "ok" : "not computed")}"
                + (computed && leftOut.Count > 0 ? $" ({leftOut.Count} left out: a kind they rest on was never read)" : ""));
            if (!synced || !computed) failed++;
        }
        // The pairs after both of their sources' passes.
        var pairs = app.Services.GetRequiredService<ReconciliationRunner>();
        foreach (var pair in pairs.Pairs)
        {
            var ok = await pairs.RunAsync(pair.Name, CancellationToken.None);
            var status = pairs.Status(pair.Name);
            output.WriteLine($"{pair.Name}: reconciliation {(ok ? "ok" : $"not computed: {status.Error ?? status.Skipped}")}");
            if (!ok) failed++;
        }
        // Alerts after every source's pass, their webhooks given a bounded time before the process exits.
        await app.Services.GetRequiredService<AlertRunner>().EvaluateAsync(CancellationToken.None);
        await app.Services.GetRequiredService<AlertNotifier>().DrainAsync(OnceWebhookWait, CancellationToken.None);
        // Cron users of --once get their samples into InfluxDB too (what fails now goes out with the next run).
        if (app.Services.GetService<InfluxPublisher>() is { } publisher)
            output.WriteLine((await publisher.DrainAllAsync(CancellationToken.None)).Summary);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The daemon until it is stopped: 0 after a stop (SIGTERM, Ctrl+C), whenever it came; 1 or 2 when it could not
    /// start listening, 2 when the listen guard refused the bound addresses.</summary>
    internal static async Task<int> RunDaemonAsync(WebApplication app, StopSignals signals, TextWriter output, TextWriter errorOutput)
    {
        if (signals.Requested)
        {
            output.WriteLine("CrmPulse was stopped before it started.");
            return 0;
        }
        signals.Attach(app.Lifetime);
        // Not read from the lifetime after the run: RunAsync disposes of the host, and its tokens with it.
        var stopAsked = false;
        app.Lifetime.ApplicationStopping.Register(() => stopAsked = true);
        var runner = app.Services.GetRequiredService<SourceRunner>();
        await runner.RestoreGaugesAsync(CancellationToken.None);
        if (app.Services.GetRequiredService<CrmPulseOptions>().Cluster.Enabled)
        {
            // Every node shows the store's values on /metrics, not only those of the passes and syncs it ran itself.
            var log = app.Services.GetRequiredService<ILogger<SourceRunner>>();
            app.Services.GetRequiredService<CollectorRegistry>().AddBeforeCollectCallback(async ct =>
            {
                try
                {
                    await runner.RefreshStoreGaugesAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The store's failure shows on /readyz; the scrape answers with the last values.
                    log.LogDebug(e, "The store's gauges could not be read for /metrics: {Error}", e.Message);
                }
            });
        }
        await app.Services.GetRequiredService<ReconciliationRunner>().RestoreGaugesAsync(CancellationToken.None);
        await app.Services.GetRequiredService<AlertRunner>().RestoreAsync(CancellationToken.None);
        var guard = app.Services.GetRequiredService<ListenGuard>();
        var started = false;
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            started = true;
            if (guard.EnsureChecked() is not null) return;
            var urls = string.Join(", ", app.Urls);
            var sources = app.Services.GetRequiredService<SourceRegistry>();
            var store = app.Services.GetRequiredService<ICrmStore>().Location;
            output.WriteLine($"""
                CrmPulse is running. Sources: {string.Join(", ", sources.All.Select(s => $"{s.Name} ({s.Kind.Name}, sync {s.SyncSchedule})"))}; store: {store}
                  Console:  {app.Urls.First()}/   (leadership report: {app.Urls.First()}/report)
                  KPIs:     {app.Urls.First()}/api/kpis/latest
                  Sources:  {app.Urls.First()}/api/sources
                  Metrics:  {app.Urls.First()}/metrics
                  Health:   {app.Urls.First()}/healthz   OpenAPI: {app.Urls.First()}/openapi/v1.json
                Listening on {urls}. Press Ctrl+C to stop.
                """);
        });
        try
        {
            await app.RunAsync();
        }
        catch (Exception e) when (!started && stopAsked && IsCancellation(e))
        {
            // Stopped while the host was starting (the hosted services' starts were cancelled): a stop, not a failed start.
            output.WriteLine("CrmPulse was stopped while it started.");
            return 0;
        }
        catch (Exception e) when (!started)
        {
            // Kestrel could not start: the address is taken, an https endpoint has no certificate, ... The message names
            // it; a stack trace would not help.
            errorOutput.WriteLine($"CrmPulse cannot start listening: {e.Message}");
            return e is IOException ? 1 : 2;
        }
        return guard.Refused is null ? 0 : 2;
    }

    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || e is AggregateException { InnerExceptions.Count: > 0 } a && a.InnerExceptions.All(IsCancellation);
}
