using CrmPulse.Hosting;

namespace CrmPulse.Tests.Options;

/// <summary>The command line (System.CommandLine): strict commands and options, host settings passed through.</summary>
public sealed class CliArgsTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await CrmPulseApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void No_arguments_runs_the_daemon() => Assert.Equal(CliCommand.Run, CliArgs.Parse([]).Command);

    [Theory]
    [InlineData("--once")]
    [InlineData("once")]
    public void Once_is_a_command_and_host_settings_go_to_the_host(string once)
    {
        var cli = CliArgs.Parse([once, "--urls", "http://127.0.0.1:0", "--CrmPulse:Store:Path=x.db", "--Kestrel:Limits:MaxRequestBodySize", "1000"]);

        Assert.Null(cli.Error);
        Assert.Equal(CliCommand.Once, cli.Command);
        Assert.Equal(["--CrmPulse:Store:Path=x.db", "--Kestrel:Limits:MaxRequestBodySize", "1000", "--urls", "http://127.0.0.1:0"], cli.HostArgs);
    }

    [Fact]
    public void Settings_and_options_may_come_before_the_command()
    {
        var cli = CliArgs.Parse(["--config", "prod.json", "--CrmPulse:Store:Path=x.db", "check-config"]);

        Assert.Equal((CliCommand.CheckConfig, "prod.json"), (cli.Command, cli.ConfigFile));
        Assert.Equal(["--CrmPulse:Store:Path=x.db"], cli.HostArgs);
    }

    [Fact]
    public void Backfill_takes_its_days()
    {
        var cli = CliArgs.Parse(["backfill", "--days", "30", "--config=prod.json"]);

        Assert.Equal((CliCommand.Backfill, 30, "prod.json"), (cli.Command, cli.BackfillDays, cli.ConfigFile));
    }

    [Theory]
    [InlineData(new[] { "--onec" }, "Unrecognized command or argument '--onec'.", "crmpulse [command] [options]")]
    [InlineData(new[] { "bakfill" }, "Unrecognized command or argument 'bakfill'.", "crmpulse [command] [options]")]
    [InlineData(new[] { "--once", "--bogus" }, "Unrecognized command or argument '--bogus'.", "crmpulse once [options]")]
    [InlineData(new[] { "check-config", "--verbose" }, "Unrecognized command or argument '--verbose'.", "crmpulse check-config [options]")]
    [InlineData(new[] { "dedupe", "--bogus", "x.csv" }, "Unrecognized option '--bogus'.", "crmpulse dedupe <FILE> [options]")]
    [InlineData(new[] { "dedupe" }, "Required argument missing for command: 'dedupe'.", "crmpulse dedupe <FILE> [options]")]
    [InlineData(new[] { "dedupe", "x.csv", "--CrmPulse:Store:Path=x.db" }, "dedupe reads no settings (--CrmPulse:Store:Path=x.db)", "crmpulse dedupe <FILE> [options]")]
    [InlineData(new[] { "backfill" }, "Option '--days' is required.", "crmpulse backfill [options]")]
    [InlineData(new[] { "backfill", "--days", "0" }, "--days must be a whole number from 1 to 3650, was '0'.", "crmpulse backfill [options]")]
    [InlineData(new[] { "backfill", "--days", "x" }, "--days must be a whole number from 1 to 3650, was 'x'.", "crmpulse backfill [options]")]
    [InlineData(new[] { "--config" }, "Required argument missing for option: '--config'.", "crmpulse [command] [options]")]
    [InlineData(new[] { "--CrmPulse:Store:Path" }, "--CrmPulse:Store:Path needs a value (--CrmPulse:Store:Path=value).", "crmpulse [command] [options]")]
    public async Task A_wrong_command_line_exits_2_with_the_error_and_the_usage_of_its_command(string[] args, string error, string usage)
    {
        var (code, output, stderr) = await Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(error, stderr);
        Assert.Contains(usage, stderr);
    }

    [Fact]
    public async Task Version_prints_the_informational_version_of_the_build()
    {
        var (code, output, _) = await Run("--version");

        var expected = System.Reflection.CustomAttributeExtensions
            .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(CrmPulseApp).Assembly)!.InformationalVersion;
        Assert.Equal(0, code);
        Assert.Equal($"crmpulse {expected}", output.Trim());
        Assert.Matches(@"^crmpulse \d+\.\d+\.\d+", output);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "Settings:", "--Section:Key=value")]
    [InlineData(new[] { "-h" }, "Commands:", "check-config")]
    [InlineData(new[] { "once", "--help" }, "crmpulse once [options]", "--urls <URL>")]
    [InlineData(new[] { "backfill", "--help" }, "crmpulse backfill [options]", "--days <N> (REQUIRED)")]
    [InlineData(new[] { "check-config", "-h" }, "crmpulse check-config [options]", "--config <FILE>")]
    [InlineData(new[] { "dedupe", "--help" }, "crmpulse dedupe <FILE> [options]", "--clusters <FILE>")]
    [InlineData(new[] { "store", "copy", "--help" }, "crmpulse store copy [options]", "--from <PATH>")]
    public async Task Help_of_each_command_prints_its_usage_and_succeeds(string[] args, string first, string second)
    {
        var (code, output, stderr) = await Run(args);

        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains(first, output);
        Assert.Contains(second, output);
    }
}
