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
    public void Unparsable_values_of_typed_properties_are_empty_and_flagged(string type, string raw)
    {
        Assert.Null(HubSpotValues.Convert(type, raw, out var invalid));
        Assert.True(invalid);
    }
}
