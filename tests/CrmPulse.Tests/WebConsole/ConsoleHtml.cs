using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CrmPulse.Tests.WebConsole;

/// <summary>Reads what a console page states in its markup: the values it shows (data-kpi, data-dims, data-value) and
/// its links.</summary>
public static partial class ConsoleHtml
{
    public static IReadOnlyList<(string Kpi, string Dims, double Value)> Values(string html) =>
        ValueAttributes().Matches(html).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value),
            double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToList();

    public static IReadOnlyList<string> Links(string html, string prefix) =>
        HrefAttribute().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Where(h => h.StartsWith(prefix, StringComparison.Ordinal)).Distinct().ToList();

    /// <summary>The number in data-&lt;name&gt;="…" (e.g. data-issues-total).</summary>
    public static long Number(string html, string attribute)
    {
        var m = Regex.Match(html, $"{Regex.Escape(attribute)}=\"(\\d+)\"");
        Assert.True(m.Success, $"no {attribute} in the page");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("data-kpi=\"([a-z0-9_]+)\" data-dims=\"([^\"]*)\" data-value=\"([^\"]+)\"")]
    private static partial Regex ValueAttributes();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex HrefAttribute();
}
