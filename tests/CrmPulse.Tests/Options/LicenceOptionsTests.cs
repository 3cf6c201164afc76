using Microsoft.Extensions.Configuration;
using CrmPulse.Options;

namespace CrmPulse.Tests.Options;

/// <summary>CrmPulse:Sources:N:Licences: bound, checked, and handed to the KPI engine.</summary>
public sealed class LicenceOptionsTests
{
    private static OptionsLoader.Result Load(params (string Key, string? Value)[] settings) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(
            new[] { ("CrmPulse:Sources:0:Name", (string?)"demo"), ("CrmPulse:Sources:0:Kind", "Demo") }.Concat(settings)
                .Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2))).Build());

    [Fact]
    public void The_cost_per_seat_currency_and_roster_reach_the_kpi_options()
    {
        var roster = Path.GetTempFileName();
        try
        {
            var result = Load(("CrmPulse:Sources:0:Licences:CostPerSeat", "42.5"), ("CrmPulse:Sources:0:Licences:Currency", "EUR"),
                ("CrmPulse:Sources:0:Licences:RosterFile", roster), ("CrmPulse:Sources:0:Licences:Roster:0", "ada@example.com"));

            Assert.Empty(result.Errors);
            var licences = Assert.Single(result.Sources).KpiOptions.Licences;
            Assert.Equal((42.5m, "EUR", roster), (licences.CostPerSeat, licences.Currency, licences.RosterFile));
            Assert.Equal(["ada@example.com"], licences.Roster!);
        }
        finally
        {
            File.Delete(roster);
        }
    }

    [Fact]
    public void A_bad_or_unknown_licence_setting_is_reported_with_its_key()
    {
        var result = Load(("CrmPulse:Sources:0:Licences:CostPerSeat", "-3"), ("CrmPulse:Sources:0:Licences:RosterFile", "/nowhere/hr.csv"),
            ("CrmPulse:Sources:0:Licences:Seats", "10"));

        Assert.Contains("CrmPulse:Sources:0:Licences:CostPerSeat must be 0 or more, was -3.", result.Errors);
        Assert.Contains("CrmPulse:Sources:0:Licences:RosterFile '/nowhere/hr.csv' does not exist.", result.Errors);
        Assert.Contains("CrmPulse:Sources:0:Licences:Seats is not a known setting (known: CostPerSeat, Currency, Roster, RosterFile).", result.Errors);
    }
}
