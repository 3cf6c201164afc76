using System.Globalization;
using CrmPulse.Apis;
using CrmPulse.WebConsole.Charts;

namespace CrmPulse.WebConsole;

/// <summary>Small pieces the pages share: KPI cards, badges, value cells. Every shown value carries data-kpi and
/// data-value (the API's exact number) so a test or a script can check it against the API.</summary>
public static class Widgets
{
    /// <summary>A KPI card: label, value, change against the previous period, target status, trend sparkline.</summary>
    public static Markup Card(string kpi, KpiApi.LatestValue? value, IReadOnlyList<(DateTimeOffset Time, double Value)> trend, string? link = null)
    {
        var label = Format.Label(kpi);
        if (value is null)
            return Html.Of($"<section class=\"card\" data-kpi=\"{kpi}\"><h3>{label}</h3><div class=\"value neutral\">–</div><div class=\"meta\">no sample yet</div></section>");
        var shown = link is null ? Html.Of($"{Format.Value(value.Unit, value.Value)}") : Html.Of($"<a href=\"{link}\">{Format.Value(value.Unit, value.Value)}</a>");
        return Html.Of($"""
            <section class="card" data-kpi="{kpi}" data-dims="{DimsKey(value.Dimensions)}" data-value="{Exact(value.Value)}">
            <h3>{label}</h3>
            <div class="value">{shown}</div>
            <div class="meta">{ChangeSpan(value)}{TargetBadge(value.Target)}</div>
            {Sparkline.Render(label + " trend", trend)}
            </section>
            """);
    }

    /// <summary>The change against the previous period, coloured by whether it is for the better.</summary>
    public static Markup ChangeSpan(KpiApi.LatestValue value) => value.Change is { } c
        ? Html.Of($"<span class=\"{Format.Tone(value.Direction, c)}\" title=\"against {Format.Time(value.Previous?.Time)}\">{Format.Change(value.Unit, c)}</span>")
        : Html.Raw("<span class=\"neutral\">no previous value</span>");

    public static Markup TargetBadge(TargetStatus? target) => target is null ? Markup.Empty
        : Html.Of($"<span class=\"badge {target.Status}\" title=\"target {target.Value.ToString(CultureInfo.InvariantCulture)} by {target.By:yyyy-MM-dd}\">{target.Status.Replace('_', ' ')}</span>");

    public static Markup Badge(string status) => Html.Of($"<span class=\"badge {status}\">{status.Replace('_', ' ')}</span>");

    /// <summary>A table cell with a value in its unit (right-aligned), optionally a link to the records behind it.</summary>
    public static Markup ValueCell(KpiApi.LatestValue v, string? link = null)
    {
        var text = Format.Value(v.Unit, v.Value);
        var inner = link is null ? Html.Of($"{text}") : Html.Of($"<a href=\"{link}\">{text}</a>");
        return Html.Of($"<td class=\"num\" data-kpi=\"{v.Kpi}\" data-dims=\"{DimsKey(v.Dimensions)}\" data-value=\"{Exact(v.Value)}\">{inner}</td>");
    }

    /// <summary>The canonical dimensions key the tests compare: name=value pairs sorted by name, joined by ','.</summary>
    public static string DimsKey(IReadOnlyDictionary<string, string> dims) =>
        string.Join(",", dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));

    /// <summary>The exact value, round-trippable.</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A table from a header and rows (each row already a sequence of cells).</summary>
    public static Markup Table(string caption, IEnumerable<Markup> headers, IEnumerable<Markup> rows, bool captionVisible = false)
    {
        var list = rows.ToList();
        if (list.Count == 0) return Html.Of($"<p class=\"empty\">{caption}: none.</p>");
        return Html.Of($"<table><caption class=\"{(captionVisible ? "" : "sr")}\">{caption}</caption><thead><tr>{headers}</tr></thead><tbody>{list}</tbody></table>");
    }

    public static Markup Th(string text, bool num = false) => Html.Of($"<th scope=\"col\"{Html.Raw(num ? " class=\"num\"" : "")}>{text}</th>");
}
