using Microsoft.Extensions.Configuration;
using CrmPulse.Options;

namespace CrmPulse.Tests.Options;

public sealed class InfluxOptionsTests
{
    private static OptionsLoader.Result Load(params (string Key, string? Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void InfluxDb_is_off_by_default()
    {
        var result = Load();

        Assert.Empty(result.Errors);
        Assert.False(result.Options.InfluxDb.Enabled);
    }

    [Fact]
    public void A_complete_v2_configuration_is_valid_and_binds_every_key()
    {
        var result = Load(("CrmPulse:InfluxDb:Enabled", "true"), ("CrmPulse:InfluxDb:Url", "http://127.0.0.1:8086"),
            ("CrmPulse:InfluxDb:Mode", "v2"), ("CrmPulse:InfluxDb:Token", "tok"), ("CrmPulse:InfluxDb:Org", "acme"),
            ("CrmPulse:InfluxDb:Bucket", "crm"), ("CrmPulse:InfluxDb:BatchSize", "1000"), ("CrmPulse:InfluxDb:FlushEvery", "00:00:05"));

        Assert.Empty(result.Errors);
        var influx = result.Options.InfluxDb;
        Assert.Equal(("tok", "acme", "crm", 1000, TimeSpan.FromSeconds(5)), (influx.Token, influx.Org, influx.Bucket, influx.BatchSize, influx.FlushEvery));
    }

    [Fact]
    public void The_token_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            var result = Load(("CrmPulse:InfluxDb:Enabled", "true"), ("CrmPulse:InfluxDb:Url", "http://127.0.0.1:8086"),
                ("CrmPulse:InfluxDb:TokenFile", file), ("CrmPulse:InfluxDb:Org", "acme"), ("CrmPulse:InfluxDb:Bucket", "crm"));

            Assert.Empty(result.Errors);
            Assert.Equal("from-file", result.Options.InfluxDb.Token);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Every_missing_or_wrong_influx_setting_is_named()
    {
        var result = Load(("CrmPulse:InfluxDb:Enabled", "true"), ("CrmPulse:InfluxDb:Url", "localhost:8086"),
            ("CrmPulse:InfluxDb:BatchSize", "0"), ("CrmPulse:InfluxDb:Bogus", "1"));

        Assert.Contains("CrmPulse:InfluxDb:Url 'localhost:8086' is not an absolute http:// or https:// URL.", result.Errors);
        Assert.Contains("CrmPulse:InfluxDb:BatchSize must be between 1 and 50000, was 0.", result.Errors);
        Assert.Contains("CrmPulse:InfluxDb:Org is required in v2 mode.", result.Errors);
        Assert.Contains("CrmPulse:InfluxDb:Bucket is required in v2 mode.", result.Errors);
        Assert.Contains("CrmPulse:InfluxDb:Token is required in v2 mode (set CRMPULSE__INFLUXDB__TOKEN or CrmPulse:InfluxDb:TokenFile).", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("CrmPulse:InfluxDb:Bogus is not a known setting (known: BatchSize, Bucket, Database,", StringComparison.Ordinal));
    }

    [Fact]
    public void V1_mode_needs_a_database_and_refuses_v2_keys()
    {
        var result = Load(("CrmPulse:InfluxDb:Enabled", "true"), ("CrmPulse:InfluxDb:Url", "http://127.0.0.1:8086"),
            ("CrmPulse:InfluxDb:Mode", "v1"), ("CrmPulse:InfluxDb:Bucket", "crm"), ("CrmPulse:InfluxDb:Password", "pw"));

        Assert.Equal(
        [
            "CrmPulse:InfluxDb:Database is required in v1 mode.",
            "CrmPulse:InfluxDb:Username is required when a password is given.",
            "CrmPulse:InfluxDb:Bucket is a v2 setting; in v1 mode use Database, RetentionPolicy, Username, Password.",
        ], result.Errors);
    }

    [Fact]
    public void An_unknown_mode_and_a_negative_backfill_are_refused()
    {
        var result = Load(("CrmPulse:InfluxDb:Enabled", "true"), ("CrmPulse:InfluxDb:Url", "http://127.0.0.1:8086"), ("CrmPulse:InfluxDb:Mode", "v3"),
            ("CrmPulse:Sources:0:Name", "demo"), ("CrmPulse:Sources:0:Kind", "Demo"), ("CrmPulse:Sources:0:BackfillDays", "-1"));

        Assert.Contains("CrmPulse:InfluxDb:Mode 'v3' is not known (use v2 or v1).", result.Errors);
        Assert.Contains("CrmPulse:Sources:0:BackfillDays must be between 0 and 3650, was -1.", result.Errors);
    }
}
