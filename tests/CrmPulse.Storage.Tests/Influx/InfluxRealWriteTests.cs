using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Influx;

namespace CrmPulse.Storage.Tests.Influx;

/// <summary>Writes through CrmPulse in v1 mode to a real InfluxDB 1.6 (Debian's influxd) and reads back with InfluxQL.</summary>
public sealed class InfluxRealWriteTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private InfluxServer _influx = null!;
    private InfluxWriter _writer = null!;

    public async Task InitializeAsync()
    {
        _influx = await InfluxServer.StartAsync();
        _writer = new InfluxWriter(new InfluxDbOptions { Enabled = true, Url = _influx.Url, Mode = "v1", Database = _influx.Database });
    }

    public async Task DisposeAsync()
    {
        _writer.Dispose();
        await _influx.DisposeAsync();
    }

    [Fact]
    public async Task Tags_with_spaces_commas_equals_and_non_ascii_text_and_quoted_strings_round_trip_exactly()
    {
        const string team = "Ventes, Île-de-France = Zürich 東京";
        const string text = "he said \"hi\" C:\\path\\n";
        var point = new InfluxPoint("crm test,x", T).Tag("source", "demo").Tag("team=name", team)
            .Field("value", 0.25).Field("note", text).Field("count", 7L).Field("ok", true);

        var result = await _writer.WriteAsync([LineProtocol.Format(point, InfluxPrecision.Milliseconds)], InfluxPrecision.Milliseconds, default);

        Assert.Equal(InfluxWriteOutcome.Written, result.Outcome);
        var row = Assert.Single(await _influx.RowsAsync("SELECT * FROM \"crm test,x\""));
        Assert.Equal(1_700_000_000_123, row["time"].GetInt64());
        Assert.Equal(team, row["team=name"].GetString());
        Assert.Equal("demo", row["source"].GetString());
        Assert.Equal(0.25, row["value"].GetDouble());
        Assert.Equal(text, row["note"].GetString());
        Assert.Equal(7, row["count"].GetInt64());
        Assert.True(row["ok"].GetBoolean());
        Assert.Equal(new Dictionary<string, string> { ["count"] = "integer", ["note"] = "string", ["ok"] = "boolean", ["value"] = "float" },
            await _influx.FieldTypesAsync("crm test,x"));
    }

    [Fact]
    public async Task Kpi_samples_are_floats_even_when_whole_and_a_repeat_overwrites_instead_of_doubling()
    {
        var samples = new[]
        {
            new KpiSample("licensed_users", "demo", Dimensions.None, 4, T),
            new KpiSample("weekly_active_ratio", "demo", Dimensions.Of(("team", "Sales, EMEA")), 0.5, T, "login"),
            new KpiSample("licensed_users", "demo", Dimensions.None, 5, T.AddDays(1)),
        };
        var lines = samples.Select(InfluxSchema.ToLine).ToList();

        Assert.Equal(InfluxWriteOutcome.Written, (await _writer.WriteAsync(lines, InfluxSchema.Precision, default)).Outcome);
        Assert.Equal(InfluxWriteOutcome.Written, (await _writer.WriteAsync(lines, InfluxSchema.Precision, default)).Outcome);

        var rows = await _influx.RowsAsync("SELECT licensed_users FROM crm_adoption WHERE source = 'demo' AND licensed_users >= 0");
        Assert.Equal([(1_700_000_000_123L, 4.0), (1_700_086_400_123L, 5.0)], rows.Select(r => (r["time"].GetInt64(), r["licensed_users"].GetDouble())));
        var team = Assert.Single(await _influx.RowsAsync("SELECT weekly_active_ratio, basis FROM crm_adoption WHERE team = 'Sales, EMEA'"));
        Assert.Equal(0.5, team["weekly_active_ratio"].GetDouble());
        Assert.Equal("login", team["basis"].GetString());
        var types = await _influx.FieldTypesAsync("crm_adoption");
        Assert.Equal("float", types["licensed_users"]);
        Assert.Equal("float", types["weekly_active_ratio"]);
        Assert.Equal("string", types["basis"]);
    }

    [Fact]
    public async Task Per_user_rows_go_to_crm_user_activity_with_integer_counts()
    {
        var row = new UserAdoptionRow("demo", "u 1", "Zoë \"Z\" Smith", "zoe@x.test", "Sales", T.AddDays(-1), 2, 9, 3, 12, "active", T);

        Assert.Equal(InfluxWriteOutcome.Written, (await _writer.WriteAsync([InfluxSchema.ToLine(row)], InfluxSchema.Precision, default)).Outcome);

        var stored = Assert.Single(await _influx.RowsAsync("SELECT * FROM crm_user_activity"));
        Assert.Equal("u 1", stored["user_id"].GetString());
        Assert.Equal("Zoë \"Z\" Smith", stored["name"].GetString());
        Assert.Equal(9, stored["logins_30d"].GetInt64());
        Assert.Equal(1_699_913_600_123, stored["last_login_ms"].GetInt64());
        Assert.Equal("integer", (await _influx.FieldTypesAsync("crm_user_activity"))["logins_7d"]);
    }

    [Fact]
    public async Task Backslashes_in_tags_never_make_the_write_fail()
    {
        var point = new InfluxPoint("bs", T).Tag("a", @"c\d").Tag("b", @"e\,f").Tag("c", @"g\").Field("v", 1.0);

        var result = await _writer.WriteAsync([LineProtocol.Format(point, InfluxPrecision.Milliseconds)], InfluxPrecision.Milliseconds, default);

        Assert.Equal(InfluxWriteOutcome.Written, result.Outcome);
        var row = Assert.Single(await _influx.RowsAsync("SELECT * FROM bs"));
        Assert.Equal((@"c\d", @"e\\,f", "g"), (row["a"].GetString(), row["b"].GetString(), row["c"].GetString()));
    }

    [Fact]
    public async Task A_malformed_point_is_rejected_for_good_with_the_servers_reason()
    {
        var result = await _writer.WriteAsync(["bad line without fields"], InfluxPrecision.Seconds, default);

        Assert.Equal(InfluxWriteOutcome.Rejected, result.Outcome);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("HTTP 400: unable to parse 'bad line without fields': invalid field format", result.Reason);
    }

    [Fact]
    public async Task A_field_type_conflict_is_rejected_for_good()
    {
        await _writer.WriteAsync(["m v=1 1700000000"], InfluxPrecision.Seconds, default);

        var result = await _writer.WriteAsync(["m v=\"text\" 1700000001"], InfluxPrecision.Seconds, default);

        Assert.Equal(InfluxWriteOutcome.Rejected, result.Outcome);
        Assert.Contains("field type conflict", result.Reason);
    }

    [Fact]
    public async Task A_stopped_server_is_a_network_failure_worth_retrying()
    {
        await _influx.StopAsync();

        var result = await _writer.WriteAsync(["m v=1 1700000000"], InfluxPrecision.Seconds, default);

        Assert.Equal(InfluxWriteOutcome.Retry, result.Outcome);
        Assert.Null(result.StatusCode);
        Assert.StartsWith($"cannot reach {_influx.Url}", result.Reason);
    }
}
