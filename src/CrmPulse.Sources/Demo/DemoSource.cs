using System.Globalization;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Demo;

/// <summary>
/// The Demo source: a deterministic, seeded simulation of a mid-size org, CrmPulse's embedded default. The first
/// pull returns the whole org as it stands at the anchor, with its history of logins and activities, plus what
/// happened since the anchor up to now; later pulls return only what happened since the previous one. Each day
/// after the anchor brings new logins (workdays much busier than weekends), activities, contacts and deals.
/// </summary>
/// <remarks>
/// Watermarks: "anchor" (the org's anchor, so a restart resumes the same org) and "through" (the time up to which
/// events were returned). Events are never later than the <see cref="TimeProvider"/>'s now.
/// </remarks>
public sealed class DemoSource : ICrmSource
{
    /// <summary>Watermark key of the anchor.</summary>
    public const string AnchorWatermark = "anchor";

    /// <summary>Watermark key of the time up to which events were returned.</summary>
    public const string ThroughWatermark = "through";

    /// <summary>The deal field the demo snoozes deals with (a date, a date-time or "true"); the embedded default's
    /// Pipeline:SnoozeField names it.</summary>
    public const string SnoozeField = "paused_until";

    private readonly DemoSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private DemoOrg? _org;

    /// <param name="name">The configured name (the source tag).</param>
    /// <param name="options">The simulation's options; copied, so later changes to the object have no effect.</param>
    /// <param name="time">The clock: the simulation never returns an event later than its now.</param>
    /// <exception cref="ArgumentException">The name is blank or an option is wrong (the message lists every problem).</exception>
    public DemoSource(string name, DemoSourceOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Demo source '{name}': " + string.Join(" ", errors), nameof(options));
        }
        Name = name;
        _options = options.Copy();
        _time = time;
    }

    public string Name { get; }

    public string Kind => "Demo";

    /// <summary>
    /// The planted problems and the exact KPI values at the anchor. Known once the anchor is: at once when
    /// <see cref="DemoSourceOptions.Anchor"/> is set, otherwise after the first pull. Computed on first use.
    /// </summary>
    /// <exception cref="InvalidOperationException">No anchor is configured and nothing was pulled yet.</exception>
    public DemoFacts Facts
    {
        get
        {
            var org = _org ?? (_options.Anchor is { } anchor ? OrgFor(anchor)
                : throw new InvalidOperationException(
                    $"Demo source '{Name}': the facts depend on the anchor, which is set by the first pull when the Anchor option is not set."));
            return org.Facts;
        }
    }

    /// <remarks>The work is CPU-bound and short (well under a second for the default org), so it runs on the
    /// caller's thread and the task is already complete (or faulted) when it is returned.</remarks>
    public Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        if (_options.PullDelay > TimeSpan.Zero) return PullAfterDelayAsync(watermarks, cancellationToken);
        try
        {
            return Task.FromResult(Pull(watermarks, cancellationToken));
        }
        catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
        {
            return Task.FromCanceled<ChangeSet>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<ChangeSet>(e);
        }
    }

    /// <summary>The test knob <see cref="DemoSourceOptions.PullDelay"/>: a slow CRM, so a sync can be cut half-way.</summary>
    private async Task<ChangeSet> PullAfterDelayAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        await Task.Delay(_options.PullDelay, _time, cancellationToken);
        return Pull(watermarks, cancellationToken);
    }

    private ChangeSet Pull(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow().ToUniversalTime();
        var set = new ChangeSet();
        var storedAnchor = Read(watermarks, AnchorWatermark, set);
        var through = Read(watermarks, ThroughWatermark, set);
        var anchor = _options.Anchor?.ToUniversalTime() ?? storedAnchor ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        if (anchor > now)
        {
            throw new SourceException(
                $"Demo source '{Name}': the anchor {DemoTime.Iso(anchor)} is later than now ({DemoTime.Iso(now)}); set an Anchor in the past or leave it unset.");
        }
        var org = OrgFor(anchor);

        // A new anchor (or lost watermarks) means another org: send all of it, and let the mirror drop the rest.
        if (storedAnchor != anchor || through is null)
        {
            set.Users.AddRange(org.Users);
            set.Companies.AddRange(org.Companies);
            set.Contacts.AddRange(org.Contacts);
            set.Deals.AddRange(org.Deals);
            org.History().AddTo(set, null, now);
            foreach (var kind in Enum.GetValues<ObjectKind>()) set.CompleteKinds.Add(kind);
            AddDays(org, null, now, set, cancellationToken);
            through = now;
        }
        else if (now > through)
        {
            AddDays(org, through, now, set, cancellationToken);
            through = now;
        }

        set.Watermarks[AnchorWatermark] = DemoTime.Iso(anchor);
        set.Watermarks[ThroughWatermark] = DemoTime.Iso(through.Value);
        return set;
    }

    /// <summary>Adds the events of the days since the anchor that became visible in (after, now].</summary>
    private static void AddDays(DemoOrg org, DateTimeOffset? after, DateTimeOffset now, ChangeSet set, CancellationToken ct)
    {
        var first = after is { } a ? Math.Max(0, DemoTime.DayOf(org.Anchor, a)) : 0;
        var last = DemoTime.DayOf(org.Anchor, now);
        for (var day = first; day <= last; day++)
        {
            ct.ThrowIfCancellationRequested();
            org.Day(day).AddTo(set, after, now);
        }
    }

    private DemoOrg OrgFor(DateTimeOffset anchor)
    {
        lock (_gate)
        {
            if (_org is null || _org.Anchor != anchor) _org = new DemoOrg(_options, anchor);
            return _org;
        }
    }

    private static DateTimeOffset? Read(IReadOnlyDictionary<string, string> watermarks, string key, ChangeSet set)
    {
        if (!watermarks.TryGetValue(key, out var text)) return null;
        if (DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            return value.ToUniversalTime();
        }
        set.Notices.Add(new SourceProblem("watermarks", null, key,
            $"unreadable time '{text}' (expected ISO 8601 round-trip format); the whole org was pulled again."));
        return null;
    }
}
