using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>Counts <see cref="DemoOutcomeFacts"/> and the stage-age facts from the org's records (not from the generator's plan).</summary>
internal static class DemoOutcomeFactsBuilder
{
    public static DemoOutcomeFacts Build(DemoOrg org, IReadOnlyList<Activity> activities)
    {
        var a = org.Anchor;
        bool Within(DateTimeOffset t, int days) => t > a.AddDays(-days) && t <= a;
        var closed = org.Deals.Where(d => d.IsClosed && d.ClosedAt is not null).ToList();
        var closed90 = closed.Where(d => Within(d.ClosedAt!.Value, 90)).ToList();
        var won90 = closed90.Where(d => d.IsWon).ToList();
        var won = closed.Where(d => d.IsWon).ToList();
        var monthStart = new DateTimeOffset(a.Year, a.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var previous = monthStart.AddMonths(-1);
        decimal Revenue(IEnumerable<Deal> deals) => deals.Sum(d => d.Amount ?? 0);

        var humans = org.Users.Where(u => !u.IsIntegration).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var leads30 = org.Contacts.Where(c => c.IsLead && Within(c.CreatedAt, 30)).ToList();
        var firstResponse = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var created = leads30.ToDictionary(c => c.Id, c => c.CreatedAt, StringComparer.Ordinal);
        foreach (var x in activities)
        {
            if (x.ContactId is null || !created.TryGetValue(x.ContactId, out var leadAt) || x.OccurredAt < leadAt || x.OccurredAt > a) continue;
            if (x.OwnerId is not null && !humans.Contains(x.OwnerId)) continue;
            var response = x.Type == ActivityType.Meeting || (x.Type is ActivityType.Call or ActivityType.Email && x.Direction == "outbound");
            if (response && (!firstResponse.TryGetValue(x.ContactId, out var t) || x.OccurredAt < t)) firstResponse[x.ContactId] = x.OccurredAt;
        }
        var minutes = leads30.Where(c => firstResponse.ContainsKey(c.Id)).Select(c => (firstResponse[c.Id] - c.CreatedAt).TotalMinutes).ToList();
        var leads90 = org.Contacts.Where(c => c.IsLead && Within(c.CreatedAt, 90)).ToList();

        return new DemoOutcomeFacts
        {
            WinRate90d = (double)won90.Count / closed90.Count,
            SalesCycleMedianDays = Median(won90.Select(d => (d.ClosedAt!.Value - d.CreatedAt).TotalDays)),
            NewRevenue30d = Revenue(won.Where(d => Within(d.ClosedAt!.Value, 30))),
            NewRevenueByMonth = new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                [Month(monthStart)] = Revenue(won.Where(d => d.ClosedAt >= monthStart && d.ClosedAt <= a)),
                [Month(previous)] = Revenue(won.Where(d => d.ClosedAt >= previous && d.ClosedAt < monthStart)),
            },
            AverageDealSize = won90.Where(d => d.Amount is not null).Average(d => d.Amount!.Value),
            Leads30d = leads30.Count,
            LeadResponseMedianMinutes = Median(minutes),
            LeadResponseWithin5mRatio = (double)minutes.Count(m => m <= 5) / leads30.Count,
            LeadResponseWithin1hRatio = (double)minutes.Count(m => m <= 60) / leads30.Count,
            UnansweredLeads = leads30.Count - minutes.Count,
            LeadConversionRate = (double)leads90.Count(c => c.ConvertedAt <= a) / leads90.Count,
        };
    }

    /// <summary>stage_age_median (pipeline → stage → median days) and the number of deals aging beyond 2 × median.</summary>
    public static (IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Medians, int Aging) StageAges(IEnumerable<Deal> open, DateTimeOffset a)
    {
        var groups = open.Where(d => d.StageEnteredAt <= a && !string.IsNullOrWhiteSpace(d.Stage))
            .GroupBy(d => (Pipeline: string.IsNullOrWhiteSpace(d.Pipeline) ? "none" : d.Pipeline!, d.Stage))
            .Select(g => (g.Key, Ages: g.Select(d => (a - d.StageEnteredAt!.Value).TotalDays).ToList()))
            .Select(g => (g.Key, g.Ages, Median: Median(g.Ages))).ToList();
        var medians = groups.GroupBy(g => g.Key.Pipeline, StringComparer.Ordinal).ToDictionary(p => p.Key,
            p => (IReadOnlyDictionary<string, double>)p.ToDictionary(g => g.Key.Stage!, g => g.Median, StringComparer.Ordinal), StringComparer.Ordinal);
        return (medians, groups.Sum(g => g.Ages.Count(x => x > 2 * g.Median)));
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static string Month(DateTimeOffset start) => start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
