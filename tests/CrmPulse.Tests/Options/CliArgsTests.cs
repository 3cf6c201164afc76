using CrmPulse.Hosting;

namespace CrmPulse.Tests.Options;

public sealed class CliArgsTests
{
    [Fact]
    public void No_arguments_runs_the_daemon() => Assert.Equal(CliCommand.Run, CliArgs.Parse([]).Command);

    [Fact]
    public void Once_is_a_command_and_other_arguments_go_to_the_host()
    {
        var cli = CliArgs.Parse(["--once", "--urls", "http://127.0.0.1:0", "--CrmPulse:Store:Path=x.db"]);

        Assert.Equal(CliCommand.Once, cli.Command);
        Assert.Equal(["--urls", "http://127.0.0.1:0", "--CrmPulse:Store:Path=x.db"], cli.HostArgs);
        Assert.Null(cli.Error);
    }

    [Fact]
    public void Check_config_and_config_file_are_parsed()
    {
        var cli = CliArgs.Parse(["check-config", "--config", "prod.json"]);

        Assert.Equal(CliCommand.CheckConfig, cli.Command);
        Assert.Equal("prod.json", cli.ConfigFile);
    }

    [Fact]
    public void An_unknown_command_is_an_error() =>
        Assert.Equal("Unknown command 'bakfill'.", CliArgs.Parse(["bakfill"]).Error);

    [Fact]
    public void Config_without_a_file_is_an_error() =>
        Assert.Equal("--config needs a file path.", CliArgs.Parse(["--config"]).Error);
}
