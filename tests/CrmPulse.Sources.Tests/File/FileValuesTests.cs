using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

public sealed class FileValuesTests
{
    private static readonly FileValues Utc = new(TimeZoneInfo.Utc);
    private static readonly FileValues Berlin = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void Booleans_accept_true_false_yes_no_one_zero_in_any_case(string text, bool expected)
    {
        Assert.True(FileValues.TryBool(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("y")]
    [InlineData("2")]
    [InlineData("wahr")]
    public void Other_words_are_not_booleans(string text) => Assert.False(FileValues.TryBool(text, out _));

    [Theory]
    [InlineData("1250.50", "1250.50")]
    [InlineData("-3", "-3")]
    [InlineData("0.125", "0.125")]
    public void Decimals_use_a_point(string text, string expected)
    {
        Assert.True(FileValues.TryDecimal(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1,250.50")]
    [InlineData("12,5")]
    [InlineData("€10")]
    [InlineData("1e3")]
    public void Decimals_reject_separators_commas_and_symbols(string text) => Assert.False(FileValues.TryDecimal(text, out _));

    [Theory]
    [InlineData("2024-03-31", "2024-03-31")]
    [InlineData("2024-03-31 00:00", "2024-03-31")] // HubSpot writes dates as date-times
    [InlineData("2024-03-30T23:30:00Z", "2024-03-31")] // 23:30Z is 00:30 (+01:00) in Berlin
    public void Dates_are_read_in_the_configured_zone(string text, string expected)
    {
        Assert.True(Berlin.TryDate(text, out var value));
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("31.03.2024")]
    [InlineData("3/31/2024")]
    [InlineData("2024-02-30")]
    [InlineData("2024-13-01")]
    public void Other_date_forms_and_impossible_dates_are_rejected(string text) => Assert.False(Utc.TryDate(text, out _));

    [Theory]
    [InlineData("2024-03-05T14:30:00Z", "2024-03-05T14:30:00+00:00")]
    [InlineData("2024-03-05T14:30:00+01:00", "2024-03-05T13:30:00+00:00")]
    [InlineData("2024-03-05T14:30:00.123-05:00", "2024-03-05T19:30:00.123+00:00")]
    [InlineData("2024-09-27T15:18:19.000+0000", "2024-09-27T15:18:19+00:00")] // Salesforce
    [InlineData("2024-03-05T14:30+02", "2024-03-05T12:30:00+00:00")]
    [InlineData("2024-03-05 14:30", "2024-03-05T14:30:00+00:00")] // HubSpot export form, no offset: the zone (UTC)
    [InlineData("2024-03-05T14:30:15", "2024-03-05T14:30:15+00:00")]
    [InlineData("2024-03-05", "2024-03-05T00:00:00+00:00")]
    public void Date_times_with_or_without_offset(string text, string expectedUtc)
    {
        Assert.True(Utc.TryDateTime(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    // Europe/Berlin: CET +01:00 in winter, CEST +02:00 from 2024-03-31 02:00 (clocks jump to 03:00) to 2024-10-27 03:00
    // (clocks go back to 02:00, so 02:00-02:59 happens twice).
    [Theory]
    [InlineData("2024-01-15 10:00", "2024-01-15T09:00:00Z")] // winter: 10:00 - 1h
    [InlineData("2024-07-15T10:00:00", "2024-07-15T08:00:00Z")] // summer: 10:00 - 2h
    [InlineData("2024-03-31 01:59", "2024-03-31T00:59:00Z")] // last minute before the jump: - 1h
    [InlineData("2024-03-31 03:00", "2024-03-31T01:00:00Z")] // first minute after: - 2h
    [InlineData("2024-03-31 02:30", "2024-03-31T01:30:00Z")] // does not exist: read with +01:00, i.e. as 03:30 CEST
    [InlineData("2024-10-27 02:30", "2024-10-27T00:30:00Z")] // happens twice: the first, summer-time one (+02:00)
    [InlineData("2024-10-27 03:30", "2024-10-27T02:30:00Z")] // after the change: - 1h
    [InlineData("2024-07-15T10:00:00Z", "2024-07-15T10:00:00Z")] // an explicit offset ignores the zone
    public void Local_times_in_Berlin_become_the_right_instant_across_daylight_saving(string text, string expectedUtc)
    {
        Assert.True(Berlin.TryDateTime(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture).UtcTicks, value.UtcTicks);
    }

    [Theory]
    [InlineData("05/03/2024 14:30")]
    [InlineData("2024-03-05T25:00")]
    [InlineData("2024-03-05T14:30:00+15:00")]
    [InlineData("2024-03-05T14:30:00+14:30")]
    [InlineData("2024-03-05T14:30:00+01:60")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2024-03-05 2:30 PM")]
    [InlineData("yesterday")]
    public void Unreadable_date_times_are_rejected(string text) => Assert.False(Utc.TryDateTime(text, out _));

    [Theory]
    [InlineData("Customer Tier", "customer_tier")]
    [InlineData("customer_tier", "customer_tier")]
    [InlineData("CustomerTier", "customer_tier")]
    [InlineData("NPSScore", "nps_score")]
    [InlineData("Customer_Tier__c", "customer_tier_c")]
    [InlineData("  NPS (0-10) ", "nps_0_10")]
    [InlineData("USERROLE.NAME", "userrole_name")]
    public void Custom_field_keys_are_snake_case(string header, string expected) =>
        Assert.Equal(expected, ColumnNames.SnakeCase(header));

    [Theory]
    [InlineData("First Name", "first_name")]
    [InlineData("FIRSTNAME", "FirstName")]
    [InlineData("Is Deal Closed?", "is_deal_closed")]
    public void Headers_match_ignoring_case_spaces_and_punctuation(string a, string b) =>
        Assert.Equal(ColumnNames.MatchKey(a), ColumnNames.MatchKey(b));
}
