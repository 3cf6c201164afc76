using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Text.RegularExpressions;
using CrmPulse.Commands;

namespace CrmPulse.Hosting;

/// <summary>What the command line asks for.</summary>
public enum CliCommand
{
    Run,
    Once,
    CheckConfig,
    Backfill,
    Dedupe,
    Report,
    /// <summary>audit: the audit of a period (<see cref="CliArgs.Audit"/>).</summary>
    Audit,
    /// <summary>config sample: prints a sample configuration (<see cref="CliArgs.SampleKind"/>).</summary>
    ConfigSample,
    /// <summary>store copy --to-postgres: moves the SQLite store into PostgreSQL (<see cref="CliArgs.StoreCopy"/>).</summary>
    StoreCopy,
    /// <summary>--help of a command, or --version: <see cref="CliArgs.Parsed"/> prints it.</summary>
    Help,
}

/// <summary>
/// The parsed command line. The commands and their options are System.CommandLine's (strict: an unknown command or
/// option is an error, exit code 2, with the usage); host settings pass through to the configuration untouched:
/// <c>--Section:Key=value</c> or <c>--Section:Key value</c> (any key with a ':'), and <c>--urls URL</c>.
/// </summary>
/// <param name="HostArgs">The arguments handed to the host's configuration (settings and --urls).</param>
/// <param name="Error">What is wrong with the command line (then <see cref="Usage"/> is that command's help).</param>
public sealed partial record CliArgs(CliCommand Command, string[] HostArgs, string? ConfigFile, string? Error)
{
    /// <summary>Where <see cref="ConfigFile"/> came from, named in its errors: "--config" or "CRMPULSE_CONFIG".</summary>
    public string ConfigOrigin { get; init; } = "--config";

    /// <summary>backfill: the number of days.</summary>
    public int BackfillDays { get; init; }

    /// <summary>report: its options.</summary>
    public ReportCommand.Args? Report { get; init; }

    /// <summary>audit: its options.</summary>
    public AuditCommand.Args? Audit { get; init; }

    /// <summary>config sample: the source kind.</summary>
    public string? SampleKind { get; init; }

    /// <summary>store copy: its options.</summary>
    public StoreCopyCommand.Args? StoreCopy { get; init; }

    /// <summary>dedupe: its options.</summary>
    internal DedupeArgs? Dedupe { get; init; }

    /// <summary>The parse, for --help and --version (invoked to print them).</summary>
    public ParseResult? Parsed { get; init; }

    /// <summary>The help of the command the line was about (the root's when none), printed after an error.</summary>
    public string Usage { get; init; } = "";

    /// <summary>The version: the informational version of the build (1.2.3+commit).</summary>
    public static string Version =>
        typeof(CliArgs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliArgs).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Printed after the root command's generated help.</summary>
    private const string SettingsHelp = """
        Settings:
          --config FILE               A JSON file with a "CrmPulse" section, read after appsettings.json (or CRMPULSE_CONFIG).
          --urls URL                  Where the API listens (default http://127.0.0.1:5080; beyond loopback needs an API key).
          --Section:Key=value         Any setting, e.g. --CrmPulse:Store:Path=/var/lib/crmpulse/crmpulse.db or
                                      --Kestrel:Endpoints:Http:Url=http://127.0.0.1:5090 (also --Section:Key value).
          Environment variables: CRMPULSE__SOURCES__0__KIND=File, CRMPULSE__API__APIKEYS__0=... See README.md for every setting.

        Exit codes: 0 done; 1 a source or the store failed; 2 a wrong command line or configuration.
        """;

    public static CliArgs Parse(string[] args)
    {
        // Host settings are configuration keys, not options of ours: take them out before the strict parse.
        var host = new List<string>();
        var own = new List<string>();
        string? error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var match = HostSetting().Match(args[i]);
            if (!match.Success) { own.Add(args[i]); continue; }
            host.Add(args[i]);
            if (match.Groups["value"].Success) continue;
            if (i + 1 < args.Length) host.Add(args[++i]);
            else error ??= $"{args[i]} needs a value (--{match.Groups["key"].Value}=value).";
        }

        var tree = new CliTree();
        var parsed = tree.Root.Parse(own, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var command = parsed.CommandResult.Command;
        var usage = HelpOf(tree, parsed);
        // --help wins over the command's other errors (a required --days not given yet).
        if (error is null && parsed.Errors.Count > 0 && own.Any(a => a is "--help" or "-h" or "-?"))
            return new CliArgs(CliCommand.Help, [], null, null) { Usage = usage };
        if (error is null && parsed.Errors.Count > 0) error = string.Join(Environment.NewLine, parsed.Errors.Select(e => e.Message).Distinct());
        if (error is null && command == tree.Dedupe && host.Count > 0)
            error = $"dedupe reads no settings ({host[0]}): it needs only its input file and options.";
        if (error is null && command == tree.Sample && host.Count > 0)
            error = $"config sample reads no settings ({host[0]}): it prints a sample to edit.";
        if (error is not null) return new CliArgs(CliCommand.Help, [], null, error) { Usage = usage };
        if (parsed.Action is HelpWithSettings or PrintVersion) return new CliArgs(CliCommand.Help, [], null, null) { Parsed = parsed, Usage = usage };

        if (parsed.GetValue(tree.Urls) is { } urls) host.AddRange(["--urls", urls]);
        var fromOption = parsed.GetValue(tree.Config);
        var config = fromOption ?? Environment.GetEnvironmentVariable("CRMPULSE_CONFIG");
        var which = command == tree.Once ? CliCommand.Once
            : command == tree.CheckConfig ? CliCommand.CheckConfig
            : command == tree.Backfill ? CliCommand.Backfill
            : command == tree.Dedupe ? CliCommand.Dedupe
            : command == tree.Report ? CliCommand.Report
            : command == tree.Audit ? CliCommand.Audit
            : command == tree.Sample ? CliCommand.ConfigSample
            : command == tree.StoreCopy ? CliCommand.StoreCopy
            : CliCommand.Run;
        return new CliArgs(which, [.. host], config, null)
        {
            BackfillDays = which == CliCommand.Backfill ? parsed.GetValue(tree.Days) : 0,
            Dedupe = which == CliCommand.Dedupe ? DedupeArgs.From(parsed, tree.DedupeOptions) : null,
            Report = which == CliCommand.Report ? tree.ReportOptions.From(parsed) : null,
            Audit = which == CliCommand.Audit ? tree.AuditOptions.Read(parsed) : null,
            SampleKind = which == CliCommand.ConfigSample ? parsed.GetValue(tree.Kind) : null,
            StoreCopy = which == CliCommand.StoreCopy ? tree.StoreCopyOptions.Read(parsed) : null,
            ConfigOrigin = fromOption is null && config is not null ? "CRMPULSE_CONFIG" : "--config",
            Parsed = parsed,
            Usage = usage,
        };
    }

    /// <summary>The help text of the command <paramref name="parsed"/> reached.</summary>
    private static string HelpOf(CliTree tree, ParseResult parsed)
    {
        var path = new List<string>();
        for (var r = parsed.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent) path.Insert(0, r.Command.Name);
        var text = new StringWriter();
        tree.Root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = text, Error = text });
        return text.ToString().TrimEnd();
    }

    /// <summary>--Section:Key=value or --Section:Key (value next): a configuration key has at least one ':'.</summary>
    [GeneratedRegex(@"^--(?<key>[A-Za-z0-9_.\-]+(?::[A-Za-z0-9_.\-]+)+)(?:=(?<value>.*))?$", RegexOptions.Singleline)]
    private static partial Regex HostSetting();

    /// <summary>The commands and options (a new tree per parse: System.CommandLine's symbols are not shared).</summary>
    private sealed class CliTree
    {
        public readonly Command Root = new("crmpulse",
            "CrmPulse: monitors a CRM after go-live (adoption, activity, data quality) and serves its KPIs.\n"
            + "Without a command it runs the daemon: scheduled syncs and KPI passes, API and /metrics on http://127.0.0.1:5080.");

        public readonly Option<string> Config = new("--config")
            { Description = "A JSON file with a \"CrmPulse\" section, read after appsettings.json.", HelpName = "FILE" };

        public readonly Option<string> Urls = new("--urls")
            { Description = "Where the API listens (default http://127.0.0.1:5080; beyond loopback needs an API key).", HelpName = "URL" };

        public readonly Command Once = new("once", "Run one sync and one KPI pass for every source, print a summary, exit (0 ok, 1 a source failed).")
            { Aliases = { "--once" } };

        public readonly Command CheckConfig = new("check-config", "Validate the configuration and print what would run; exit 2 when it is wrong.");

        public readonly Command Backfill = new("backfill", """
            Rebuild the KPIs the catalog marks rebuildable (from login, activity and deal timestamps) for each of the N days
            ending today, at 00:00 UTC, for every configured source, into the ledger (and InfluxDB when enabled).
            Interrupt with Ctrl+C and run again to resume: days already rebuilt are skipped.
            """);

        public readonly Option<int> Days = BackfillCommand.DaysOption();

        public readonly Command Dedupe = new("dedupe", DedupeArgs.Description);

        public readonly DedupeArgs.Options DedupeOptions = new();

        public readonly Command Report = new("report", ReportCommand.Description);

        public readonly ReportCommand.Options ReportOptions = new();

        public readonly Command Audit = new("audit", AuditCommand.Description);

        public readonly AuditCommand.Options AuditOptions = new();

        public readonly Command ConfigCommand = new("config", "Configuration helpers: `config sample` prints a configuration to start from.");

        public readonly Command Sample = new("sample", ConfigSampleCommand.Description);

        public readonly Option<string> Kind = ConfigSampleCommand.KindOption();

        public readonly Command StoreCommand = new("store", "Store helpers: `store copy --to-postgres` moves the SQLite store into PostgreSQL.");

        public readonly Command StoreCopy = new("copy", StoreCopyCommand.Description);

        public readonly StoreCopyCommand.Options StoreCopyOptions = new();

        public CliTree()
        {
            Root.SetAction(_ => 0); // the daemon: run by CrmPulseApp, not here (a root without an action would require a command)
            Root.Options.Add(new HelpOption { Action = new HelpWithSettings() });
            Root.Options.Add(new VersionOption { Action = new PrintVersion() });
            // The host's options on every command that builds the host (dedupe does not).
            foreach (var command in new[] { Root, Once, CheckConfig, Backfill, Report, Audit })
            {
                command.Options.Add(Config);
                command.Options.Add(Urls);
            }
            StoreCopy.Options.Add(Config); // reads the store settings, listens nowhere
            Backfill.Options.Add(Days);
            DedupeOptions.AddTo(Dedupe);
            ReportOptions.AddTo(Report);
            AuditOptions.AddTo(Audit);
            Root.Subcommands.Add(Once);
            Root.Subcommands.Add(CheckConfig);
            Root.Subcommands.Add(Backfill);
            Root.Subcommands.Add(Dedupe);
            Root.Subcommands.Add(Report);
            Root.Subcommands.Add(Audit);
            Sample.Options.Add(Kind);
            ConfigCommand.Subcommands.Add(Sample);
            Root.Subcommands.Add(ConfigCommand);
            StoreCopyOptions.AddTo(StoreCopy);
            StoreCommand.Subcommands.Add(StoreCopy);
            Root.Subcommands.Add(StoreCommand);
        }
    }

    /// <summary>The generated help, and after the root's the settings that pass through to the host.</summary>
    private sealed class HelpWithSettings : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            new HelpAction().Invoke(parseResult);
            if (parseResult.CommandResult.Parent is null) parseResult.InvocationConfiguration.Output.WriteLine(SettingsHelp);
            return 0;
        }
    }

    /// <summary>CrmPulse's own version (System.CommandLine's default reads the entry assembly: the test host in tests).</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine($"crmpulse {Version}");
            return 0;
        }
    }
}
