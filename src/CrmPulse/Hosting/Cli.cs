namespace CrmPulse.Hosting;

/// <summary>What the command line asks for. Everything that is not a command is passed to the host's configuration.</summary>
public enum CliCommand
{
    Run,
    Once,
    CheckConfig,
    Backfill,
    Dedupe,
    Report,
    Help,
}

/// <param name="CommandArgs">The arguments after a command that parses its own (backfill, dedupe, report).</param>
public sealed record CliArgs(CliCommand Command, string[] HostArgs, string? ConfigFile, string? Error, string[]? CommandArgs = null)
{
    public const string Usage = """
        CrmPulse: monitors a CRM after go-live (adoption, activity, data quality) and serves its KPIs.

        Usage: crmpulse [command] [options]      (from source: dotnet run --project src/CrmPulse -- [command] [options])

        Commands:
          (none)          Run the daemon: scheduled syncs and KPI passes, API and /metrics on http://127.0.0.1:5080.
          --once          Run one sync and one KPI pass for every source, print a summary, exit (0 ok, 1 a source failed).
          check-config    Validate the configuration and print what would run; exit 2 when it is wrong.
          backfill        Rebuild past KPI values from timestamps: backfill --days N (see backfill --help).
          dedupe          Match a contacts CSV and write duplicate pairs and clusters (see dedupe --help).
          report          Write the leadership report as HTML or PDF: report --period month --format pdf --out FILE (see report --help).
          --help, -h      This text.

        Options:
          --config FILE               A JSON file with a "CrmPulse" section, read after appsettings.json.
          --urls URL                  Where the API listens (default http://127.0.0.1:5080; beyond loopback needs an API key).
          --CrmPulse:Key=value        Any setting, e.g. --CrmPulse:Store:Path=/var/lib/crmpulse/crmpulse.db.

        Settings also come from environment variables: CRMPULSE__SOURCES__0__KIND=File, CRMPULSE__API__APIKEYS__0=...
        See README.md for every setting.
        """;

    public static CliArgs Parse(string[] args)
    {
        var command = CliCommand.Run;
        string? config = Environment.GetEnvironmentVariable("CRMPULSE_CONFIG");
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--once": command = CliCommand.Once; break;
                case "check-config": command = CliCommand.CheckConfig; break;
                case "dedupe" when rest.Count == 0:
                    // dedupe needs no host: every argument after it is its own.
                    return new CliArgs(CliCommand.Dedupe, [], config, null, args[(i + 1)..]);
                case "backfill" when rest.Count == 0:
                    command = CliCommand.Backfill;
                    var own = new List<string>();
                    for (i++; i < args.Length; i++)
                    {
                        if (args[i] is "--days" or "--help" or "-h" || args[i].StartsWith("--days=", StringComparison.Ordinal))
                        {
                            own.Add(args[i]);
                            if (args[i] == "--days" && i + 1 < args.Length) own.Add(args[++i]);
                        }
                        else if (args[i] == "--config" && i + 1 < args.Length) config = args[++i];
                        else rest.Add(args[i]);
                    }
                    return new CliArgs(command, [.. rest], config, null, [.. own]);
                case "report" when rest.Count == 0:
                    // report's own options go to it; --config and host settings (--CrmPulse:Key=value) to the host.
                    var mine = new List<string>();
                    for (i++; i < args.Length; i++)
                    {
                        if (args[i] == "--config" && i + 1 < args.Length) config = args[++i];
                        else if (args[i].StartsWith("--config=", StringComparison.Ordinal)) config = args[i]["--config=".Length..];
                        else if (args[i].StartsWith("--CrmPulse:", StringComparison.OrdinalIgnoreCase)) rest.Add(args[i]);
                        else mine.Add(args[i]);
                    }
                    return new CliArgs(CliCommand.Report, [.. rest], config, null, [.. mine]);
                case "--help" or "-h" or "help": command = CliCommand.Help; break;
                case "--config":
                    if (i + 1 >= args.Length) return new CliArgs(CliCommand.Help, [], null, "--config needs a file path.");
                    config = args[++i];
                    break;
                default:
                    if (a.StartsWith("--config=", StringComparison.Ordinal)) config = a["--config=".Length..];
                    else if (rest.Count == 0 && !a.StartsWith('-') && !a.Contains('='))
                        return new CliArgs(CliCommand.Help, [], null, $"Unknown command '{a}'.");
                    else rest.Add(a);
                    break;
            }
        }
        return new CliArgs(command, [.. rest], config, null);
    }
}
