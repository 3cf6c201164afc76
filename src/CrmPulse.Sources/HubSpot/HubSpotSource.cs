using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// A HubSpot portal read through its public API with a private-app token (see README.md). The first pull lists every
/// object type in full; later pulls search only what was modified since each type's watermark (minus
/// <see cref="HubSpotSourceOptions.Overlap"/>) and list archived records as deletions. Any failure throws, so the mirror
/// never commits part of a sync.
/// </summary>
public sealed partial class HubSpotSource : ICrmSource
{
    private readonly HubSpotSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly HttpClient _http;
    private readonly HubSpotUsage _usage;
    private bool _pulled;
    private readonly HubSpotPaths _paths;
    private long? _portalId;
    private string _appHost;
    private bool _loginFallbackReported;
    private bool _parentFallbackReported;

    /// <param name="name">The configured source name (the <c>source</c> tag).</param>
    /// <param name="options">Settings; <see cref="HubSpotSourceOptions.Validate"/> must pass.</param>
    /// <param name="time">Clock for the daily share.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public HubSpotSource(string name, HubSpotSourceOptions options, TimeProvider time)
        : this(name, options, time, null)
    {
    }

    /// <param name="delay">Back-off and pacing waits; tests pass one that returns at once and records the waits.</param>
    internal HubSpotSource(string name, HubSpotSourceOptions options, TimeProvider time, Func<TimeSpan, CancellationToken, Task>? delay)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException($"HubSpot source '{name}': invalid options: {string.Join(" ", problems)}", nameof(options));
        Name = name;
        _options = options;
        _time = time;
        _delay = delay ?? ((span, ct) => Task.Delay(span, time, ct));
        _usage = new HubSpotUsage(time);
        var usage = _usage;
        _http = SourceResilience.CreateClient(new SourceResilience.Settings(
            $"hubspot-{name}",
            () => new SourceResilience.Limits(options.MaxRetries, options.RetryDelay, options.RequestTimeout, options.TotalTimeout),
            HubSpotClient.ShouldRetry,
            // A 429 without Retry-After waits one burst interval (X-HubSpot-RateLimit-Interval-Milliseconds).
            response => (int)response.StatusCode == 429 ? usage.Interval ?? TimeSpan.FromSeconds(10) : null), time, _delay);
        _paths = new HubSpotPaths(options);
        _portalId = options.PortalId;
        _appHost = options.AppHost;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>HubSpot's own deal property for why a deal was lost.</summary>
    public const string DefaultLostReasonProperty = "closed_lost_reason";

    /// <summary>
    /// The deal property read as the lost reason (the source's Pipeline:LostReasonField, e.g. a custom
    /// "loss_reason_detail"); null for HubSpot's own closed_lost_reason. A property that does not exist fails the sync.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a HubSpot property name.</exception>
    public string? LostReasonField
    {
        get;
        init => field = value is null || CheckLostReasonField(value) is not { } wrong ? value : throw new ArgumentException(wrong, nameof(value));
    }

    /// <summary>What is wrong with a lost-reason property name (null when it is an internal name such as closed_lost_reason).</summary>
    public static string? CheckLostReasonField(string property) =>
        PropertyName().IsMatch(property) ? null : $"'{property}' is not a HubSpot property's internal name (lower-case letters, digits, '_', e.g. closed_lost_reason).";

    /// <inheritdoc />
    public string Kind => "HubSpot";

    /// <summary>
    /// Pulls owners and users, login history (when offered), and every object modified since its watermark
    /// ("hubspot:&lt;object&gt;", epoch milliseconds of the latest modification seen), with deletions.
    /// </summary>
    /// <exception cref="SourceException">No token, a 401/403, the daily limit or share reached, retries exhausted, or a malformed page.</exception>
    public async Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        _usage.StartSync();
        _pulled = true;
        var client = new HubSpotClient(_http, _options, Name, ReadToken(), _time, _delay, _usage);
        var reader = new HubSpotReader(client, _options, _paths, Name);
        var metadata = new HubSpotMetadata(client, reader, _paths, Name);
        var changes = new ChangeSet();
        try
        {
            await PullInto(changes, watermarks, client, reader, metadata, cancellationToken);
        }
        // JsonElement throws InvalidOperationException when a member has another JSON kind than documented.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new SourceException($"HubSpot source '{Name}': a response could not be read ({e.Message}); nothing of this sync is committed.", e);
        }
        changes.ApiUsage = _usage.ToApiUsage();
        return changes;
    }

    /// <inheritdoc />
    public ApiUsage? LastPullUsage => _pulled ? _usage.ToApiUsage() : null;

    /// <summary>https://app.hubspot.com/contacts/&lt;portal&gt;/record/&lt;type&gt;/&lt;id&gt;, once the portal id is known.</summary>
    public Uri? LinkTo(string objectType, string recordId)
    {
        var typeId = objectType switch
        {
            "contact" => "0-1",
            "company" => "0-2",
            "deal" => "0-3",
            "task" => "0-27",
            _ => null,
        };
        if (typeId is null || _portalId is not { } portal || string.IsNullOrWhiteSpace(recordId)) return null;
        return new Uri($"https://{_appHost}/contacts/{portal.ToString(CultureInfo.InvariantCulture)}/record/{typeId}/{Uri.EscapeDataString(recordId)}");
    }

    private async Task PullInto(ChangeSet changes, IReadOnlyDictionary<string, string> watermarks, HubSpotClient client,
        HubSpotReader reader, HubSpotMetadata metadata, CancellationToken ct)
    {
        if (_portalId is null && await metadata.AccountAsync(ct) is { } account)
        {
            _portalId = account.PortalId;
            if (account.UiDomain is { Length: > 0 } ui && _options.AppHost == new HubSpotSourceOptions().AppHost) _appHost = ui;
        }

        var (owners, ownerByUserId) = await metadata.OwnersAsync(ct);
        var (flagged, withoutOwner) = await metadata.UsersAsync(ownerByUserId, owners, ct);
        changes.Users.AddRange(flagged);
        changes.Users.AddRange(withoutOwner);
        changes.CompleteKinds.Add(ObjectKind.User);

        var stages = await metadata.DealStagesAsync(ct);
        var customTypes = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var obj in HubSpotObject.All.Where(o => o.ConfigObject is not null))
        {
            if (_options.CustomFields.TryGetValue(obj.ConfigObject!, out var wanted) && wanted.Count > 0)
                customTypes[obj.ConfigObject!] = await metadata.PropertyTypesAsync(obj.Name, wanted, changes.Notices, ct);
        }

        if (LostReasonField is { } lostReason && !(await metadata.PropertyTypesAsync("deals", [lostReason], [], ct)).ContainsKey(lostReason))
        {
            // Asked for anyway, HubSpot would answer without it: every lost deal would look lost without a reason.
            throw new SourceException($"HubSpot source '{Name}': Pipeline:LostReasonField '{lostReason}' is not a property of deals " +
                "(give its internal name, as in HubSpot's property settings); nothing of this sync is committed.");
        }
        var lostReasonProperty = LostReasonField ?? DefaultLostReasonProperty;
        var mapper = new HubSpotMapper(stages, customTypes, changes.Notices, lostReasonProperty);
        var fullActivities = 0;
        foreach (var obj in HubSpotObject.All)
        {
            var properties = obj.Properties
                .Concat(obj.ConfigObject is { } c && customTypes.TryGetValue(c, out var types) ? types.Keys : [])
                .Concat(obj == HubSpotObject.Deals ? stages.Keys.Select(s => $"hs_date_entered_{s}").Append(lostReasonProperty) : [])
                .Distinct().ToList();
            long since = 0;
            var full = !watermarks.TryGetValue(obj.WatermarkKey, out var mark) || !long.TryParse(mark, NumberStyles.Integer, CultureInfo.InvariantCulture, out since);
            List<HubSpotRecord> records;
            if (full)
            {
                if (await reader.ListAsync(obj, properties, archived: false, ct) is not { } listed)
                {
                    // No watermark is stored, so the next sync tries the full listing again.
                    changes.Notices.Add(new SourceProblem(_paths.Objects(obj.Name), null, null,
                        $"{obj.Name} are not offered to this token or portal (403/404); skipped (check the private app's scopes)."));
                    continue;
                }
                // A record modified while the listing pages on can come twice: keep its latest version once.
                records = listed.GroupBy(r => r.Id, StringComparer.Ordinal).Select(g => g.MaxBy(r => HubSpotReader.Stamp(r, obj))!).ToList();
                // A server that ignores associations= sends none at all: read them in batches instead.
                if (obj.AssociationTargets.Length > 0 && records.Count > 0 && !records.Any(r => r.HasInlineAssociations))
                    await AddAssociationsAsync(reader, obj, records, ct);
                if (obj.Kind != ObjectKind.Activity) changes.CompleteKinds.Add(obj.Kind);
                else fullActivities++;
            }
            else
            {
                records = await reader.SearchModifiedSinceAsync(obj, properties, since - (long)_options.Overlap.TotalMilliseconds, ct);
                await AddAssociationsAsync(reader, obj, records, ct);
            }
            if (obj == HubSpotObject.Companies) await AddParentsAsync(changes, reader, records, ct);
            var previous = full ? long.MinValue : since;
            var latest = records.Count == 0 ? previous : Math.Max(previous, records.Max(r => HubSpotReader.Stamp(r, obj)));
            // An empty first listing leaves "0": the next pull searches everything created since, i.e. all new records.
            changes.Watermarks[obj.WatermarkKey] = (latest == long.MinValue ? 0 : latest).ToString(CultureInfo.InvariantCulture);
            foreach (var r in records) Add(changes, mapper, obj, r);

            await AddDeletionsAsync(changes, reader, obj, watermarks, full, ct);
        }
        // Activity is one kind over five engagement types: complete only when all five were listed in full.
        if (fullActivities == HubSpotObject.All.Count(o => o.Kind == ObjectKind.Activity)) changes.CompleteKinds.Add(ObjectKind.Activity);

        if (_options.LoginHistory) await AddLoginsAsync(changes, metadata, ownerByUserId, watermarks, ct);
    }

    private static void Add(ChangeSet changes, HubSpotMapper mapper, HubSpotObject obj, HubSpotRecord r)
    {
        switch (obj.Kind)
        {
            case ObjectKind.Contact: changes.Contacts.Add(mapper.Contact(r)); break;
            case ObjectKind.Company: changes.Companies.Add(mapper.Company(r)); break;
            case ObjectKind.Deal: changes.Deals.Add(mapper.Deal(r)); break;
            default: changes.Activities.Add(mapper.Activity(r, obj.Activity!.Value)); break;
        }
    }

    /// <summary>Search results carry no associations: read them in batches for the records found.</summary>
    private static async Task AddAssociationsAsync(HubSpotReader reader, HubSpotObject obj, List<HubSpotRecord> records, CancellationToken ct)
    {
        if (records.Count == 0) return;
        var ids = records.Select(r => r.Id).ToList();
        foreach (var target in obj.AssociationTargets)
        {
            var found = await reader.AssociationsAsync(obj.Name, target, ids, ct);
            foreach (var r in records)
            {
                if (found.TryGetValue(r.Id, out var targets) && targets.Count > 0) r.Associations[target] = targets;
            }
        }
    }

    /// <summary>
    /// Parents by the company→company association ("child to parent company"). HubSpot keeps hs_parent_company_id in
    /// step with it, but imports and integrations can leave the property empty or stale: the association wins.
    /// </summary>
    private async Task AddParentsAsync(ChangeSet changes, HubSpotReader reader, List<HubSpotRecord> records, CancellationToken ct)
    {
        if (records.Count == 0) return;
        var parents = await reader.ParentCompaniesAsync(records.Select(r => r.Id).ToList(), ct);
        if (parents is null)
        {
            if (!_parentFallbackReported)
            {
                changes.Notices.Add(new SourceProblem(_paths.AssociationBatch("companies", "companies"), null, null,
                    "company to company associations are not offered to this token or portal (403/404); parent companies come from hs_parent_company_id only."));
                _parentFallbackReported = true;
            }
            return;
        }
        foreach (var r in records)
        {
            if (parents.TryGetValue(r.Id, out var parent) && parent != r.Id) r.AssociatedParentId = parent;
        }
    }

    /// <summary>
    /// Archived records become deletions. The archived listing has no date filter, so it is read whole; on an
    /// incremental pull only those archived after the last archived watermark (minus the overlap) are sent.
    /// </summary>
    private async Task AddDeletionsAsync(ChangeSet changes, HubSpotReader reader, HubSpotObject obj,
        IReadOnlyDictionary<string, string> watermarks, bool full, CancellationToken ct)
    {
        var archived = await reader.ListAsync(obj, ["hs_object_id"], archived: true, ct) ?? [];
        long? since = !full && watermarks.TryGetValue(obj.ArchivedWatermarkKey, out var m) &&
                      long.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
        var latest = since ?? 0;
        foreach (var r in archived)
        {
            var at = r.ArchivedAt?.ToUnixTimeMilliseconds();
            if (at is { } a) latest = Math.Max(latest, a);
            // Records with no archivedAt cannot be placed in time: delete them every time (a no-op when gone).
            if (since is null || at is null || at > since - (long)_options.Overlap.TotalMilliseconds)
                changes.Deletions.Add((obj.Kind, r.Id));
        }
        changes.Watermarks[obj.ArchivedWatermarkKey] = latest.ToString(CultureInfo.InvariantCulture);
    }

    private async Task AddLoginsAsync(ChangeSet changes, HubSpotMetadata metadata, IReadOnlyDictionary<string, string> ownerByUserId,
        IReadOnlyDictionary<string, string> watermarks, CancellationToken ct)
    {
        var logins = await metadata.LoginsAsync(ownerByUserId, ct);
        if (logins is null)
        {
            if (!_loginFallbackReported)
            {
                changes.Notices.Add(new SourceProblem(_paths.Logins, null, null,
                    "login history is not available to this token or tier (403/404); adoption KPIs use logged activity as their basis."));
                _loginFallbackReported = true;
            }
            return;
        }
        long? since = watermarks.TryGetValue("hubspot:logins", out var m) && long.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : null;
        var latest = since ?? 0;
        foreach (var login in logins)
        {
            var at = login.At.ToUnixTimeMilliseconds();
            latest = Math.Max(latest, at);
            if (since is null || at >= since) changes.Logins.Add(login);
        }
        changes.Watermarks["hubspot:logins"] = latest.ToString(CultureInfo.InvariantCulture);
    }

    private string ReadToken() =>
        Secret.Read($"HubSpot source '{Name}'", "private-app token", _options.TokenFile, "TokenFile", _options.TokenEnv, "TokenEnv");

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex PropertyName();
}
