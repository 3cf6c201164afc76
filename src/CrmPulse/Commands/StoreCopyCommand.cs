using System.CommandLine;
using System.Diagnostics;
using CrmPulse.Hosting;
using CrmPulse.Options;
using CrmPulse.Storage.Postgres;

namespace CrmPulse.Commands;

/// <summary>
/// crmpulse store copy --to-postgres [--from PATH] [--force]: moves the SQLite store (CrmPulse:Store:Path, or --from)
/// into the PostgreSQL database of CrmPulse:Store:ConnectionString (or ConnectionStringFile), whole, in one transaction
/// (<see cref="SqliteToPostgres"/>). Exit 0 copied, 1 refused or failed (nothing copied), 2 bad arguments or settings,
/// 130 interrupted (nothing copied).
/// </summary>
public static class StoreCopyCommand
{
    /// <summary>The command's help text.</summary>
    public const string Description = """
        Copy the SQLite store (CrmPulse:Store:Path, or --from) into the PostgreSQL database of
        CrmPulse:Store:ConnectionString (or CRMPULSE__STORE__CONNECTIONSTRINGFILE): every table, row for row, with the
        ledger's sequence numbers (the InfluxDB outbox goes on where it was), in one transaction. The target must be empty
        unless --force. Stop the daemon first. Exit 0 copied, 1 refused or failed (nothing copied), 2 bad arguments.
        """;

    /// <summary>The options of store copy.</summary>
    public sealed record Args(string? From, bool Force);

    internal sealed class Options
    {
        public readonly Option<bool> ToPostgres = new("--to-postgres")
            { Description = "Copy into PostgreSQL (the only target there is; required, so the direction is said)." };

        public readonly Option<string> From = new("--from")
            { Description = "The SQLite file to copy (default: CrmPulse:Store:Path).", HelpName = "PATH" };

        public readonly Option<bool> Force = new("--force")
            { Description = "Replace what the target holds (it is emptied in the same transaction)." };

        public void AddTo(Command command)
        {
            command.Options.Add(ToPostgres);
            command.Options.Add(From);
            command.Options.Add(Force);
            command.Validators.Add(r =>
            {
                if (!r.GetValue(ToPostgres)) r.AddError("store copy needs --to-postgres (where to copy the store).");
            });
        }

        public Args Read(ParseResult parsed) => new(parsed.GetValue(From), parsed.GetValue(Force));
    }

    /// <summary>Reads the store settings as the daemon does, then copies, with Ctrl+C rolling back.</summary>
    public static async Task<int> RunAsync(CliArgs cli, TextWriter output, TextWriter errorOutput)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(cli, output, errorOutput, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    public static async Task<int> RunAsync(CliArgs cli, TextWriter output, TextWriter errorOutput, CancellationToken ct)
    {
        var args = cli.StoreCopy!;
        // The same configuration as the daemon's: appsettings.json, --config, environment, --Section:Key settings.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = cli.HostArgs, ContentRootPath = AppContext.BaseDirectory });
        if (cli.ConfigFile is not null && ConfigFile.Insert(builder.Configuration, cli.ConfigFile, cli.ConfigOrigin) is { } configError)
        {
            errorOutput.WriteLine($"crmpulse store copy: {configError}");
            return 2;
        }
        var configured = new StoreOptions();
        try
        {
            builder.Configuration.GetSection("CrmPulse:Store").Bind(configured);
        }
        catch (InvalidOperationException e)
        {
            errorOutput.WriteLine($"crmpulse store copy: CrmPulse:Store: {e.Message}");
            return 2;
        }

        var target = new StoreOptions
        {
            Provider = StoreOptions.PostgreSql,
            ConnectionString = configured.ConnectionString,
            ConnectionStringFile = configured.ConnectionStringFile,
        };
        var problems = string.IsNullOrWhiteSpace(target.ConnectionString) && target.ConnectionStringFile is null
            ? ["the target is not set: give CrmPulse:Store:ConnectionString (CRMPULSE__STORE__CONNECTIONSTRING) or CrmPulse:Store:ConnectionStringFile (CRMPULSE__STORE__CONNECTIONSTRINGFILE)."]
            : target.Validate();
        var fromOrigin = args.From is null ? "CrmPulse:Store:Path" : "--from";
        var sourcePath = args.From ?? configured.Path;
        var source = string.IsNullOrWhiteSpace(sourcePath) ? "" : Path.GetFullPath(sourcePath);
        if (source.Length == 0) problems.Add($"{fromOrigin} is empty: give the path of the SQLite store to copy.");
        else if (!File.Exists(source)) problems.Add($"{fromOrigin}: the SQLite store '{source}' does not exist.");
        if (problems.Count > 0)
        {
            foreach (var problem in problems) errorOutput.WriteLine($"crmpulse store copy: {problem}");
            return 2;
        }

        var location = PostgresStore.Describe(target.ConnectionString!);
        output.WriteLine($"Copying the SQLite store '{source}' into {location}{(args.Force ? " (--force: what it holds is replaced)" : "")}.");
        var watch = Stopwatch.StartNew();
        IReadOnlyList<CopiedTableCount> counts;
        try
        {
            counts = await SqliteToPostgres.CopyAsync(source, target.ConnectionString!, args.Force, line => output.WriteLine($"  {line}"), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            errorOutput.WriteLine("crmpulse store copy: interrupted; nothing was copied (the transaction was rolled back).");
            return 130;
        }
        catch (StoreCopyRefusedException e)
        {
            errorOutput.WriteLine($"crmpulse store copy: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException
                                       or OverflowException or InvalidCastException)
        {
            errorOutput.WriteLine($"crmpulse store copy: the copy into {location} failed, nothing was copied: {e.Message}");
            return 1;
        }

        output.WriteLine();
        output.WriteLine($"  {"table",-20} {"rows",12}");
        foreach (var c in counts) output.WriteLine($"  {c.Table,-20} {c.Rows,12:N0}");
        output.WriteLine($"  {"total",-20} {counts.Sum(c => c.Rows),12:N0}");
        output.WriteLine();
        output.WriteLine($"Copied in {watch.Elapsed.TotalSeconds:F1} s. Start the nodes with CRMPULSE__STORE__PROVIDER=PostgreSql and the same connection string.");
        return 0;
    }
}
