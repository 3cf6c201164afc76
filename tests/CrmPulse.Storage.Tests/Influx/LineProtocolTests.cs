using CrmPulse.Core.Kpis;
using CrmPulse.Storage.Influx;

namespace CrmPulse.Storage.Tests.Influx;

public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    [Fact]
    public void Measurement_escapes_commas_and_spaces_but_not_equals()
    {
        var line = LineProtocol.Format(new InfluxPoint("cpu load,x=y", T).Field("v", 1.0), InfluxPrecision.Milliseconds);

        Assert.Equal(@"cpu\ load\,x=y v=1 1700000000123", line);
    }

    [Fact]
    public void Tag_keys_tag_values_and_field_keys_escape_commas_equals_and_spaces()
    {
        var point = new InfluxPoint("m", T).Tag("k=v", "a=b").Tag("team", "Sales, EMEA").Field("my field", 0.5);

        // Tags print sorted by key ("k=v" < "team").
        Assert.Equal(@"m,k\=v=a\=b,team=Sales\,\ EMEA my\ field=0.5 1700000000123", LineProtocol.Format(point, InfluxPrecision.Milliseconds));
    }

    [Fact]
    public void String_fields_escape_double_quotes_and_backslashes_only()
    {
        var point = new InfluxPoint("m", T).Field("s", "he said \"hi\" C:\\path, x=1");

        Assert.Equal("m s=\"he said \\\"hi\\\" C:\\\\path, x=1\" 1700000000123", LineProtocol.Format(point, InfluxPrecision.Milliseconds));
    }

    [Fact]
    public void Each_field_type_has_its_own_form_and_floats_never_get_the_integer_suffix()
    {
        var point = new InfluxPoint("m", T).Field("f", 1.0).Field("g", 0.1).Field("i", 3L).Field("b", true).Field("n", false);

        Assert.Equal("m b=true,f=1,g=0.1,i=3i,n=false 1700000000123", LineProtocol.Format(point, InfluxPrecision.Milliseconds));
    }

    [Theory]
    // 1_700_000_000_123 ms = 1_700_000_000 s + 123 ms; in µs ×1000, in ns ×1_000_000.
    [InlineData(InfluxPrecision.Seconds, 1_700_000_000L)]
    [InlineData(InfluxPrecision.Milliseconds, 1_700_000_000_123L)]
    [InlineData(InfluxPrecision.Microseconds, 1_700_000_000_123_000L)]
    [InlineData(InfluxPrecision.Nanoseconds, 1_700_000_000_123_000_000L)]
    public void Timestamps_are_whole_units_of_the_explicit_precision(InfluxPrecision precision, long expected)
    {
        Assert.Equal(expected, LineProtocol.Timestamp(T, precision));
    }

    [Fact]
    public void Empty_tag_values_are_left_out_and_a_point_without_fields_is_refused()
    {
        var point = new InfluxPoint("m", T).Tag("team", "").Tag("source", "demo");

        var error = Assert.Throws<ArgumentException>(() => LineProtocol.Format(point, InfluxPrecision.Seconds));
        Assert.Contains("no fields", error.Message);
        Assert.Equal("m,source=demo v=2 1700000000", LineProtocol.Format(point.Field("v", 2.0), InfluxPrecision.Seconds));
    }

    [Fact]
    public void Line_breaks_in_tags_and_non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LineProtocol.Format(new InfluxPoint("m", T).Tag("t", "a\nb").Field("v", 1.0), InfluxPrecision.Seconds));
        Assert.Throws<ArgumentException>(() => new InfluxPoint("m", T).Field("v", double.NaN));
    }

    [Fact]
    public void A_backslash_in_a_tag_is_kept_except_where_influxdb_cannot_read_it_back()
    {
        // Mid-text it stays one backslash; before a comma it is doubled (a single one would escape the
        // comma's own escape and InfluxDB 1.x would reject the line); at the end it is dropped (InfluxDB 1.x rejects a tag ending in a backslash).
        var point = new InfluxPoint("m", T).Tag("a", @"c\d").Tag("b", @"e\,f").Tag("c", @"g\").Field("v", 1.0);

        Assert.Equal(@"m,a=c\d,b=e\\\,f,c=g v=1 1700000000", LineProtocol.Format(point, InfluxPrecision.Seconds));
    }

    [Fact]
    public void A_sample_maps_to_its_family_measurement_with_source_and_dimension_tags_and_a_float_field()
    {
        var sample = new KpiSample("weekly_active_ratio", "demo", Dimensions.Of(("team", "Sales EMEA")), 1, T, "login");

        Assert.Equal(@"crm_adoption,source=demo,team=Sales\ EMEA basis=""login"",weekly_active_ratio=1 1700000000123", InfluxSchema.ToLine(sample));
    }

    [Fact]
    public void A_user_row_maps_to_crm_user_activity_with_integer_counts()
    {
        var row = new UserAdoptionRow("demo", "u1", "Ann \"A\" Lee", null, "Sales", T.AddDays(-1), 2, 9, 3, 12, "active", T);

        // last_login_ms = 1_700_000_000_123 − 86_400_000 = 1_699_913_600_123; the e-mail is unknown, so no field.
        Assert.Equal(
            "crm_user_activity,source=demo,team=Sales,user_id=u1 activities_30d=12i,activities_7d=3i,last_login_ms=1699913600123i,"
            + "logins_30d=9i,logins_7d=2i,name=\"Ann \\\"A\\\" Lee\",status=\"active\" 1700000000123",
            InfluxSchema.ToLine(row));
    }
}
