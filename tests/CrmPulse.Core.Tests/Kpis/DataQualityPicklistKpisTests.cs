using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DataQualityPicklistKpisTests
{
    private static readonly DataQualityPicklistKpis Family = new();

    private static Company Co(string id, string? industry) => new() { Id = id, Industry = industry };

    [Fact]
    public void Records_carrying_a_minority_spelling_are_counted_and_listed()
    {
        // industry spellings by normal form:
        //   software:   "Software" ×2 (co1, co2), "software" (co3), "SOFTWARE " (co4) → dominant Software; co3, co4
        //   retail:     "Retail" (co5), "retail" (co6): tie → ordinally smallest "Retail" dominates; co6
        //   healthcare: "Health Care" (co7), "health-care" (co8): tie → "Health Care"; co8
        //   finance:    one spelling; null and white space are not values.
        var r = new Fixture()
            .Company(Co("co1", "Software")).Company(Co("co2", "Software")).Company(Co("co3", "software"))
            .Company(Co("co4", "SOFTWARE ")).Company(Co("co5", "Retail")).Company(Co("co6", "retail"))
            .Company(Co("co7", "Health Care")).Company(Co("co8", "health-care")).Company(Co("co9", "Finance"))
            .Company(Co("co10", null)).Company(Co("co11", "  "))
            .Run(Family);

        Assert.Equal(4, r.Value("inconsistent_picklist_values", ("object", "company"), ("field", "industry")));
        Assert.Equal(["co3", "co4", "co6", "co8"], r.IssueIds("inconsistent_picklist_values", "company", "industry"));
        Assert.Equal("industry 'SOFTWARE ' is spelled 'Software' on most records", r.Issue("inconsistent_picklist_values", "co4").Detail);
        Assert.Equal("industry 'retail' is spelled 'Retail' on most records", r.Issue("inconsistent_picklist_values", "co6").Detail);
    }

    [Fact]
    public void Every_default_picklist_field_gets_a_count_zero_when_consistent_or_empty()
    {
        var r = new Fixture().Company(Co("co1", "Software")).Company(Co("co2", "Retail")).Run(Family);

        Assert.Equal(["field=industry,object=company", "field=lead_status,object=contact", "field=lifecycle_stage,object=contact",
            "field=pipeline,object=deal", "field=stage,object=deal"], r.KeysOf("inconsistent_picklist_values"));
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
        Assert.Empty(r.Issues);
    }

    [Fact]
    public void Configured_fields_replace_the_defaults_of_their_object_and_may_be_custom()
    {
        // persona: "decision maker" ×2 (c1, c2), "Decision_Maker" (c3) → one group, c3 is the minority.
        var options = new KpiOptions
        {
            DataQuality = new DataQualityOptions { PicklistFields = new() { ["contact"] = ["persona"] } },
        };
        Contact C(string id, string persona) => new() { Id = id, Custom = new Dictionary<string, string?> { ["persona"] = persona } };
        var r = new Fixture().Contact(C("c1", "decision maker")).Contact(C("c2", "decision maker")).Contact(C("c3", "Decision_Maker"))
            .Run(Family, options);

        Assert.Equal(1, r.Value("inconsistent_picklist_values", ("object", "contact"), ("field", "persona")));
        Assert.Equal(["c3"], r.IssueIds("inconsistent_picklist_values"));
        Assert.DoesNotContain(r.Samples, s => s.Dimensions["field"] == "lifecycle_stage");
    }

    [Theory]
    [InlineData("Closed Won", "closedwon")]
    [InlineData(" closed_won ", "closedwon")]
    [InlineData("CLOSED-WON", "closedwon")]
    public void Normal_form_is_lower_case_without_white_space_underscores_or_hyphens(string value, string normal) =>
        Assert.Equal(normal, DataQualityPicklistKpis.Normalize(value));
}
