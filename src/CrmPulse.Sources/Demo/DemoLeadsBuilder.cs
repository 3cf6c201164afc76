using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Plants leads among the contacts created in the 90 days before the anchor, with conversions and a planned first
/// response each (or none). The day generator turns one of the day's calls, e-mails or meetings into that response,
/// so the number of activities stays exactly the configured one. Uses its own RNG stream: the rest of the org is the
/// same as without leads.
/// </summary>
internal static class DemoLeadsBuilder
{
    /// <summary>Contacts created in this many days before the anchor can be leads.</summary>
    public const int LeadDays = 90;

    /// <summary>
    /// Marks leads in <paramref name="contacts"/> (replacing the records) and returns their planned responses by day
    /// (relative to the anchor): the lead's index and the minutes from its creation to the response.
    /// </summary>
    public static Dictionary<int, List<(int Contact, double Minutes)>> Build(Contact[] contacts, DateTimeOffset anchor, DemoRandom rng)
    {
        var responses = new Dictionary<int, List<(int, double)>>();
        for (var i = 0; i < contacts.Length; i++)
        {
            var c = contacts[i];
            if (c.CreatedAt <= anchor.AddDays(-LeadDays) || c.CreatedAt >= anchor || !rng.Chance(0.45)) continue;
            // A third of the leads convert between half a day and 40 days later, if that is before the anchor.
            DateTimeOffset? converted = rng.Chance(0.33) ? DemoTime.At(c.CreatedAt, rng.Between(0.5, 40)) : null;
            contacts[i] = c with { IsLead = true, ConvertedAt = converted < anchor ? converted : null };

            if (ResponseMinutes(rng) is not { } m) continue;
            var day = DemoTime.DayOf(anchor, c.CreatedAt);
            (responses.TryGetValue(day, out var list) ? list : responses[day] = []).Add((i, m));
        }
        return responses;
    }

    /// <summary>A planned response time: fast (1–5 min, 35 %), within the hour (25 %), within 8 hours (25 %), or never (null).</summary>
    public static double? ResponseMinutes(DemoRandom rng)
    {
        var r = rng.NextDouble();
        return r < 0.35 ? rng.Between(1, 5) : r < 0.6 ? rng.Between(5, 60) : r < 0.85 ? rng.Between(60, 480) : null;
    }
}
