using CrmPulse.Options;
using Microsoft.Extensions.Configuration;

namespace CrmPulse.Tests.Options;

/// <summary>CrmPulse:Cluster: off by default; on only with the PostgreSQL store; its node name and check-in checked.</summary>
public sealed class ClusterOptionsTests
{
    private static OptionsLoader.Result Load(params (string Key, string Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    private const string Postgres = "Host=127.0.0.1;Port=5432;Database=crm;Username=crm";

    [Fact]
    public void The_cluster_is_off_by_default_with_the_host_and_process_as_node_name()
    {
        var result = Load();

        Assert.Empty(result.Errors);
        Assert.False(result.Options.Cluster.Enabled);
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", result.Options.Cluster.NodeName);
        Assert.Equal(TimeSpan.FromSeconds(15), result.Options.Cluster.CheckinInterval);
    }

    [Fact]
    public void A_cluster_on_the_sqlite_store_is_a_configuration_error_naming_both_keys()
    {
        var result = Load(("CrmPulse:Cluster:Enabled", "true"));

        Assert.Equal(
            "CrmPulse:Cluster:Enabled needs CrmPulse:Store:Provider PostgreSql (the nodes share the PostgreSQL database); the store is Sqlite. "
            + "Set CRMPULSE__STORE__PROVIDER=PostgreSql and its connection string, or turn the cluster off.", Assert.Single(result.Errors));
    }

    [Fact]
    public void A_cluster_on_postgresql_takes_its_node_name_and_check_in_interval()
    {
        var result = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionString", Postgres),
            ("CrmPulse:Cluster:Enabled", "true"), ("CrmPulse:Cluster:NodeName", "node-a"), ("CrmPulse:Cluster:CheckinInterval", "00:00:05"));

        Assert.Empty(result.Errors);
        Assert.Equal(("node-a", TimeSpan.FromSeconds(5)), (result.Options.Cluster.NodeName, result.Options.Cluster.CheckinInterval));
    }

    [Fact]
    public void A_blank_or_spaced_node_name_and_an_interval_out_of_range_are_named()
    {
        var result = Load(("CrmPulse:Store:Provider", "PostgreSql"), ("CrmPulse:Store:ConnectionString", Postgres),
            ("CrmPulse:Cluster:Enabled", "true"), ("CrmPulse:Cluster:NodeName", "node a"), ("CrmPulse:Cluster:CheckinInterval", "00:00:00.500"));

        Assert.Equal(
        [
            "CrmPulse:Cluster:NodeName 'node a' must be at most 80 characters without spaces, quotes or backslashes.",
            "CrmPulse:Cluster:CheckinInterval must be between 00:00:01 and 00:10:00, was 00:00:00.5000000.",
        ], result.Errors);
    }
}
