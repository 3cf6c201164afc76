using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Gives the contacts a lead source and the dates they entered the funnel stages their lifecycle stage says they
/// reached (a few came in as SQL, skipping MQL), so the funnel KPIs read history as they do on HubSpot. Uses its own
/// RNG stream: the rest of the org is the same as without it.
/// </summary>
internal static class DemoFunnelBuilder
{
    /// <summary>The lead sources, with their relative frequency (the rest have none: "unknown").</summary>
    public static readonly string[] Sources = ["Web", "Paid search", "Event", "Referral", "Partner", "Cold outreach"];

    private static readonly double[] Weights = [0.30, 0.18, 0.12, 0.14, 0.08, 0.10];

    public static void Plant(Contact[] contacts, DateTimeOffset anchor, DemoRandom rng)
    {
        for (var i = 0; i < contacts.Length; i++)
        {
            var c = contacts[i];
            var source = rng.Chance(0.92) ? Sources[rng.PickWeighted(Weights)] : null;
            Dictionary<string, DateTimeOffset>? dates = null;
            if (FunnelKpis.StageOf(c.LifecycleStage) is { } reached && c.CreatedAt < anchor)
            {
                // Each stage a little after the one before, within the time between creation and the anchor.
                var span = (anchor - c.CreatedAt).TotalDays;
                var skipsMql = reached >= 1 && rng.Chance(0.1);
                dates = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                var at = 0.0;
                for (var s = skipsMql ? 1 : 0; s <= reached; s++)
                {
                    at += span * rng.Between(0.02, 0.2);
                    dates[FunnelKpis.Stages[s]] = DemoTime.At(c.CreatedAt, Math.Min(at, span * 0.95));
                }
            }
            contacts[i] = c with { LeadSource = source, StageDates = dates };
        }
    }
}
