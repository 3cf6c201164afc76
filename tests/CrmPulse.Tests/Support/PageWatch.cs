using Microsoft.Playwright;

namespace CrmPulse.Tests.Support;

/// <summary>Everything a page did that a clean page must not: console errors, script errors, failed requests, and any
/// request to another host than the console's own.</summary>
public sealed class PageWatch
{
    private readonly List<string> _problems = [];

    public PageWatch(IPage page, Uri origin)
    {
        page.Console += (_, m) =>
        {
            // Chromium logs every 4xx answer as a console error; an expected one (Allowed) is not a problem.
            if (m.Type == "error" && !Allowed.Any(s => m.Text.StartsWith($"Failed to load resource: the server responded with a status of {s} ", StringComparison.Ordinal)))
                Add($"console error: {m.Text}");
        };
        page.PageError += (_, e) => Add($"script error: {e}");
        page.RequestFailed += (_, r) => Add($"request failed: {r.Url} ({r.Failure})");
        page.Request += (_, r) =>
        {
            if (!Uri.TryCreate(r.Url, UriKind.Absolute, out var u)) return;
            if (u.Scheme is "data" or "blob" or "about") return;
            if (u.Host != origin.Host || u.Port != origin.Port) Add($"request to another host: {r.Url}");
        };
        page.Response += (_, r) => { if (r.Status >= 400 && !Allowed.Contains(r.Status)) Add($"HTTP {r.Status}: {r.Url}"); };
    }

    /// <summary>Statuses a test expects (e.g. 401 on a record page without a key).</summary>
    public HashSet<int> Allowed { get; } = [];

    public IReadOnlyList<string> Problems
    {
        get { lock (_problems) return [.. _problems]; }
    }

    private void Add(string problem)
    {
        lock (_problems) _problems.Add(problem);
    }
}
