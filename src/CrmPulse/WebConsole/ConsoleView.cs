using System.Text;

namespace CrmPulse.WebConsole;

/// <summary>
/// The state of a console page, all of it in the URL (range, source, team and the page's own parameters), so a link
/// shows a colleague the same view. Unknown or missing values fall back to the defaults: 30 days, the first source,
/// the whole org.
/// </summary>
public sealed record ConsoleView(string Path, string Range, string Source, string? Team, IReadOnlyList<string> Sources,
    IReadOnlyList<string> Teams, DateTimeOffset Now, bool SignedIn, bool KeysConfigured, IQueryCollection Query)
{
    /// <summary>The time ranges offered, in order; "all" is since the first sample.</summary>
    public static readonly IReadOnlyList<(string Id, string Label, TimeSpan? Span)> Ranges =
    [
        ("7d", "7 d", TimeSpan.FromDays(7)), ("30d", "30 d", TimeSpan.FromDays(30)), ("90d", "90 d", TimeSpan.FromDays(90)),
        ("1y", "1 y", TimeSpan.FromDays(365)), ("all", "all", null),
    ];

    public const string DefaultRange = "30d";

    /// <summary>The start of the range ("all": the Unix epoch, before any sample).</summary>
    public DateTimeOffset From => Ranges.First(r => r.Id == Range).Span is { } span ? Now - span : DateTimeOffset.UnixEpoch;

    /// <summary>One point per step in charts: about 120 points over the range (at least one hour).</summary>
    public TimeSpan Step
    {
        get
        {
            var span = Now - From;
            if (Range == "all") span = TimeSpan.FromDays(3650);
            var step = TimeSpan.FromTicks(span.Ticks / 120);
            return step < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : step;
        }
    }

    /// <summary>Whether record-level content may be shown: no keys configured (loopback only), or a signed-in session.</summary>
    public bool MayListRecords => !KeysConfigured || SignedIn;

    /// <summary>A console URL with this view's range, source and team, plus <paramref name="extra"/> (null values left out).</summary>
    public string Link(string path, params (string Name, string? Value)[] extra) => LinkWithTeam(path, Team, extra);

    /// <summary>A console URL with this view's range and source, the given team, plus <paramref name="extra"/>.</summary>
    public string LinkWithTeam(string path, string? team, params (string Name, string? Value)[] extra) =>
        With(path, [("range", Range == DefaultRange ? null : Range), ("source", Sources.Count > 1 ? Source : null), ("team", team), .. extra]);

    /// <summary>This page with one parameter changed (the others kept).</summary>
    public string Self(params (string Name, string? Value)[] changes)
    {
        var names = changes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var kept = Query.Where(q => !names.Contains(q.Key) && q.Key is not ("range" or "source" or "team"))
            .Select(q => (q.Key, (string?)q.Value.ToString()));
        return Link(Path, [.. kept, .. changes]);
    }

    public static string With(string path, IEnumerable<(string Name, string? Value)> parameters)
    {
        var sb = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrEmpty(value)) continue;
            sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return sb.ToString();
    }
}
