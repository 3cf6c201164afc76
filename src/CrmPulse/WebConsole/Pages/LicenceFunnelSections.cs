using CrmPulse.Apis;
using CrmPulse.Core.Kpis;

namespace CrmPulse.WebConsole.Pages;

/// <summary>
/// The outcomes page's licence waste and access review section and its funnel by lead source: tables of the latest
/// values, each number linking to the records behind it.
/// </summary>
public static class LicenceFunnelSections
{
    /// <summary>Unused seats per inactive_for band (and their cost when a cost per seat is set), then the access review.</summary>
    public static Markup Licences(ConsoleView view, ConsoleData data, IReadOnlyList<KpiApi.LatestValue> latest)
    {
        KpiApi.LatestValue? Of(string kpi, string? band = null) => latest.FirstOrDefault(v => v.Kpi == kpi
            && v.Dimensions.GetValueOrDefault("inactive_for") == band
            && v.Dimensions.GetValueOrDefault("team") == view.Team
            && v.Dimensions.Count == (band is null ? 0 : 1) + (view.Team is null ? 0 : 1));
        if (Of("licence_unused_seats") is null) return Markup.Empty;
        var currency = data.Sources.Contains(view.Source) ? data.Sources.Config(view.Source).Options.Licences.Currency : null;
        var costHeader = currency is null ? "Cost per month" : $"Cost per month ({currency})";
        var hasCost = Of("licence_cost_unused") is not null;
        var bands = LicenceKpis.Bands.Prepend(null).Select(band =>
        {
            var seats = Of("licence_unused_seats", band);
            var cost = Of("licence_cost_unused", band);
            var label = band switch { null => "All unused seats", "30d" => "Idle 30–60 days", "60d" => "Idle 60–90 days", "90d" => "Idle 90 days or more", _ => "Never active" };
            var link = view.Link("/pipeline/issues", ("kind", "licence_unused_seats"), ("field", band));
            return Html.Of($"<tr><th scope=\"row\">{label}</th>{(seats is null ? Html.Raw("<td class=\"num\">0</td>") : Widgets.ValueCell(seats, link))}{Html.If(hasCost, cost is null ? Html.Raw("<td class=\"num\">0</td>") : Widgets.ValueCell(cost))}</tr>");
        });
        var headers = new List<Markup> { Widgets.Th("Seats"), Widgets.Th("Users", true) };
        if (hasCost) headers.Add(Widgets.Th(costHeader, true));
        var review = new[] { "admin_users", "admin_users_inactive", "deactivated_users_owning_open_records", "users_not_on_roster" }
            .Select(kpi => (Kpi: kpi, Value: Of(kpi)))
            .Where(x => x.Value is not null)
            .Select(x => Html.Of($"<tr><th scope=\"row\">{Format.Label(x.Kpi)}</th>{Widgets.ValueCell(x.Value!, view.Link("/pipeline/issues", ("kind", x.Kpi)))}</tr>"))
            .ToList();
        var basis = Of("licence_unused_seats")!.Basis == "activity" ? "a logged activity (the source gives no logins)" : "a successful login";
        return Html.Of($"""
            <h2>Licence waste and access review</h2>
            <p class="context">Licensed users with no {basis} in the last 30 days, by how long they have been idle; each number lists the users.</p>
            {Widgets.Table("Unused seats", headers, bands)}
            {(review.Count == 0 ? Markup.Empty : Widgets.Table("Access review", [Widgets.Th("Check"), Widgets.Th("Users", true)], review))}
            {Html.If(Of("admin_users") is null, Html.Of($"<p class=\"context\">This source does not say who has administrator rights.</p>"))}
            """);
    }

    /// <summary>Contacts per funnel stage and lead source, with the conversion from each stage to the next.</summary>
    public static Markup Funnel(ConsoleView view, IReadOnlyList<KpiApi.LatestValue> latest)
    {
        var stages = latest.Where(v => v.Kpi == "funnel_stage_records" && v.Dimensions.ContainsKey("stage")).ToList();
        if (stages.Count == 0) return Markup.Empty;
        var sources = stages.Select(v => v.Dimensions.GetValueOrDefault("lead_source")).Distinct()
            .OrderBy(s => s is null ? 0 : 1).ThenBy(s => s, StringComparer.Ordinal).ToList();
        KpiApi.LatestValue? Cell(string kpi, string stage, string? source) => latest.FirstOrDefault(v => v.Kpi == kpi
            && v.Dimensions.GetValueOrDefault("stage") == stage && v.Dimensions.GetValueOrDefault("lead_source") == source);
        var rows = sources.Select(source =>
        {
            var cells = FunnelKpis.Stages.Select(stage => Cell("funnel_stage_records", stage, source) is { } v
                ? Widgets.ValueCell(v, source is null ? view.Link("/pipeline/issues", ("kind", "funnel_stage_records"), ("field", stage)) : null)
                : Html.Raw("<td class=\"num\">–</td>"));
            var ratio = Cell("funnel_conversion_ratio", "mql_to_won", source) is { } r ? Widgets.ValueCell(r) : Html.Raw("<td class=\"num\">–</td>");
            return Html.Of($"<tr><th scope=\"row\">{source ?? "All sources"}</th>{Html.Join(cells)}{ratio}</tr>");
        });
        var headers = new List<Markup> { Widgets.Th("Lead source") };
        headers.AddRange(FunnelKpis.Stages.Select(s => Widgets.Th(s is "mql" or "sql" ? s.ToUpperInvariant() : Format.Label(s), true)));
        headers.Add(Widgets.Th("MQL → won", true));
        var snapshot = stages[0].Basis == FunnelKpis.SnapshotBasis;
        return Html.Of($"""
            <h2>Funnel by lead source</h2>
            <p class="context">Contacts that reached each stage (or a later one){(snapshot ? ", read from their current lifecycle stage: this source keeps no stage history, so this is a snapshot" : ", from the lifecycle stage history")}.</p>
            {Widgets.Table("Funnel by lead source", headers, rows)}
            """);
    }
}
