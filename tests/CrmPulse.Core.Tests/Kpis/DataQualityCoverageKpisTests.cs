using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DataQualityCoverageKpisTests
{
    private static readonly DataQualityCoverageKpis Family = new();

    private static Dictionary<string, string?> Fields(params (string Name, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    // Custom fields tier (c1, c2, c3 filled: 3/4) and legacy (none filled: 0/4).
    // Segmentation lifecycle_stage + persona: c1 both; c2 persona missing; c3 stage white space and no persona; c4 both.
    private static Fixture Contacts() => new Fixture()
        .Contact(new Contact { Id = "c1", LifecycleStage = "lead", Custom = Fields(("tier", "Gold"), ("persona", "cfo")) })
        .Contact(new Contact { Id = "c2", LifecycleStage = "lead", Custom = Fields(("tier", "Gold"), ("legacy", "")) })
        .Contact(new Contact { Id = "c3", LifecycleStage = " ", Custom = Fields(("tier", "Silver")) })
        .Contact(new Contact { Id = "c4", LifecycleStage = "customer", Custom = Fields(("persona", "cto")) });

    private static KpiOptions Options(double unusedBelow = 0.01) => new()
    {
        CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["contact"] = ["tier", "legacy"], ["company"] = ["x"] },
        DataQuality = new DataQualityOptions
        {
            UnusedBelow = unusedBelow,
            SegmentationFields = new() { ["contact"] = ["lifecycle_stage", "persona"] },
        },
    };

    [Theory]
    [InlineData(0.01, 1)] // legacy 0 < 0.01
    [InlineData(0.75, 1)] // tier 0.75 is not below 0.75
    [InlineData(0.76, 2)] // both
    [InlineData(0.0, 0)]  // nothing is below 0
    public void Unused_custom_fields_are_filled_in_fewer_than_the_threshold(double unusedBelow, int unused)
    {
        var r = Contacts().Run(Family, Options(unusedBelow));

        Assert.Equal(unused, r.Value("unused_custom_fields", ("object", "contact")));
        // company has a custom field but no records: no fill rate, so no count; deal has no custom field.
        Assert.Equal(["object=contact"], r.KeysOf("unused_custom_fields"));
    }

    [Fact]
    public void Segmentation_coverage_is_the_share_of_records_with_every_segmentation_field_filled()
    {
        var r = Contacts().Run(Family, Options());

        Assert.Equal(2.0 / 4, r.Value("segmentation_coverage", ("object", "contact"))); // c1, c4
        Assert.Equal(2, r.Value("unsegmented_records", ("object", "contact")));
        Assert.Equal(["c2", "c3"], r.IssueIds("unsegmented_records"));
        Assert.Equal("lifecycle_stage,persona", r.Issue("unsegmented_records", "c3").Field);
        Assert.Equal("segmentation field persona empty", r.Issue("unsegmented_records", "c2").Detail);
    }

    [Fact]
    public void Default_segmentation_fields_apply_to_unconfigured_objects_and_no_records_means_no_ratio()
    {
        // company falls back to industry and has no records: count 0, no coverage; deal has no segmentation fields.
        var r = Contacts().Run(Family, Options());

        Assert.Equal(0, r.Value("unsegmented_records", ("object", "company")));
        Assert.Equal(["object=contact"], r.KeysOf("segmentation_coverage"));
        Assert.Equal(["object=company", "object=contact"], r.KeysOf("unsegmented_records"));
    }

    [Fact]
    public void Records_with_the_same_empty_segmentation_fields_share_one_detail_text()
    {
        // c2 and c5 miss persona, c3 both fields: a pass at a million records holds one text per set of empty fields,
        // not one per record (issue 21), and each record still gets the text of its own set.
        var r = Contacts().Contact(new Contact { Id = "c5", LifecycleStage = "lead" }).Run(Family, Options());

        Assert.Equal(["c2", "c3", "c5"], r.IssueIds("unsegmented_records"));
        var (c2, c3, c5) = (r.Issue("unsegmented_records", "c2"), r.Issue("unsegmented_records", "c3"), r.Issue("unsegmented_records", "c5"));
        Assert.Equal(("persona", "segmentation field persona empty"), (c5.Field, c5.Detail));
        Assert.Equal(("lifecycle_stage,persona", "segmentation field lifecycle_stage,persona empty"), (c3.Field, c3.Detail));
        Assert.Same(c2.Detail, c5.Detail);
    }
}
