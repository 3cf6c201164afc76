using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Builds the deals of two pipelines ("sales" owned by the sales teams, "renewals" owned by Customer Success), open,
/// won and lost, with their planted problems: missing amount, close date or stage, orphans (no contact, no
/// company), unowned and deactivated-owned deals, open deals past their close date, lost deals without a reason,
/// and stalled deals that get no activity in the 45 days before the anchor.
/// </summary>
internal static class DemoDealsBuilder
{
    public static readonly string[] SalesStages =
        ["appointment_scheduled", "qualified_to_buy", "presentation_scheduled", "decision_maker_bought_in", "contract_sent"];

    public static readonly string[] RenewalStages = ["renewal_due", "renewal_in_negotiation"];

    public const string Won = "closed_won";
    public const string Lost = "closed_lost";

    /// <summary>Deals get no activity after this many days before the anchor when they are stalled on purpose.</summary>
    public const int StalledQuietDays = 45;

    /// <summary>
    /// Dates the open deals' entry into their current stage (most of them; some are unknown, as in CRMs that do not
    /// keep stage history) and snoozes a few stalled deals through <see cref="DemoSource.SnoozeField"/>: one until a
    /// date after the anchor, one with "true", one until a date-time after the anchor, and one whose snooze expired
    /// (still stalled). Uses its own RNG stream, so the deals are otherwise the same.
    /// </summary>
    public static void PlantStages(Deal[] deals, bool[] stalled, DateTimeOffset anchor, DemoRandom rng)
    {
        var today = DateOnly.FromDateTime(anchor.UtcDateTime);
        string[] snoozes =
        [
            today.AddDays(21).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "true",
            DemoTime.Iso(anchor.AddDays(10).AddHours(9)),
            today.AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ];
        var snoozed = 0;
        for (var i = 0; i < deals.Length; i++)
        {
            var d = deals[i];
            if (d.IsClosed || d.Stage is null) continue;
            // Most deals moved to their stage in the last 60 days; one in ten has sat in it since any time after its
            // creation: the tail that ages in stage.
            var span = rng.Chance(0.1) ? (anchor - d.CreatedAt).TotalDays : Math.Min(60, (anchor - d.CreatedAt).TotalDays);
            DateTimeOffset? entered = rng.Chance(0.05) ? null : DemoTime.Max(d.CreatedAt, DemoTime.At(anchor, -span * rng.NextDouble()));
            var custom = stalled[i] && snoozed < snoozes.Length && rng.Chance(0.1)
                ? DemoContactsBuilder.Fields((DemoSource.SnoozeField, snoozes[snoozed++]))
                : d.Custom;
            deals[i] = d with { StageEnteredAt = entered, Custom = custom };
        }
    }

    public static (Deal[] Deals, bool[] Stalled) Build(DemoSourceOptions options, DateTimeOffset anchor, DemoOwners owners,
        Company[] companies, Contact[] contacts, DemoRandom rng)
    {
        var n = options.Deals;
        var width = Math.Max(4, n.ToString(CultureInfo.InvariantCulture).Length);
        var byCompany = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < contacts.Length; i++)
        {
            if (contacts[i].CompanyId is { } c) (byCompany.TryGetValue(c, out var l) ? l : byCompany[c] = []).Add(i);
        }
        var withContacts = companies.Where(c => byCompany.ContainsKey(c.Id)).ToArray();
        var created = new DateTimeOffset[n];
        for (var i = 0; i < n; i++) created[i] = DemoTime.At(anchor, -rng.Next(1, 731), rng.Between(8, 18));
        Array.Sort(created);

        var today = DateOnly.FromDateTime(anchor.UtcDateTime);
        var deals = new Deal[n];
        var stalled = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var renewal = rng.Chance(0.25);
            var pipeline = renewal ? "renewals" : "sales";
            Company? company = null;
            Contact? contact = null;
            var link = rng.NextDouble();
            if (link < 0.02 || withContacts.Length == 0) { /* orphan: neither contact nor company */ }
            else if (link < 0.05 && !renewal) contact = contacts[rng.Next(contacts.Length)];
            else
            {
                company = rng.Pick(withContacts);
                if (rng.Chance(0.8)) contact = contacts[rng.Pick(byCompany[company.Id])];
            }

            var age = (anchor - created[i]).TotalDays;
            var closed = age > 21 && rng.Chance(0.6);
            var won = closed && rng.Chance(0.4);
            DateTimeOffset? closedAt = closed ? DemoTime.At(created[i], rng.Between(7, Math.Min(age - 1, 150))) : null;
            string? stage;
            DateOnly? closeDate;
            string? lostReason = null;
            if (closedAt is { } at)
            {
                stage = won ? Won : Lost;
                closeDate = DateOnly.FromDateTime(at.UtcDateTime);
                if (!won && rng.Chance(0.7)) lostReason = rng.Pick(DemoNames.LostReasons);
            }
            else
            {
                stage = rng.Chance(0.005) ? null : rng.Pick(renewal ? RenewalStages : SalesStages);
                var c = rng.NextDouble();
                // Past close dates stay a day or more before the anchor's date, future ones a day or more after it.
                closeDate = c < 0.03 ? null : c < 0.15 ? today.AddDays(-rng.Next(1, 61)) : today.AddDays(rng.Next(1, 121));
                stalled[i] = age > StalledQuietDays + 1 && rng.Chance(0.08);
            }

            decimal? amount = rng.Chance(0.05) ? null : 100m * (renewal ? rng.Next(20, 601) : rng.Next(50, 1501));
            var label = company?.Name ?? (contact is null ? "Inbound" : $"{contact.FirstName} {contact.LastName}");
            var modified = closedAt is { } ca
                ? DemoTime.Min(DemoTime.At(ca, rng.Between(0, 2)), anchor.AddSeconds(-1))
                : DemoTime.Between(rng, DemoTime.Max(created[i], DemoTime.At(anchor, -60.0)), anchor.AddSeconds(-1));
            deals[i] = new Deal
            {
                Id = "d-" + (i + 1).ToString("D" + width, CultureInfo.InvariantCulture),
                Name = $"{label} – {rng.Pick(DemoNames.Products)}",
                Pipeline = pipeline,
                Stage = stage,
                Amount = amount,
                CloseDate = closeDate,
                CompanyId = company?.Id,
                ContactId = contact?.Id,
                IsClosed = closed,
                IsWon = won,
                ClosedAt = closedAt,
                LostReason = lostReason,
                OwnerId = owners.Pick(rng, 0.02, 0.02, pipeline),
                CreatedAt = created[i],
                ModifiedAt = modified,
            };
        }
        return (deals, stalled);
    }
}
