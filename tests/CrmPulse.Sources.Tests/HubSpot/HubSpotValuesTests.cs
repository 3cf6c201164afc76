using CrmPulse.Sources.HubSpot;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>String-typed property values converted by the property's type.</summary>
public sealed class HubSpotValuesTests
{
    [Theory]
    [InlineData("number", "17", "17")]
    [InlineData("number", "3.00", "3.00")]
    [InlineData("number", "", null)]
    [InlineData("bool", "TRUE", "true")]
    [InlineData("bool", "false", "false")]
    [InlineData("datetime", "1572480000000", "2019-10-31T00:00:00.000Z")]
    [InlineData("datetime", "2024-10-02T19:09:12.414Z", "2024-10-02T19:09:12.414Z")]
    [InlineData("date", "1572480000000", "2019-10-31")]
    [InlineData("date", "2024-06-30", "2024-06-30")]
    [InlineData("number", "1.5E3", "1500")]
    [InlineData("number", "2.5e-2", "0.025")]
    [InlineData("number", " -7 ", "-7")]
    [InlineData("bool", "true", "true")]
    [InlineData("bool", " False ", "false")]
    [InlineData("datetime", "2024-10-02T19:09:12Z", "2024-10-02T19:09:12.000Z")]
    [InlineData("datetime", "2024-10-02T19:09:12.4Z", "2024-10-02T19:09:12.400Z")]
    [InlineData("datetime", "2024-10-02T21:09:12.414+02:00", "2024-10-02T19:09:12.414Z")]
    [InlineData("datetime", "2024-10-02T19:09:12.414+0000", "2024-10-02T19:09:12.414Z")]
    [InlineData("datetime", "2024-10-02", "2024-10-02T00:00:00.000Z")]
    [InlineData("datetime", "1727896152414", "2024-10-02T19:09:12.414Z")]
    [InlineData("date", "1727654400000", "2024-09-30")]
    [InlineData("date", "2024-09-30T00:00:00.000Z", "2024-09-30")]
    [InlineData("datetime", "", null)]
    [InlineData("date", " ", null)]
    [InlineData("enumeration", "chocolate;strawberry", "chocolate;strawberry")]
    [InlineData("string", "", null)]
    [InlineData("string", "value", "value")]
    public void Values_are_converted_by_property_type(string type, string raw, string? expected)
    {
        Assert.Equal(expected, HubSpotValues.Convert(type, raw, out var invalid));
        Assert.False(invalid);
    }

    [Theory]
    [InlineData("number", "seventeen")]
    [InlineData("bool", "yes")]
    [InlineData("datetime", "last tuesday")]
    [InlineData("datetime", "99999999999999999")]
    [InlineData("number", "1e400")]
    public void Unparsable_values_of_typed_properties_are_empty_and_flagged(string type, string raw)
    {
        Assert.Null(HubSpotValues.Convert(type, raw, out var invalid));
        Assert.True(invalid);
    }
}
