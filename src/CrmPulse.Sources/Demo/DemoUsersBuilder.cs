using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Builds the users: the licensed humans split over the teams, then two integration users and three deactivated
/// users. A few licensed users (outside the dip team, so the dip stays the only change there) never log in, and a
/// few stop logging in between 35 and 120 days before the anchor. Administrators (System Administrator profile): the
/// first licensed user, the first user who stops logging in (an idle administrator), the first integration user and
/// the first deactivated user; everybody else has the Standard User profile.
/// </summary>
internal static class DemoUsersBuilder
{
    public const string OrgDomain = "northwind.example";

    private const int Deactivated = 3;

    public static DemoUserPlan[] Build(DemoSourceOptions options, DateTimeOffset anchor, DemoRandom rng)
    {
        var teams = DemoTeam.All.Take(options.Teams).ToArray();
        var sizes = Split(options.Users, teams.Select(t => (double)t.Share).ToArray());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var plans = new List<DemoUserPlan>();

        // Which licensed users never log in / go inactive: chosen among the non-dip teams, exact counts.
        var candidates = new List<int>();
        for (int t = 0, i = 0; t < teams.Length; i += sizes[t], t++)
        {
            if (!teams[t].IsDipTeam) candidates.AddRange(Enumerable.Range(i, sizes[t]));
        }
        var order = candidates.ToArray();
        rng.Shuffle(order);
        var never = Math.Max(1, (int)Math.Round(options.Users * 4 / 152.0));
        var inactive = Math.Max(1, (int)Math.Round(options.Users * 5 / 152.0));
        var neverSet = order.Take(never).ToHashSet();
        var inactiveSet = order.Skip(never).Take(inactive).ToHashSet();
        var history = options.HistoryDays;

        for (var t = 0; t < teams.Length; t++)
        {
            // Round the dip team's disengaged share exactly: 65 % of its members stop when the dip starts.
            var members = Enumerable.Range(0, sizes[t]).ToArray();
            rng.Shuffle(members);
            var disengaged = members.Take((int)Math.Round(sizes[t] * 0.65)).ToHashSet();
            for (var m = 0; m < sizes[t]; m++)
            {
                var index = plans.Count;
                var neverLogs = neverSet.Contains(index);
                int? lastDay = inactiveSet.Contains(index) ? Workday(anchor, -rng.Next(35, Math.Min(120, history - 1) + 1)) : null;
                var tier = rng.NextDouble();
                var workday = (tier < 0.25 ? 0.95 : tier < 0.80 ? 0.85 : 0.55) * teams[t].LoginFactor;
                // Never-logged-in seats are often recent hires; everyone else has been there for more than a year.
                var createdDaysAgo = neverLogs ? rng.Between(5, 200) : rng.Between(400, 1500);
                plans.Add(new DemoUserPlan
                {
                    Index = index,
                    User = NewUser($"u-{index + 1:D3}", names, rng, teams[t].Name, true, anchor, createdDaysAgo),
                    Team = teams[t],
                    WorkdayLogin = workday,
                    ActivityFactor = rng.Between(0.6, 1.4),
                    LastDay = lastDay,
                    NeverLogsIn = neverLogs,
                    FailedLoginDay = neverLogs && index == order[0] ? -3 : null,
                    Disengaged = teams[t].IsDipTeam && disengaged.Contains(m),
                });
            }
        }

        for (var k = 0; k < DemoNames.IntegrationUsers.Length; k++)
        {
            var name = DemoNames.IntegrationUsers[k];
            var email = name.ToLowerInvariant().Replace(' ', '-') + "@" + OrgDomain;
            plans.Add(new DemoUserPlan
            {
                Index = plans.Count,
                User = new CrmUser($"u-int-{k + 1}", name, email, null, true, true, DemoTime.At(anchor, -900.0)),
            });
        }

        for (var k = 0; k < Deactivated; k++)
        {
            var team = teams[k % teams.Length];
            plans.Add(new DemoUserPlan
            {
                Index = plans.Count,
                User = NewUser($"u-old-{k + 1}", names, rng, team.Name, false, anchor, rng.Between(600, 1500)),
                Team = team,
                WorkdayLogin = 0.85 * team.LoginFactor,
                ActivityFactor = 1,
                LastDay = Workday(anchor, -rng.Next(40, Math.Min(150, history - 1) + 1)),
            });
        }

        // Chosen without drawing from the RNG, so the rest of the org is the same as before administrators existed.
        var admins = new HashSet<string>(StringComparer.Ordinal) { "u-001", "u-int-1", "u-old-1" };
        if (inactiveSet.Count > 0) admins.Add(plans[order[never]].User.Id);
        foreach (var plan in plans)
        {
            var admin = admins.Contains(plan.User.Id);
            plan.User = plan.User with { IsAdmin = admin, Profile = admin ? "System Administrator" : plan.IsIntegration ? "Integration User" : "Standard User" };
        }
        return plans.ToArray();
    }

    /// <summary>Splits <paramref name="total"/> in proportion to the weights, largest remainders first, exactly.</summary>
    public static int[] Split(int total, double[] weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => total * w / sum).ToArray();
        var parts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = total - parts.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - parts[i]).ThenBy(i => i).Take(left))
        {
            parts[i]++;
        }
        return parts;
    }

    private static CrmUser NewUser(string id, HashSet<string> names, DemoRandom rng, string team, bool active,
        DateTimeOffset anchor, double createdDaysAgo)
    {
        string first, last;
        do
        {
            first = rng.Pick(DemoNames.FirstNames);
            last = rng.Pick(DemoNames.LastNames);
        }
        while (!names.Add(first + " " + last) && names.Count < 5000);
        var email = $"{first}.{last}@{OrgDomain}".ToLowerInvariant();
        return new CrmUser(id, $"{first} {last}", email, team, active, false, DemoTime.At(anchor, -createdDaysAgo));
    }

    /// <summary>Moves a weekend day to the next Monday: people's last login falls on a workday.</summary>
    private static int Workday(DateTimeOffset anchor, int day)
    {
        while (DemoTime.IsWeekend(anchor, day)) day++;
        return day;
    }
}
