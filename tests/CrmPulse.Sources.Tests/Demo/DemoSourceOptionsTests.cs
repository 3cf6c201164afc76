using CrmPulse.Sources.Demo;

namespace CrmPulse.Sources.Tests.Demo;

public sealed class DemoSourceOptionsTests
{
    [Fact]
    public void Default_options_are_valid()
    {
        var options = new DemoSourceOptions();
        Assert.Empty(options.Validate());
        Assert.Equal((42, 152, 5, 20000, 4000, 3000, 50000, 180), (options.Seed, options.Users, options.Teams, options.Contacts,
            options.Companies, options.Deals, options.Activities, options.HistoryDays));
        Assert.Null(options.Anchor);
    }

    [Theory]
    [InlineData("Contacts", 5, "Contacts must be at least 100, was 5.")]
    [InlineData("Contacts", 2_000_000, "Contacts must be at most 1000000, was 2000000.")]
    [InlineData("Users", 9, "Users must be at least 10, was 9.")]
    [InlineData("Companies", 0, "Companies must be at least 20, was 0.")]
    [InlineData("Deals", -1, "Deals must be at least 20, was -1.")]
    [InlineData("Activities", 99, "Activities must be at least 100, was 99.")]
    [InlineData("HistoryDays", 30, "HistoryDays must be at least 60, was 30.")]
    [InlineData("HistoryDays", 1000, "HistoryDays must be at most 730, was 1000.")]
    [InlineData("Teams", 1, "Teams must be between 2 and 5, was 1.")]
    [InlineData("Teams", 7, "Teams must be between 2 and 5, was 7.")]
    public void A_wrong_size_is_named_with_its_limit_and_value(string key, int value, string message)
    {
        var options = new DemoSourceOptions();
        typeof(DemoSourceOptions).GetProperty(key)!.SetValue(options, value);
        Assert.Equal([message], options.Validate());
    }

    [Fact]
    public void An_anchor_that_is_not_a_utc_midnight_is_rejected()
    {
        var options = new DemoSourceOptions { Anchor = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.FromHours(2)) };
        Assert.Equal(["Anchor must be a UTC midnight such as 2025-06-02T00:00:00Z, was 2025-06-02T00:00:00.0000000+02:00."], options.Validate());
        options.Anchor = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Every_wrong_option_is_reported_at_once_and_the_source_refuses_them()
    {
        var options = new DemoSourceOptions { Users = 1, Contacts = 1 };
        Assert.Equal(["Users must be at least 10, was 1.", "Contacts must be at least 100, was 1."], options.Validate());
        var error = Assert.Throws<ArgumentException>(() => new DemoSource("demo", options, TimeProvider.System));
        Assert.StartsWith("Demo source 'demo': Users must be at least 10, was 1. Contacts must be at least 100, was 1.", error.Message);
    }

    [Fact]
    public void The_source_copies_its_options_so_later_changes_have_no_effect()
    {
        var anchor = new DateTimeOffset(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
        var options = new DemoSourceOptions { Users = 10, Contacts = 100, Companies = 20, Deals = 20, Activities = 100, HistoryDays = 60, Anchor = anchor };
        var source = new DemoSource("demo", options, new FakeClock(anchor));
        options.Contacts = 5;
        Assert.Equal(100, source.Facts.Records["contact"]);
        Assert.Equal("Demo", source.Kind);
        Assert.Equal("demo", source.Name);
    }

    [Fact]
    public async Task The_pull_delay_test_knob_is_bounded_and_a_delayed_pull_stops_when_cancelled()
    {
        Assert.Equal(["PullDelay must be between 00:00:00 and 00:10:00, was -00:00:01."], new DemoSourceOptions { PullDelay = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Equal(["PullDelay must be between 00:00:00 and 00:10:00, was 00:10:01."], new DemoSourceOptions { PullDelay = TimeSpan.FromSeconds(601) }.Validate());

        var source = new DemoSource("demo", new DemoSourceOptions { Users = 10, Contacts = 100, Companies = 20, Deals = 20, Activities = 100, HistoryDays = 60,
            PullDelay = TimeSpan.FromMinutes(10) }, TimeProvider.System);
        using var cancel = new CancellationTokenSource();
        var pull = source.PullAsync(new Dictionary<string, string>(), cancel.Token);
        Assert.False(pull.IsCompleted); // waiting, as a slow CRM
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pull);
    }
}
