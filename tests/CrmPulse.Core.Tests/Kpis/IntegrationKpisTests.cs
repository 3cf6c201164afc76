using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class IntegrationKpisTests
{
    private static readonly IntegrationKpis Family = new();

    // As-of is 2026-03-10 12:00 UTC, so "today" starts 12 hours earlier, at 2026-03-10 00:00 UTC.
    private static readonly DateTimeOffset Midnight = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private static KpiOptions Shop(TimeSpan? expectedEvery = null) =>
        new() { Integrations = [new IntegrationFieldRule("shop", "source", "Shopify", expectedEvery)] };

    private static Dictionary<string, string?> From(string value) => new() { ["source"] = value };

    private static Contact Contact(string id, DateTimeOffset created, string? source, string? email = null) =>
        new() { Id = id, CreatedAt = created, ModifiedAt = created, Email = email, Custom = source is null ? new Dictionary<string, string?>() : From(source) };

    private static Fixture Written()
    {
        // The integration's records: a contact 90 min ago, a company 3 h ago (value spelled " shopify ": trimmed,
        // case-insensitive). Not its: a deal from another system 30 min ago, and a contact stamped after as-of.
        return new Fixture()
            .Contact(Contact("c1", HoursAgo(1.5), "Shopify"))
            .Company(new Company { Id = "co1", CreatedAt = HoursAgo(3), ModifiedAt = HoursAgo(3), Custom = From(" shopify ") })
            .Deal(new Deal { Id = "d1", CreatedAt = HoursAgo(0.5), ModifiedAt = HoursAgo(0.5), Custom = From("Zapier") })
            .Contact(Contact("future", AsOf.AddHours(1), "Shopify"));
    }

    [Fact]
    public void Freshness_is_minutes_since_the_newest_record_the_integration_created_up_to_as_of()
    {
        var result = Written().Run(Family, Shop());

        // Newest of its records: c1 at 10:30; 12:00 − 10:30 = 90 minutes (the 11:30 deal is another system's).
        Assert.Equal(90, result.Value("integration_freshness", ("integration", "shop")));
    }

    [Theory]
    [InlineData(60, 1)]   // 90 min > 60 min: late
    [InlineData(120, 0)]  // 90 min ≤ 120 min: on time
    [InlineData(90, 0)]   // exactly the expected interval is not late yet
    public void Late_is_one_when_freshness_exceeds_expected_every(int expectedMinutes, double late)
    {
        var result = Written().Run(Family, Shop(TimeSpan.FromMinutes(expectedMinutes)));

        Assert.Equal(late, result.Value("integration_late", ("integration", "shop")));
    }

    [Fact]
    public void Late_is_not_reported_without_expected_every()
    {
        var result = Written().Run(Family, Shop());

        Assert.Empty(result.KeysOf("integration_late"));
    }

    [Fact]
    public void An_integration_that_never_wrote_is_late_and_has_no_freshness()
    {
        var result = new Fixture().Contact(Contact("c1", HoursAgo(1), "Zapier")).Run(Family, Shop(TimeSpan.FromHours(1)));

        Assert.Equal(1, result.Value("integration_late", ("integration", "shop")));
        Assert.Equal(0, result.Value("integration_records_today", ("integration", "shop")));
        Assert.Equal(0, result.Value("integration_duplicates", ("integration", "shop")));
        Assert.Empty(result.KeysOf("integration_freshness"));
        Assert.Empty(result.KeysOf("integration_volume_ratio"));
    }

    [Fact]
    public void Records_today_counts_from_utc_midnight_including_it()
    {
        var result = Written()
            .Contact(Contact("at-midnight", Midnight, "Shopify"))
            .Contact(Contact("just-before", Midnight.AddTicks(-1), "Shopify"))
            .Run(Family, Shop());

        // c1 (10:30), co1 (09:00) and the one at exactly 00:00 = 3; 23:59:59.9999999 yesterday is not today.
        Assert.Equal(3, result.Value("integration_records_today", ("integration", "shop")));
    }

    [Fact]
    public void Volume_ratio_is_today_over_the_median_of_the_previous_fourteen_full_days()
    {
        var fixture = new Fixture();
        // Day k before today holds counts[k - 1] records, stamped at one hour after that day's midnight.
        int[] counts = [1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4];
        var n = 0;
        for (var k = 1; k <= counts.Length; k++)
        {
            for (var i = 0; i < counts[k - 1]; i++) fixture.Contact(Contact($"p{n++}", Midnight.AddDays(-k).AddHours(1), "Shopify"));
        }
        // Day 15 is outside the 14 days and does not count.
        for (var i = 0; i < 50; i++) fixture.Contact(Contact($"old{i}", Midnight.AddDays(-15).AddHours(1), "Shopify"));
        for (var i = 0; i < 5; i++) fixture.Contact(Contact($"t{i}", Midnight.AddHours(2), "Shopify"));

        var result = fixture.Run(Family, Shop());

        // Sorted counts 1,2,2,2,2,2,2,3,3,3,3,3,3,4: median = (7th + 8th) ÷ 2 = (2 + 3) ÷ 2 = 2.5; today 5 ÷ 2.5 = 2.
        Assert.Equal(5, result.Value("integration_records_today", ("integration", "shop")));
        Assert.Equal(2, result.Value("integration_volume_ratio", ("integration", "shop")));
    }

    [Fact]
    public void Volume_ratio_is_not_reported_when_the_median_is_zero()
    {
        // Only yesterday has records: 13 of the 14 days are 0, so the median is 0 and a ratio would be infinite.
        var result = new Fixture()
            .Contact(Contact("y1", Midnight.AddHours(-1), "Shopify"))
            .Contact(Contact("y2", Midnight.AddHours(-2), "Shopify"))
            .Contact(Contact("t1", Midnight.AddHours(1), "Shopify"))
            .Run(Family, Shop());

        Assert.Equal(1, result.Value("integration_records_today", ("integration", "shop")));
        Assert.Empty(result.KeysOf("integration_volume_ratio"));
    }

    [Fact]
    public void Duplicates_count_the_integrations_records_that_are_not_the_survivor_of_their_cluster()
    {
        var result = new Fixture()
            // Cluster jane@x.com: a (oldest, typed in by hand) survives; b and c, written by the shop, are removable.
            // (The same person: name and e-mail agree; an e-mail alone is not enough for the matcher.)
            .Contact(Contact("a", DaysAgo(10), null, "jane@x.com") with { FirstName = "Jane", LastName = "Doe" })
            .Contact(Contact("b", DaysAgo(1), "Shopify", "jane@x.com") with { FirstName = "Jane", LastName = "Doe" })
            .Contact(Contact("c", HoursAgo(2), "Shopify", "JANE@x.com ") with { FirstName = "jane", LastName = "Doe" })
            .Contact(Contact("d", HoursAgo(2), "Shopify", "solo@x.com") with { FirstName = "Sol", LastName = "Olo" })
            // Cluster x.com: the shop's company is the survivor (oldest), the other one is not the shop's.
            .Company(new Company { Id = "co1", Name = "X Ltd", Domain = "x.com", CreatedAt = DaysAgo(20), Custom = From("Shopify") })
            .Company(new Company { Id = "co2", Name = "X Limited", Domain = "x.com", CreatedAt = DaysAgo(2) })
            .Run(Family, Shop());

        // b and c = 2 (co1 survives, co2 and a are not the shop's, d has no twin).
        Assert.Equal(2, result.Value("integration_duplicates", ("integration", "shop")));
    }

    [Fact]
    public void Each_rule_is_its_own_integration_series_and_no_rules_give_no_samples()
    {
        var options = new KpiOptions
        {
            Integrations = [new IntegrationFieldRule("shop", "source", "Shopify", null), new IntegrationFieldRule("zap", "source", "zapier", null)],
        };

        var result = Written().Run(Family, options);

        Assert.Equal(["integration=shop", "integration=zap"], result.KeysOf("integration_records_today"));
        Assert.Equal(30, result.Value("integration_freshness", ("integration", "zap"))); // the deal at 11:30
        Assert.Empty(Written().Run(Family).Samples);
    }

    [Fact]
    public void Api_usage_becomes_latency_percentiles_error_ratio_and_headroom()
    {
        var usage = new ApiUsage(5, 1, [120, 80, 300, 100, 95], DailyLimit: 1000, DailyRemaining: 250);

        var samples = IntegrationKpis.FromApiUsage("hub", usage, AsOf);

        // Sorted 80, 95, 100, 120, 300: p50 rank ⌈2.5⌉ = 3 → 100; p95 rank ⌈4.75⌉ = 5 → 300.
        // Errors 1 ÷ 5 requests = 0.2; headroom 250 ÷ 1000 = 0.25.
        Assert.All(samples, s => Assert.Equal(("hub", "integration=crm_api", AsOf), (s.Source, s.Dimensions.Key, s.Time)));
        Assert.Equal(
            [("crm_api_latency_p50", 100.0), ("crm_api_latency_p95", 300.0), ("crm_api_error_ratio", 0.2), ("crm_api_headroom_ratio", 0.25)],
            samples.Select(s => (s.Kpi, s.Value)));
    }

    [Fact]
    public void Api_usage_without_requests_or_limits_gives_only_what_it_can()
    {
        Assert.Empty(IntegrationKpis.FromApiUsage("hub", new ApiUsage(0, 0, []), AsOf));
        // A limit of 0 would divide by zero; a limit without a remaining count says nothing.
        Assert.Equal(["crm_api_error_ratio"], IntegrationKpis.FromApiUsage("hub", new ApiUsage(2, 0, [], 0, 0), AsOf).Select(s => s.Kpi));
        Assert.Equal(["crm_api_error_ratio"], IntegrationKpis.FromApiUsage("hub", new ApiUsage(2, 0, [], 100, null), AsOf).Select(s => s.Kpi));
    }
}
