using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Demo;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>Determinism and incremental pulls, on a small org (same code paths, generated in milliseconds).</summary>
public sealed class DemoPullTests
{
    private static readonly DateTimeOffset Anchor = new(2025, 3, 3, 0, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly Dictionary<string, string> NoWatermarks = [];

    private static DemoSourceOptions Small(int seed = 42, DateTimeOffset? anchor = null) => new()
    {
        Seed = seed, Users = 30, Contacts = 1500, Companies = 300, Deals = 250, Activities = 6000, HistoryDays = 90,
        Anchor = anchor ?? Anchor,
    };

    private static Task<ChangeSet> Pull(DemoSource source, IReadOnlyDictionary<string, string> watermarks) =>
        source.PullAsync(watermarks, CancellationToken.None);

    private static Task<ChangeSet> PullAt(DemoSourceOptions options, DateTimeOffset now) =>
        Pull(new DemoSource("demo", options, new FakeClock(now)), NoWatermarks);

    /// <summary>Every record of a change set as JSON, in a stable order: equal texts mean equal pulls.</summary>
    private static string Text(params ChangeSet[] sets) => JsonSerializer.Serialize(new
    {
        Users = sets.SelectMany(s => s.Users).OrderBy(x => x.Id, StringComparer.Ordinal),
        Logins = sets.SelectMany(s => s.Logins).OrderBy(x => x.Id, StringComparer.Ordinal),
        Contacts = sets.SelectMany(s => s.Contacts).OrderBy(x => x.Id, StringComparer.Ordinal),
        Companies = sets.SelectMany(s => s.Companies).OrderBy(x => x.Id, StringComparer.Ordinal),
        Deals = sets.SelectMany(s => s.Deals).OrderBy(x => x.Id, StringComparer.Ordinal),
        Activities = sets.SelectMany(s => s.Activities).OrderBy(x => x.Id, StringComparer.Ordinal),
    });

    [Fact]
    public async Task Two_sources_with_the_same_seed_and_anchor_pull_identical_change_sets()
    {
        var now = Anchor.AddDays(2).AddHours(11);
        var first = await PullAt(Small(), now);
        var second = await PullAt(Small(), now);
        Assert.Equal(Text(first), Text(second));
        Assert.Equal(first.Watermarks, second.Watermarks);
    }

    [Fact]
    public async Task Another_seed_gives_another_org_of_the_same_size()
    {
        var now = Anchor.AddHours(1);
        var a = await PullAt(Small(seed: 42), now);
        var b = await PullAt(Small(seed: 43), now);
        Assert.NotEqual(Text(a), Text(b));
        Assert.Equal(a.Contacts.Count, b.Contacts.Count);
        Assert.NotEqual(a.Contacts.Select(c => c.Email), b.Contacts.Select(c => c.Email));
    }

    [Fact]
    public async Task Pulling_at_10_and_at_14_gives_the_same_union_as_one_pull_at_14()
    {
        var clock = new FakeClock(Anchor.AddDays(1).AddHours(10));
        var source = new DemoSource("demo", Small(), clock);
        var morning = await Pull(source, NoWatermarks);
        clock.Now = Anchor.AddDays(1).AddHours(14);
        var afternoon = await Pull(source, morning.Watermarks);

        var once = await PullAt(Small(), Anchor.AddDays(1).AddHours(14));
        Assert.Equal(Text(once), Text(morning, afternoon));
        // Nothing is sent twice.
        Assert.Empty(morning.Activities.Select(a => a.Id).Intersect(afternoon.Activities.Select(a => a.Id)));
        Assert.Empty(morning.Logins.Select(a => a.Id).Intersect(afternoon.Logins.Select(a => a.Id)));
        Assert.NotEmpty(afternoon.Activities);
    }

    [Fact]
    public async Task A_later_pull_returns_only_events_after_the_previous_pull_and_no_static_records()
    {
        var clock = new FakeClock(Anchor.AddDays(1).AddHours(10));
        var source = new DemoSource("demo", Small(), clock);
        var first = await Pull(source, NoWatermarks);
        var previous = clock.Now;
        clock.Now = Anchor.AddDays(3).AddHours(16); // two days and a bit later
        var next = await Pull(source, first.Watermarks);

        Assert.Empty(next.Users);
        Assert.Empty(next.Companies);
        Assert.Empty(next.CompleteKinds);
        Assert.All(next.Logins, l => Assert.InRange(l.At, previous.AddTicks(1), clock.Now));
        Assert.All(next.Activities, a => Assert.InRange(a.ModifiedAt, previous.AddTicks(1), clock.Now));
        Assert.All(next.Contacts, c => Assert.InRange(c.CreatedAt, previous.AddTicks(1), clock.Now));
        Assert.All(next.Deals, d => Assert.InRange(d.CreatedAt, previous.AddTicks(1), clock.Now));
        Assert.NotEmpty(next.Contacts);
        Assert.NotEmpty(next.Deals);
        Assert.Equal("2025-03-06T16:00:00.0000000+00:00", next.Watermarks[DemoSource.ThroughWatermark]);
        Assert.Equal("2025-03-03T00:00:00.0000000+00:00", next.Watermarks[DemoSource.AnchorWatermark]);
    }

    [Fact]
    public async Task The_first_pull_holds_the_whole_org_and_marks_every_kind_complete()
    {
        var set = await PullAt(Small(), Anchor.AddHours(9));
        Assert.Equal(30 + 2 + 3, set.Users.Count);
        Assert.Equal(300, set.Companies.Count);
        Assert.Equal(1500, set.Contacts.Count(c => c.CreatedAt < Anchor));
        Assert.Equal(6000, set.Activities.Count(a => a.OccurredAt < Anchor));
        Assert.Equal(Enum.GetValues<ObjectKind>().ToHashSet(), set.CompleteKinds);
        Assert.Empty(set.Problems);
    }

    [Fact]
    public async Task Nothing_later_than_now_is_emitted()
    {
        var now = Anchor.AddDays(4).AddHours(11.5);
        var set = await PullAt(Small(), now);
        Assert.All(set.Logins, l => Assert.True(l.At <= now, l.Id));
        Assert.All(set.Activities, a => Assert.True(a.OccurredAt <= now && a.CreatedAt <= now && a.ModifiedAt <= now, a.Id));
        Assert.All(set.Contacts, c => Assert.True(c.CreatedAt <= now && c.ModifiedAt <= now, c.Id));
        Assert.All(set.Deals, d => Assert.True(d.CreatedAt <= now && d.ModifiedAt <= now && !(d.ClosedAt > now), d.Id));
        Assert.All(set.Users, u => Assert.True(u.CreatedAt <= now, u.Id));
        // The day in progress is there up to now: logins this morning, none this evening.
        Assert.Contains(set.Logins, l => l.At > Anchor.AddDays(4) && l.At <= now);
    }

    [Fact]
    public async Task Without_an_anchor_the_first_sync_anchors_at_its_utc_midnight_and_a_restart_resumes_the_same_org()
    {
        var options = Small();
        options.Anchor = null;
        var clock = new FakeClock(new DateTimeOffset(2025, 3, 5, 15, 20, 0, TimeSpan.Zero));
        var first = await Pull(new DemoSource("demo", options, clock), NoWatermarks);
        Assert.Equal("2025-03-05T00:00:00.0000000+00:00", first.Watermarks[DemoSource.AnchorWatermark]);

        // A new process (new instance) with the stored watermarks continues where the first left off.
        clock.Now = new DateTimeOffset(2025, 3, 6, 12, 0, 0, TimeSpan.Zero);
        var resumed = await Pull(new DemoSource("demo", options, clock), first.Watermarks);
        Assert.Empty(resumed.Users);
        var once = await PullAt(Small(anchor: new DateTimeOffset(2025, 3, 5, 0, 0, 0, TimeSpan.Zero)), clock.Now);
        Assert.Equal(Text(once), Text(first, resumed));
    }

    [Fact]
    public async Task A_changed_anchor_sends_the_whole_new_org_again()
    {
        var first = await PullAt(Small(), Anchor.AddHours(12));
        var moved = new DemoSource("demo", Small(anchor: Anchor.AddDays(7)), new FakeClock(Anchor.AddDays(7).AddHours(12)));
        var set = await Pull(moved, first.Watermarks);
        Assert.Equal(300, set.Companies.Count);
        Assert.Equal(Enum.GetValues<ObjectKind>().ToHashSet(), set.CompleteKinds);
        Assert.Equal("2025-03-10T00:00:00.0000000+00:00", set.Watermarks[DemoSource.AnchorWatermark]);
    }

    [Fact]
    public async Task An_unreadable_watermark_is_reported_and_the_whole_org_is_pulled_again()
    {
        var source = new DemoSource("demo", Small(), new FakeClock(Anchor.AddHours(12)));
        var set = await Pull(source, new Dictionary<string, string>
        {
            [DemoSource.AnchorWatermark] = "2025-03-03T00:00:00.0000000+00:00",
            [DemoSource.ThroughWatermark] = "yesterday",
        });
        var problem = Assert.Single(set.Notices);
        Assert.Equal("watermarks: column 'through': unreadable time 'yesterday' (expected ISO 8601 round-trip format); the whole org was pulled again.",
            problem.ToString());
        Assert.Equal(300, set.Companies.Count);
    }

    [Fact]
    public async Task An_anchor_in_the_future_fails_the_pull_with_a_clear_message()
    {
        var source = new DemoSource("crm-demo", Small(), new FakeClock(Anchor.AddDays(-1)));
        var error = await Assert.ThrowsAsync<SourceException>(() => Pull(source, NoWatermarks));
        Assert.Equal("Demo source 'crm-demo': the anchor 2025-03-03T00:00:00.0000000+00:00 is later than now "
            + "(2025-03-02T00:00:00.0000000+00:00); set an Anchor in the past or leave it unset.", error.Message);
    }

    [Fact]
    public async Task Facts_need_the_anchor_first()
    {
        var options = Small();
        options.Anchor = null;
        var source = new DemoSource("demo", options, new FakeClock(Anchor.AddHours(12)));
        Assert.Throws<InvalidOperationException>(() => source.Facts);
        await Pull(source, NoWatermarks);
        Assert.Equal(Anchor, source.Facts.Anchor);
    }

    [Fact]
    public async Task The_smallest_allowed_org_still_holds_its_exact_activity_count_and_every_planted_problem_kind()
    {
        var options = new DemoSourceOptions
        {
            Users = 10, Teams = 2, Contacts = 100, Companies = 20, Deals = 20, Activities = 100, HistoryDays = 60, Anchor = Anchor,
        };
        var source = new DemoSource("tiny", options, new FakeClock(Anchor));
        var set = await Pull(source, NoWatermarks);
        Assert.Equal(100, set.Activities.Count);
        Assert.Equal(10, set.Users.Count(u => u.IsActive && !u.IsIntegration));
        Assert.Equal(["Customer Success", "Sales EMEA"], set.Users.Where(u => u.Team is not null).Select(u => u.Team!).Distinct().Order(StringComparer.Ordinal));
        Assert.Single(source.Facts.NeverLoggedInUserIds);
        Assert.Equal(2, source.Facts.CompaniesWithMissingParent.Count);
    }

    [Fact]
    public async Task A_cancelled_pull_returns_a_cancelled_task()
    {
        var source = new DemoSource("demo", Small(), new FakeClock(Anchor.AddHours(12)));
        var task = source.PullAsync(NoWatermarks, new CancellationToken(canceled: true));
        Assert.True(task.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }
}
