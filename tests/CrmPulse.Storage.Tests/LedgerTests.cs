using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Kpis;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Samples: append, latest per series, at-or-before, series ranges, and time and dimension round-trips.</summary>
public abstract class LedgerTests(StoreKind kind) : IDisposable
{
    private const string Wau = "weekly_active_ratio";
    private const string Calls = "calls_7d";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T1 = T0.AddHours(1);
    private static readonly DateTimeOffset T2 = T0.AddHours(2);
    private static readonly Dimensions Sales = Dimensions.Of(("team", "Sales"));
    private static readonly Dimensions Support = Dimensions.Of(("team", "Support"));

    private readonly StoreUnderTest _db = new(kind);

    public void Dispose() => _db.Dispose();

    private static KpiSample S(string kpi, string source, Dimensions dims, double value, DateTimeOffset time, string? basis = null) =>
        new(kpi, source, dims, value, time, basis);

    private static string Text(KpiSample s) => $"{s.Kpi}/{s.Source}/{s.Dimensions.Key}={s.Value}@{s.Time:HH:mm}{(s.Basis is null ? "" : $"[{s.Basis}]")}";

    private async Task<ICrmStore> TwoPassesAsync()
    {
        var store = await _db.OpenAsync();
        await store.AppendAsync(
        [
            S(Wau, "a", Sales, 0.5, T0, "login"), S(Wau, "a", Support, 0.6, T0, "login"), S(Wau, "a", Dimensions.None, 0.55, T0, "login"),
            S(Calls, "a", Dimensions.Of(("type", "call")), 10, T0), S(Wau, "b", Dimensions.None, 0.9, T0, "activity"),
        ], [], None);
        // Second pass: Support has no value this time.
        await store.AppendAsync([S(Wau, "a", Sales, 0.7, T1, "login"), S(Wau, "a", Dimensions.None, 0.65, T1, "login")], [], None);
        return store;
    }

    [Fact]
    public async Task Latest_gives_the_newest_sample_of_every_series_after_two_passes()
    {
        using var store = await TwoPassesAsync();

        var all = await store.LatestAsync(null, None);
        var a = await store.LatestAsync("a", None);

        // Ordered by kpi, source, dimensions key ("" < "team=Sales" < "team=Support").
        Assert.Equal(
        [
            "calls_7d/a/type=call=10@09:00",
            "weekly_active_ratio/a/=0.65@10:00[login]",
            "weekly_active_ratio/a/team=Sales=0.7@10:00[login]",
            "weekly_active_ratio/a/team=Support=0.6@09:00[login]",
            "weekly_active_ratio/b/=0.9@09:00[activity]",
        ], all.Select(Text));
        Assert.Equal(all.Take(4).Select(Text), a.Select(Text));
        Assert.Empty(await store.LatestAsync("nobody", None));
    }

    [Fact]
    public async Task A_backfilled_older_sample_is_kept_but_does_not_become_the_latest()
    {
        using var store = await TwoPassesAsync();

        await store.AppendAsync([S(Wau, "a", Sales, 0.1, T0.AddDays(-7))], [], None);

        Assert.Contains("weekly_active_ratio/a/team=Sales=0.7@10:00[login]", (await store.LatestAsync("a", None)).Select(Text));
        Assert.Equal(0.1, (await store.AtOrBeforeAsync(Wau, "a", Sales, T0.AddDays(-1), None))!.Value);
    }

    [Fact]
    public async Task Of_two_samples_at_the_same_time_the_later_append_wins()
    {
        using var store = await TwoPassesAsync();

        await store.AppendAsync([S(Wau, "a", Sales, 0.75, T1, "login")], [], None);

        Assert.Contains("weekly_active_ratio/a/team=Sales=0.75@10:00[login]", (await store.LatestAsync("a", None)).Select(Text));
        Assert.Equal(0.75, (await store.AtOrBeforeAsync(Wau, "a", Sales, T1, None))!.Value);
        Assert.Equal([0.5, 0.7, 0.75], (await store.SeriesAsync(Wau, "a", T0, T1, None)).Where(s => s.Dimensions.Equals(Sales)).Select(s => s.Value));
    }

    [Fact]
    public async Task At_or_before_finds_the_newest_sample_of_that_series_up_to_the_time_inclusive()
    {
        using var store = await TwoPassesAsync();

        Assert.Null(await store.AtOrBeforeAsync(Wau, "a", Sales, T0.AddMilliseconds(-1), None));
        Assert.Equal(0.5, (await store.AtOrBeforeAsync(Wau, "a", Sales, T0, None))!.Value);
        Assert.Equal(0.5, (await store.AtOrBeforeAsync(Wau, "a", Sales, T1.AddMilliseconds(-1), None))!.Value);
        Assert.Equal(0.7, (await store.AtOrBeforeAsync(Wau, "a", Sales, T1, None))!.Value);
        Assert.Equal(0.6, (await store.AtOrBeforeAsync(Wau, "a", Support, T2, None))!.Value);
        Assert.Equal(0.55, (await store.AtOrBeforeAsync(Wau, "a", Dimensions.None, T0, None))!.Value);
        Assert.Null(await store.AtOrBeforeAsync(Wau, "c", Sales, T2, None));
        Assert.Null(await store.AtOrBeforeAsync(Calls, "a", Sales, T2, None));
    }

    [Fact]
    public async Task Series_gives_one_kpi_between_two_times_inclusive_ordered_by_dimensions_then_source_then_time()
    {
        using var store = await TwoPassesAsync();
        await store.AppendAsync([S(Wau, "a", Sales, 0.8, T2), S(Wau, "b", Dimensions.None, 0.95, T2)], [], None);

        var a = await store.SeriesAsync(Wau, "a", T0, T1, None);
        var all = await store.SeriesAsync(Wau, null, T1, T2, None);

        Assert.Equal(
        [
            "weekly_active_ratio/a/=0.55@09:00[login]", "weekly_active_ratio/a/=0.65@10:00[login]",
            "weekly_active_ratio/a/team=Sales=0.5@09:00[login]", "weekly_active_ratio/a/team=Sales=0.7@10:00[login]",
            "weekly_active_ratio/a/team=Support=0.6@09:00[login]",
        ], a.Select(Text));
        Assert.Equal(
        [
            "weekly_active_ratio/a/=0.65@10:00[login]", "weekly_active_ratio/b/=0.95@11:00",
            "weekly_active_ratio/a/team=Sales=0.7@10:00[login]", "weekly_active_ratio/a/team=Sales=0.8@11:00",
        ], all.Select(Text));
        Assert.Empty(await store.SeriesAsync(Wau, "a", T2.AddMilliseconds(1), T2.AddDays(1), None));
        Assert.Empty(await store.SeriesAsync(Wau, "a", T1, T0, None)); // from after to
    }

    [Fact]
    public async Task Dimension_values_with_commas_equals_backslashes_and_non_ascii_come_back_equal()
    {
        using var store = await _db.OpenAsync();
        var odd = Dimensions.Of(("team", "Sales, EMEA"), ("field", "a=b\\c"), ("object", "Kontakt-Überprüfung ✓ 日本"));
        var near = Dimensions.Of(("team", "Sales"), ("field", "a=b\\c"), ("object", "Kontakt-Überprüfung ✓ 日本"));

        await store.AppendAsync([S("fill_rate", "s", odd, 0.25, T0), S("fill_rate", "s", near, 0.5, T0)], [], None);

        var latest = await store.LatestAsync("s", None);
        Assert.Equal(2, latest.Count);
        var back = Assert.Single(latest, s => s.Value == 0.25).Dimensions;
        Assert.Equal(odd, back);
        Assert.Equal("Sales, EMEA", back["team"]);
        Assert.Equal("a=b\\c", back["field"]);
        Assert.Equal("Kontakt-Überprüfung ✓ 日本", back["object"]);
        Assert.Equal(0.5, (await store.AtOrBeforeAsync("fill_rate", "s", near, T0, None))!.Value);
        Assert.Equal(0.25, Assert.Single(await store.SeriesAsync("fill_rate", "s", T0, T0, None), s => s.Dimensions.Equals(odd)).Value);
    }

    [Fact]
    public async Task Sample_times_round_trip_to_the_millisecond_as_utc()
    {
        using var store = await _db.OpenAsync();
        var local = new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567); // .1234567 s

        await store.AppendAsync([S(Wau, "s", Dimensions.None, 1, local)], [], None);

        var time = Assert.Single(await store.LatestAsync("s", None)).Time;
        Assert.True(time.EqualsExact(new DateTimeOffset(2025, 6, 1, 10, 0, 0, 123, TimeSpan.Zero)), time.ToString("O"));
    }

    [Fact]
    public async Task A_non_finite_value_is_refused_naming_the_sample_and_nothing_of_the_batch_is_written()
    {
        using var store = await _db.OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.AppendAsync([S(Wau, "s", Dimensions.None, 1, T0), S(Wau, "s", Sales, double.NaN, T0)], [], None));

        Assert.Contains("Sample #2 (kpi 'weekly_active_ratio', source 's', dimensions 'team=Sales') has the value NaN", error.Message);
        Assert.Empty(await store.LatestAsync(null, None));
    }

    [Theory]
    [InlineData("UPDATE samples SET value = 0", "never updated")]
    [InlineData("DELETE FROM samples", "never deleted")]
    public async Task Samples_cannot_be_rewritten_even_by_hand(string sql, string message)
    {
        using (var store = await _db.OpenAsync())
        {
            await store.AppendAsync([S(Wau, "s", Dimensions.None, 1, T0)], [], None);
        }

        var error = Assert.ThrowsAny<System.Data.Common.DbException>(() => _db.Execute(sql));

        Assert.Contains(message, error.Message);
        Assert.Equal(1.0, _db.Scalar("SELECT value FROM samples"));
    }
}

public sealed class LedgerTestsOnSqlite() : LedgerTests(StoreKind.Sqlite);

public sealed class LedgerTestsOnPostgreSql() : LedgerTests(StoreKind.PostgreSql);
