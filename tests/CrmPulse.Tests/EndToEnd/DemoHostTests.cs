using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using CrmPulse.Hosting;
using CrmPulse.Sources.Demo;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.EndToEnd;

/// <summary>
/// The embedded default (no configuration: one Demo source) through the real host: one pass gives the KPIs the demo
/// knows it planted, for every KPI that does not move with the clock, and the dipping team stands out.
/// </summary>
public sealed class DemoHostTests
{
    [Fact]
    public async Task The_embedded_default_serves_the_demos_planted_numbers()
    {
        await using var host = await InProcessHost.StartAsync(new Dictionary<string, string?>());
        var demo = (DemoSource)host.Services.GetRequiredService<SourceRegistry>().Source("demo");
        var facts = demo.Facts;
        var latest = await host.GetJsonAsync("/api/kpis/latest?source=demo");

        Assert.Contains("demo: sync ok, KPIs ok", host.OnceOutput);
        Assert.Equal(facts.Adoption.Licensed, LatestValues.Value(latest, "licensed_users", ""));
        Assert.Equal(152, LatestValues.Value(latest, "licensed_users", ""));
        foreach (var (team, teamFacts) in facts.AdoptionByTeam)
            Assert.Equal(teamFacts.Licensed, LatestValues.Value(latest, "licensed_users", $"team={team}"));
        Assert.Equal(facts.ExcludedUsers, LatestValues.Value(latest, "excluded_users", ""));
        foreach (var (obj, count) in facts.Records) Assert.Equal(count, LatestValues.Value(latest, "records", $"object={obj}"));
        foreach (var (obj, fields) in facts.FieldFillRates)
        foreach (var (field, rate) in fields)
            Assert.Equal(rate, LatestValues.Value(latest, "field_fill_rate", $"field={field},object={obj}"), 12);
        foreach (var (obj, score) in facts.CompletenessScores) Assert.Equal(score, LatestValues.Value(latest, "completeness_score", $"object={obj}"), 12);
        foreach (var (obj, ratio) in facts.CompleteRecordsRatios) Assert.Equal(ratio, LatestValues.Value(latest, "complete_records_ratio", $"object={obj}"), 12);

        // The adoption dip: the planted team has the lowest weekly active ratio, under half of every other team's.
        var byTeam = facts.AdoptionByTeam.Keys.ToDictionary(t => t, t => LatestValues.Value(latest, "weekly_active_ratio", $"team={t}"));
        var others = byTeam.Where(p => p.Key != facts.DipTeam).Select(p => p.Value).ToList();
        Assert.True(byTeam[facts.DipTeam] < others.Min() / 2,
            $"{facts.DipTeam}: {byTeam[facts.DipTeam]}; others: {string.Join(", ", others)}");
    }

}
