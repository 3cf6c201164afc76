using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using static CrmPulse.Core.Tests.Kpis.Fixture;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>A pass leaves out what rests on a kind never read, instead of computing it from nothing.</summary>
public sealed class KpiInputsTests
{
    private static readonly DateTimeOffset T = AsOf;

    private static KpiSample S(string kpi, params (string, string?)[] dims) => new(kpi, "s", Dimensions.Of(dims), 1, T);

    private static readonly KpiResult Pass = new(
    [
        S("licensed_users"), S("licensed_users", ("team", "Sales")),
        S("weekly_active_users"), S("api_logins_30d"),
        S("records", ("object", "contact")), S("records", ("object", "company")), S("records", ("object", "deal")),
        S("contacts_created_7d"), S("contacts_created_7d", ("team", "Sales")),
        S("data_quality_score"), S("open_deals"), S("crm_api_error_ratio", ("integration", "crm")),
    ],
    [new UserAdoptionRow("s", "u1", "Ada", null, "Sales", null, 0, 0, 0, 0, "never", T)],
    [
        new RecordIssue("unreachable_contacts", "contact", "c1", null, "unassigned"),
        new RecordIssue("stale_records", "deal", "d1", null, "unassigned"),
        new RecordIssue("overdue_tasks", "task", "t1", null, "unassigned"),
    ]);

    [Fact]
    public void Every_catalog_kpi_says_which_kinds_it_rests_on()
    {
        Assert.Equal([], KpiCatalog.All.Select(d => d.Id).Where(id => !KpiInputs.Needs.ContainsKey(id)).ToList());
        Assert.Equal([], KpiInputs.Needs.Keys.Where(id => !KpiCatalog.TryGet(id, out _)).ToList());
    }

    [Fact]
    public void Without_contacts_the_contact_kpis_their_issues_and_the_score_are_left_out_and_the_rest_is_kept()
    {
        var read = Enum.GetValues<ObjectKind>().Where(k => k != ObjectKind.Contact).ToHashSet();

        var kept = KpiInputs.Keep(Pass, read, out var leftOut);

        Assert.Equal(
        [
            "licensed_users|", "licensed_users|team=Sales", "weekly_active_users|", "api_logins_30d|",
            "records|object=company", "records|object=deal", "open_deals|", "crm_api_error_ratio|integration=crm",
        ], kept.Samples.Select(s => $"{s.Kpi}|{s.Dimensions.Key}"));
        Assert.Equal(["stale_records", "overdue_tasks"], kept.Issues.Select(i => i.Kpi));
        Assert.Single(kept.Users);
        Assert.Equal(["contacts_created_7d", "records", "data_quality_score"], leftOut);
    }

    [Fact]
    public void Without_users_the_per_team_samples_and_the_user_rows_go_and_roll_ups_of_other_kinds_stay()
    {
        var read = Enum.GetValues<ObjectKind>().Where(k => k != ObjectKind.User).ToHashSet();

        var kept = KpiInputs.Keep(Pass, read, out var leftOut);

        Assert.DoesNotContain(kept.Samples, s => s.Dimensions["team"] is not null);
        Assert.Contains(kept.Samples, s => s.Kpi == "contacts_created_7d" && s.Dimensions.Count == 0);
        Assert.DoesNotContain(kept.Samples, s => s.Kpi is "licensed_users" or "weekly_active_users" or "data_quality_score");
        Assert.Empty(kept.Users);
        Assert.Equal(["licensed_users", "weekly_active_users", "contacts_created_7d", "data_quality_score"], leftOut);
    }

    [Fact]
    public void Adoption_rests_on_logins_or_activities_and_api_logins_on_logins()
    {
        var read = new HashSet<ObjectKind> { ObjectKind.User, ObjectKind.Activity };

        var kept = KpiInputs.Keep(Pass, read, out _);

        Assert.Contains(kept.Samples, s => s.Kpi == "weekly_active_users");
        Assert.DoesNotContain(kept.Samples, s => s.Kpi == "api_logins_30d");
        Assert.Single(kept.Users);
        Assert.Equal(["overdue_tasks"], kept.Issues.Select(i => i.Kpi));
    }

    [Fact]
    public void With_every_kind_read_the_pass_is_kept_as_it_is()
    {
        var kept = KpiInputs.Keep(Pass, Enum.GetValues<ObjectKind>().ToHashSet(), out var leftOut);

        Assert.Same(Pass, kept);
        Assert.Empty(leftOut);
    }
}
