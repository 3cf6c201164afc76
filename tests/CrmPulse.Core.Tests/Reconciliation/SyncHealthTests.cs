using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;
using CrmPulse.Core.Reconciliation;

namespace CrmPulse.Core.Tests.Reconciliation;

/// <summary>
/// Sync health on a hand-made pair ("sf" kept in step with "ac"), as of 2026-03-10 12:00 UTC:
/// S1/N1 agree (lag 5 min; N7 is an older copy of N1 in ac: a duplicate the sync made); S2/N2 phone stale since S2 changed
/// at 11:00 (pending 60 min); S3/N3 lifecycle stage emptied, S3 changed 03-08 12:00 (pending 2,880 min); S4/N4 agree
/// (lag 30 min); S5/N5 agree but changed in January (outside the 7-day lag window).
/// </summary>
public sealed class SyncHealthTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static Contact C(string id, string email, string? phone, string? stage, DateTimeOffset modified, DateTimeOffset? created = null,
        string first = "Margaret", string last = "Thornton") => new()
    {
        Id = id, Email = email, Phone = phone, LifecycleStage = stage, FirstName = first, LastName = last,
        CreatedAt = created ?? At(1, 1, 0), ModifiedAt = modified,
    };

    private static ReconciliationFindings Run()
    {
        var sf = new CrmSnapshot("sf", [], [],
        [
            C("S1", "m.thornton@thornton.co.uk", "+44 20 7946 0018", "customer", At(3, 10, 10)),
            C("S2", "bob@x.com", "2", "lead", At(3, 10, 11), first: "Bob", last: "Stone"),
            C("S3", "cid@x.com", null, "lead", At(3, 8, 12), first: "Cid", last: "Roe"),
            C("S4", "dee@x.com", null, null, At(3, 9, 12), first: "Dee", last: "Fox"),
            C("S5", "eve@x.com", "5", null, At(1, 1, 0), first: "Eve", last: "Moss"),
        ], [], [], []);
        var ac = new CrmSnapshot("ac", [], [],
        [
            C("N1", "m.thornton@thornton.co.uk", "+44 20 7946 0018", "Customer ", At(3, 10, 10, 5), created: At(3, 1, 0)),
            C("N2", "bob@x.com", "9", "lead", At(3, 9, 12), first: "Bob", last: "Stone"),
            C("N3", "cid@x.com", null, "", At(3, 5, 0), first: "Cid", last: "Roe"),
            C("N4", "DEE@x.com", null, null, At(3, 9, 12, 30), first: "Dee", last: "Fox"),
            C("N5", "eve@x.com", "5.0", null, At(1, 2, 0), first: "Eve", last: "Moss"),
            C("N7", "m.thornton@thornton.co.uk", "+44 20 7946 0018", "customer", At(1, 5, 0), created: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        ], [], [], []);
        var pair = new ReconciliationPair("sync", "sf", "ac", null, new Dictionary<string, ObjectMatch>
        {
            ["contact"] = new([MatchKey.Email], null, [new("email", "email"), new("phone", "phone"), new("lifecycle_stage", "lifecycle_stage")]),
        }) { Sync = true };
        return ReconciliationKpis.Reconcile(pair, sf, ac, AsOf, new DedupeOptions());
    }

    [Fact]
    public void Every_planted_sync_gap_is_found_and_nothing_else()
    {
        var values = Run().Kpis.Samples.Where(s => s.Kpi.StartsWith("sync_", StringComparison.Ordinal))
            .ToDictionary(s => $"{s.Kpi}[{s.Dimensions.Key}]", s => s.Value);

        Assert.Equal(new Dictionary<string, double>
        {
            ["sync_field_mismatches[field=email,object=contact]"] = 0,
            ["sync_field_mismatches[field=phone,object=contact]"] = 1, // S2
            ["sync_field_mismatches[field=lifecycle_stage,object=contact]"] = 1, // S3
            ["sync_pending_changes[object=contact]"] = 2, // S2, S3
            ["sync_pending_age_max[object=contact]"] = 2880, // S3 changed 03-08 12:00
            ["sync_lag_median[object=contact]"] = 17.5, // median of 5 (S1) and 30 (S4)
            ["sync_duplicates[object=contact]"] = 1, // N1, a newer copy of N7
        }.OrderBy(e => e.Key, StringComparer.Ordinal), values.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Each_sync_count_lists_its_records()
    {
        var issues = Run().Kpis.Issues.Where(i => i.Kpi.StartsWith("sync_", StringComparison.Ordinal))
            .Select(i => $"{i.Kpi} {i.RecordId} {i.Field} | {i.Detail}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
        [
            "sync_duplicates N1  | in ac, created 2026-03-01 00:00 UTC, duplicates N7 created 2025-01-01 00:00 UTC",
            "sync_field_mismatches S2 phone | '2' in sf; '9' on N2 in ac",
            "sync_field_mismatches S3 lifecycle_stage | 'lead' in sf; '' on N3 in ac",
            "sync_pending_changes S2  | 1 field(s) differ; last changed in sf 2026-03-10 11:00 UTC, the other copy (N2) 2026-03-09 12:00 UTC",
            "sync_pending_changes S3  | 1 field(s) differ; last changed in sf 2026-03-08 12:00 UTC, the other copy (N3) 2026-03-05 00:00 UTC",
        ], issues);
    }

    [Fact]
    public void A_migration_pair_has_no_sync_kpis()
    {
        var f = ReconciliationKpis.Reconcile(MigrationFixture.Pair(), MigrationFixture.Old(), MigrationFixture.New(), MigrationFixture.AsOf, new DedupeOptions());

        Assert.DoesNotContain(f.Kpis.Samples, s => s.Kpi.StartsWith("sync_", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_agreeing_recent_changes_there_is_no_lag_sample_and_no_pending_change_is_zero_minutes()
    {
        var one = new CrmSnapshot("a", [], [], [C("S", "s@x.com", null, null, At(1, 1, 0))], [], [], []);
        var other = new CrmSnapshot("b", [], [], [C("N", "s@x.com", null, null, At(1, 1, 0))], [], [], []);
        var pair = new ReconciliationPair("p", "a", "b", null, new Dictionary<string, ObjectMatch> { ["contact"] = new([MatchKey.Email], null, [new("phone", "phone")]) }) { Sync = true };

        var samples = ReconciliationKpis.Reconcile(pair, one, other, AsOf, new DedupeOptions()).Kpis.Samples;

        Assert.DoesNotContain(samples, s => s.Kpi == SyncHealth.LagMedian);
        Assert.Equal(0, samples.Single(s => s.Kpi == SyncHealth.PendingAgeMax).Value);
        Assert.Equal(0, samples.Single(s => s.Kpi == SyncHealth.Duplicates).Value);
    }

    [Theory]
    [InlineData("1000", "1000.00", true)]
    [InlineData(" Customer ", "customer", true)]
    [InlineData(null, "  ", true)]
    [InlineData("x", null, false)]
    [InlineData("1000", "1001", false)]
    public void Values_are_compared_as_a_sync_would_write_them(string? a, string? b, bool same) => Assert.Equal(same, SyncHealth.Same(a, b));
}
