using System.Globalization;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// Options of the Demo source: a seeded, deterministic simulation of a mid-size org. The same options (and anchor)
/// always give the same org, record for record. Bound from a source entry whose <c>Kind</c> is <c>Demo</c>.
/// </summary>
public sealed class DemoSourceOptions
{
    /// <summary>Seed of every random choice. Default 42. Another seed gives another org of the same shape.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Licensed (active, human) users, spread over the teams. Default 152, at least 10. Two integration users and
    /// three deactivated users come on top of them.
    /// </summary>
    public int Users { get; set; } = 152;

    /// <summary>
    /// Number of teams, 2 to 5. Default 5: "Sales EMEA", "Customer Success", "Sales NA", "Marketing",
    /// "Partnerships" (the first <c>Teams</c> of that list). "Customer Success" is the team with the adoption dip.
    /// </summary>
    public int Teams { get; set; } = 5;

    /// <summary>Contacts at the anchor. Default 20000, at least 100. A few more arrive every day after the anchor.</summary>
    public int Contacts { get; set; } = 20000;

    /// <summary>Companies at the anchor. Default 4000, at least 20.</summary>
    public int Companies { get; set; } = 4000;

    /// <summary>Deals at the anchor. Default 3000, at least 20. A few more arrive every workday after the anchor.</summary>
    public int Deals { get; set; } = 3000;

    /// <summary>Activities (calls, e-mails, meetings, tasks, notes) logged over the history window. Default 50000, at least 100.</summary>
    public int Activities { get; set; } = 50000;

    /// <summary>Days of login and activity history before the anchor. Default 180, 60 to 730.</summary>
    public int HistoryDays { get; set; } = 180;

    /// <summary>
    /// The org's "today": a UTC midnight. History lies before it; each day after it brings new events as the clock
    /// moves. Default null: the UTC midnight of the first sync, kept in the watermarks so a restart resumes the
    /// same org.
    /// </summary>
    public DateTimeOffset? Anchor { get; set; }

    /// <summary>
    /// For tests: every pull first waits this long (on the source's clock), as a slow CRM would, so that a sync can be
    /// interrupted half-way (the cluster tests kill the node running it). Default 0 (no wait), at most 10 minutes.
    /// </summary>
    public TimeSpan PullDelay { get; set; }

    /// <summary>Checks every option; returns one message per wrong value (empty when all are fine).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Range(errors, nameof(Users), Users, 10, 10_000);
        Range(errors, nameof(Contacts), Contacts, 100, 1_000_000);
        Range(errors, nameof(Companies), Companies, 20, 200_000);
        Range(errors, nameof(Deals), Deals, 20, 200_000);
        Range(errors, nameof(Activities), Activities, 100, 5_000_000);
        Range(errors, nameof(HistoryDays), HistoryDays, 60, 730);
        if (Teams < 2 || Teams > DemoTeam.All.Count)
        {
            errors.Add($"Teams must be between 2 and {DemoTeam.All.Count}, was {Teams}.");
        }
        if (PullDelay < TimeSpan.Zero || PullDelay > TimeSpan.FromMinutes(10))
        {
            errors.Add($"PullDelay must be between 00:00:00 and 00:10:00, was {PullDelay}.");
        }
        if (Anchor is { } anchor && anchor.UtcDateTime.TimeOfDay != TimeSpan.Zero)
        {
            errors.Add("Anchor must be a UTC midnight such as 2025-06-02T00:00:00Z, was "
                + anchor.ToString("O", CultureInfo.InvariantCulture) + ".");
        }
        return errors;
    }

    /// <summary>A copy, so that a source is not affected when the caller changes its options object later.</summary>
    internal DemoSourceOptions Copy() => (DemoSourceOptions)MemberwiseClone();

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min) errors.Add($"{key} must be at least {min}, was {value}.");
        else if (value > max) errors.Add($"{key} must be at most {max}, was {value}.");
    }
}
