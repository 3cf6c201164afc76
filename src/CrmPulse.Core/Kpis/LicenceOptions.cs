namespace CrmPulse.Core.Kpis;

/// <summary>Licence waste and access review settings of a source (configuration: CrmPulse:Sources:N:Licences).</summary>
public sealed class LicenceOptions
{
    /// <summary>
    /// What one seat costs per month, in the currency of the CRM's amounts (CrmPulse keeps no currency codes; see
    /// <see cref="Currency"/>); licence_cost_unused is produced only when set.
    /// </summary>
    public decimal? CostPerSeat { get; set; }

    /// <summary>A label for <see cref="CostPerSeat"/> ("EUR", "USD"), shown beside the cost on the console; the KPI's
    /// value carries none.</summary>
    public string? Currency { get; set; }

    /// <summary>
    /// A CSV file of the active employees (an HR export): a header row with an "email" column (any case; "e-mail" too),
    /// comma-, semicolon- or tab-separated; other columns are ignored. users_not_on_roster is produced only when set.
    /// Read at every KPI pass, so a new export counts from the next pass.
    /// </summary>
    public string? RosterFile { get; set; }

    /// <summary>The roster's e-mails when given directly (tests, or a host that read them already); wins over
    /// <see cref="RosterFile"/>.</summary>
    public IReadOnlyCollection<string>? Roster { get; set; }

    public IEnumerable<string> Validate()
    {
        if (CostPerSeat is < 0) yield return $"CostPerSeat must be 0 or more, was {CostPerSeat}.";
        if (Currency is { } c && string.IsNullOrWhiteSpace(c)) yield return "Currency must not be empty when given.";
        if (RosterFile is { } f)
        {
            if (string.IsNullOrWhiteSpace(f)) yield return "RosterFile must name a file when given.";
            else if (!File.Exists(f)) yield return $"RosterFile '{f}' does not exist.";
        }
    }
}
