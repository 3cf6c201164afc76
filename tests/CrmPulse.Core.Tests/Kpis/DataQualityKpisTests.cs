using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Kpis;

public sealed class DataQualityKpisTests
{
    private static readonly DataQualityKpis Family = new();

    // Default contact fields: email, phone, lifecycle_stage, owner, company.
    //   c1: all five filled                                   → 5/5
    //   c2: email null, phone "", stage "  ", owner, company null → 1/5 (blank and white space are not filled)
    //   c3: email, phone " 2 ", rest null                     → 2/5 (a value with spaces around it is filled)
    private static Fixture Contacts() => new Fixture()
        .Contact(new Contact { Id = "c1", Email = "a@x.com", Phone = "1", LifecycleStage = "lead", OwnerId = "u1", CompanyId = "co1" })
        .Contact(new Contact { Id = "c2", Email = null, Phone = "", LifecycleStage = "  ", OwnerId = "u1", CompanyId = null })
        .Contact(new Contact { Id = "c3", Email = "c@x.com", Phone = " 2 " });

    [Fact]
    public void Field_fill_rate_treats_null_empty_and_white_space_as_unfilled()
    {
        var r = Contacts().Run(Family);

        Assert.Equal(2.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "email")));           // c1, c3
        Assert.Equal(2.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "phone")));           // c1, c3
        Assert.Equal(1.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "lifecycle_stage"))); // c1
        Assert.Equal(2.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "owner")));           // c1, c2
        Assert.Equal(1.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "company")));         // c1
    }

    [Fact]
    public void Completeness_is_the_mean_share_of_filled_fields_and_complete_records_need_all_of_them()
    {
        var r = Contacts().Run(Family);

        Assert.Equal(3, r.Value("records", ("object", "contact")));
        Assert.Equal((5.0 / 5 + 1.0 / 5 + 2.0 / 5) / 3, r.Value("completeness_score", ("object", "contact")), 12); // 1.6 / 3
        Assert.Equal(1.0 / 3, r.Value("complete_records_ratio", ("object", "contact"))); // c1 only
    }

    [Fact]
    public void An_object_with_no_records_gets_zero_counts_and_no_ratios()
    {
        var r = Contacts().Run(Family); // no companies, no deals

        Assert.Equal(0, r.Value("records", ("object", "company")));
        Assert.Equal(0, r.Value("records", ("object", "deal")));
        Assert.DoesNotContain(r.Samples, s => s.Kpi is not ("records" or "missing_required_field") && s.Dimensions["object"] is "company" or "deal");
        Assert.All(r.Samples.Where(s => s.Dimensions["object"] is "company" or "deal"), s => Assert.Equal(0, s.Value));
        // contact: records + 5 fill rates + 5 missing counts + completeness + complete ratio;
        // company: records + 3 missing counts; deal: records + 4 missing counts.
        Assert.Equal(13 + 4 + 5, r.Samples.Count);
    }

    [Fact]
    public void No_records_at_all_gives_zero_counts_only()
    {
        var r = new Fixture().Run(Family);

        Assert.Equal(["object=company", "object=contact", "object=deal"], r.KeysOf("records"));
        Assert.Equal(3 + 5 + 3 + 4, r.Samples.Count); // records per object + one missing count per default field
        Assert.All(r.Samples, s => Assert.Equal(0, s.Value));
        Assert.Empty(r.Issues);
    }

    [Fact]
    public void Custom_fields_are_read_through_custom_and_configured_lists_replace_the_defaults()
    {
        // deal fields: amount (standard) and region (custom).
        //   d1: 100, "EU" → 2/2 | d2: null, "" → 0/2 | d3: 0 ("0" is a value), no custom fields → 1/2
        var options = new KpiOptions
        {
            RequiredFields = new Dictionary<string, IReadOnlyList<string>> { ["deal"] = ["amount", "region"] },
        };
        var r = new Fixture()
            .Deal(new Deal { Id = "d1", Amount = 100m, Custom = new Dictionary<string, string?> { ["region"] = "EU" } })
            .Deal(new Deal { Id = "d2", Amount = null, Custom = new Dictionary<string, string?> { ["region"] = "" } })
            .Deal(new Deal { Id = "d3", Amount = 0m })
            .Run(Family, options);

        Assert.Equal(2.0 / 3, r.Value("field_fill_rate", ("object", "deal"), ("field", "amount")));
        Assert.Equal(1.0 / 3, r.Value("field_fill_rate", ("object", "deal"), ("field", "region")));
        Assert.Equal(0.5, r.Value("completeness_score", ("object", "deal")));     // (1 + 0 + 0.5) / 3
        Assert.Equal(1.0 / 3, r.Value("complete_records_ratio", ("object", "deal"))); // d1
        Assert.Equal(["field=amount,object=deal", "field=region,object=deal"], r.KeysOf("field_fill_rate"));
    }

    [Fact]
    public void Objects_missing_from_the_configuration_use_the_default_fields()
    {
        // Only deal is configured; company falls back to domain, industry, owner.
        //   co1: domain, industry → 2/3 | co2: owner → 1/3
        var options = new KpiOptions
        {
            RequiredFields = new Dictionary<string, IReadOnlyList<string>> { ["deal"] = ["amount"] },
        };
        var r = new Fixture()
            .Company(new Company { Id = "co1", Domain = "x.com", Industry = "Retail" })
            .Company(new Company { Id = "co2", OwnerId = "u1" })
            .Run(Family, options);

        Assert.Equal(0.5, r.Value("field_fill_rate", ("object", "company"), ("field", "domain")));
        Assert.Equal(0.5, r.Value("field_fill_rate", ("object", "company"), ("field", "industry")));
        Assert.Equal(0.5, r.Value("field_fill_rate", ("object", "company"), ("field", "owner")));
        Assert.Equal(0.5, r.Value("completeness_score", ("object", "company")), 12); // (2/3 + 1/3) / 2
        Assert.Equal(0, r.Value("complete_records_ratio", ("object", "company")));
    }

    [Fact]
    public void An_object_with_no_monitored_fields_gets_only_its_record_count()
    {
        var options = new KpiOptions
        {
            RequiredFields = new Dictionary<string, IReadOnlyList<string>> { ["contact"] = [] },
        };
        var r = Contacts().Run(Family, options);

        Assert.Equal(3, r.Value("records", ("object", "contact")));
        Assert.DoesNotContain(r.Samples, s => s.Kpi != "records" && s.Dimensions["object"] == "contact");
    }

    [Fact]
    public void A_field_listed_twice_counts_once()
    {
        // contact fields email, email, phone → email, phone. c1 2/2, c2 0/2, c3 2/2 → completeness 2/3.
        var options = new KpiOptions
        {
            RequiredFields = new Dictionary<string, IReadOnlyList<string>> { ["contact"] = ["email", "email", "phone"] },
        };
        var r = Contacts().Run(Family, options);

        Assert.Equal(["field=email,object=contact", "field=phone,object=contact"], r.KeysOf("field_fill_rate"));
        Assert.Equal(2.0 / 3, r.Value("completeness_score", ("object", "contact")), 12);
        Assert.Equal(2.0 / 3, r.Value("complete_records_ratio", ("object", "contact")));
    }

    [Fact]
    public void A_field_no_record_has_is_never_filled()
    {
        var options = new KpiOptions
        {
            RequiredFields = new Dictionary<string, IReadOnlyList<string>> { ["contact"] = ["email", "no_such_field"] },
        };
        var r = Contacts().Run(Family, options);

        Assert.Equal(0, r.Value("field_fill_rate", ("object", "contact"), ("field", "no_such_field")));
        Assert.Equal(1.0 / 3, r.Value("completeness_score", ("object", "contact")), 12); // (1/2 + 0 + 1/2) / 3
        Assert.Equal(0, r.Value("complete_records_ratio", ("object", "contact")));
    }

    [Fact]
    public void Data_quality_samples_carry_no_basis()
    {
        Assert.All(Contacts().Run(Family).Samples, s => Assert.Null(s.Basis));
    }

    [Fact]
    public void Missing_required_fields_are_counted_per_field_with_one_issue_per_record()
    {
        // Same contacts as above, owner u1 in team Sales: email missing on c2; phone on c2 (""); stage on c2 ("  ") and c3;
        // owner on c3; company on c2 and c3.
        var r = Contacts().User("u1", "Sales").Run(Family);

        Assert.Equal(1, r.Value("missing_required_field", ("object", "contact"), ("field", "email")));
        Assert.Equal(2, r.Value("missing_required_field", ("object", "contact"), ("field", "lifecycle_stage")));
        Assert.Equal(["c2"], r.IssueIds("missing_required_field", "contact", "email"));
        Assert.Equal(["c2", "c3"], r.IssueIds("missing_required_field", "contact", "lifecycle_stage"));
        Assert.Equal(["c3"], r.IssueIds("missing_required_field", "contact", "owner"));
        Assert.Equal(1 + 1 + 2 + 1 + 2, r.Issues.Count);
        var c2Email = Assert.Single(r.Issues, i => i.RecordId == "c2" && i.Field == "email");
        Assert.Equal(new RecordIssue("missing_required_field", "contact", "c2", "u1", "Sales", "email", "email is empty"), c2Email);
        var c3Owner = Assert.Single(r.Issues, i => i.RecordId == "c3" && i.Field == "owner");
        Assert.Equal((null, KpiOptions.NoTeam), (c3Owner.OwnerId, c3Owner.Team));
    }

    [Fact]
    public void Custom_fields_get_a_fill_rate_but_no_missing_issues_unless_required()
    {
        // contact custom fields tier (c1 "Gold", c2 " ", c3 none → 1/3) and email (already required: listed once).
        var options = new KpiOptions
        {
            CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["contact"] = ["tier", "email"] },
        };
        var r = new Fixture()
            .Contact(new Contact { Id = "c1", Email = "a@x.com", Custom = new Dictionary<string, string?> { ["tier"] = "Gold" } })
            .Contact(new Contact { Id = "c2", Custom = new Dictionary<string, string?> { ["tier"] = " " } })
            .Contact(new Contact { Id = "c3", Email = "c@x.com" })
            .Run(Family, options);

        Assert.Equal(1.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "tier")));
        Assert.Equal(2.0 / 3, r.Value("field_fill_rate", ("object", "contact"), ("field", "email")));
        Assert.DoesNotContain(r.Samples, s => s.Kpi == "missing_required_field" && s.Dimensions["field"] == "tier");
        Assert.DoesNotContain(r.Issues, i => i.Field == "tier");
        Assert.Equal(6, r.KeysOf("field_fill_rate").Count); // 5 required + tier
    }
}
