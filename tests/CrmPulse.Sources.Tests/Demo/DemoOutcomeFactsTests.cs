using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>
/// The pipeline-stage and outcome facts, recounted from the pulled records with the test's own code, and checked to
/// be real (a mix of fast, slow and unanswered leads; some converted; stage ages with a tail).
/// </summary>
[Collection(DefaultDemoOrgCollection.Name)]
public sealed class DemoOutcomeFactsTests(DefaultDemoOrg org)
{
    private static readonly DateTimeOffset A = DefaultDemoOrg.Anchor;

    private static double Median(List<double> v)
    {
        v.Sort();
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    [Fact]
    public void Deal_outcomes_match_the_records()
    {
        var closed90 = org.Deals.Where(d => d.IsClosed && d.ClosedAt > A.AddDays(-90) && d.ClosedAt <= A).ToList();
        var won90 = closed90.Where(d => d.IsWon).ToList();
        var o = org.Facts.Outcomes;

        Assert.Equal((double)won90.Count / closed90.Count, o.WinRate90d);
        Assert.Equal(Median(won90.Select(d => (d.ClosedAt!.Value - d.CreatedAt).TotalDays).ToList()), o.SalesCycleMedianDays);
        Assert.Equal(won90.Where(d => d.Amount.HasValue).Average(d => d.Amount!.Value), o.AverageDealSize);
        Assert.Equal(org.Deals.Where(d => d.IsWon && d.ClosedAt > A.AddDays(-30)).Sum(d => d.Amount ?? 0), o.NewRevenue30d);
        // The anchor is 2025-06-02 00:00: June so far holds only 1 June; May is the previous full month.
        Assert.Equal(org.Deals.Where(d => d.IsWon && d.ClosedAt >= new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero)
            && d.ClosedAt < new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero)).Sum(d => d.Amount ?? 0), o.NewRevenueByMonth["2025-05"]);
        Assert.Equal(["2025-05", "2025-06"], o.NewRevenueByMonth.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(o.WinRate90d, 0.2, 0.6);
    }

    [Fact]
    public void Lead_response_and_conversion_match_the_records()
    {
        var leads = org.Contacts.Where(c => c.IsLead && c.CreatedAt > A.AddDays(-30)).ToList();
        var minutes = new List<double>();
        foreach (var lead in leads)
        {
            var first = org.Activities.Where(x => x.ContactId == lead.Id && x.OccurredAt >= lead.CreatedAt && x.OccurredAt <= A
                    && (x.Type == ActivityType.Meeting || (x.Type is ActivityType.Call or ActivityType.Email && x.Direction == "outbound")))
                .Select(x => (DateTimeOffset?)x.OccurredAt).Min();
            if (first is { } t) minutes.Add((t - lead.CreatedAt).TotalMinutes);
        }
        var o = org.Facts.Outcomes;

        Assert.Equal(leads.Count, o.Leads30d);
        Assert.Equal(leads.Count - minutes.Count, o.UnansweredLeads);
        Assert.Equal(Median([.. minutes]), o.LeadResponseMedianMinutes);
        Assert.Equal((double)minutes.Count(m => m <= 5) / leads.Count, o.LeadResponseWithin5mRatio);
        Assert.Equal((double)minutes.Count(m => m <= 60) / leads.Count, o.LeadResponseWithin1hRatio);
        var leads90 = org.Contacts.Where(c => c.IsLead && c.CreatedAt > A.AddDays(-90)).ToList();
        Assert.Equal((double)leads90.Count(c => c.ConvertedAt <= A) / leads90.Count, o.LeadConversionRate);
        // A real mix: fast answers, slow ones and unanswered leads; every conversion is before the anchor.
        Assert.InRange(o.LeadResponseWithin5mRatio, 0.1, 0.5);
        Assert.InRange(o.LeadResponseWithin1hRatio, o.LeadResponseWithin5mRatio + 0.1, 0.9);
        Assert.InRange(o.UnansweredLeads, 10, leads.Count / 2);
        Assert.All(org.Contacts.Where(c => c.ConvertedAt is not null), c => Assert.True(c.IsLead && c.ConvertedAt < A && c.ConvertedAt > c.CreatedAt, c.Id));
    }

    [Fact]
    public void Stage_ages_match_the_records_and_have_a_tail()
    {
        var open = org.Deals.Where(d => !d.IsClosed && d.Stage is not null && d.StageEnteredAt is not null).ToList();
        var groups = open.GroupBy(d => (d.Pipeline!, d.Stage!)).ToList();
        var aging = 0;
        foreach (var g in groups)
        {
            var median = Median(g.Select(d => (A - d.StageEnteredAt!.Value).TotalDays).ToList());
            Assert.Equal(median, org.Facts.StageAgeMedianDays[g.Key.Item1][g.Key.Item2]);
            aging += g.Count(d => (A - d.StageEnteredAt!.Value).TotalDays > 2 * median);
        }
        Assert.Equal(aging, org.Facts.DealsAgingInStage);
        Assert.Equal(7, groups.Count); // 5 sales stages + 2 renewal stages
        Assert.InRange(org.Deals.Count(d => !d.IsClosed && d.Stage is not null && d.StageEnteredAt is null), 1, open.Count / 10);
        Assert.All(open, d => Assert.True(d.StageEnteredAt >= d.CreatedAt && d.StageEnteredAt <= A, d.Id));
    }
}
