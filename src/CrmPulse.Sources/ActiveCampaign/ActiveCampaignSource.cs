using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.ActiveCampaign;

/// <summary>
/// An ActiveCampaign account read through its API v3 with an Api-Token (see README.md). Contacts and deals are read
/// in full once, then only those updated since their watermark (filters[updated_after]); a count check per kind finds
/// deletions. Users, accounts, pipelines, stages, deal tasks and notes have no documented updated-time filter and are
/// read whole each sync. Any failure throws, so the mirror never commits part of a sync.
/// </summary>
public sealed class ActiveCampaignSource : ICrmSource
{
    private readonly ActiveCampaignSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly ApiUsageMeter _usage;
    private readonly ActiveCampaignPacer _pacer = new();
    private readonly Polly.ResiliencePipeline<ApiExchange> _breaker;
    private bool _pulled;
    private bool _loginNoticeGiven;

    /// <param name="name">The configured source name (the <c>source</c> tag).</param>
    /// <param name="options">Settings; <see cref="ActiveCampaignSourceOptions.Validate"/> must pass.</param>
    /// <param name="time">Clock for pacing, back-off waits and the usage day.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ActiveCampaignSource(string name, ActiveCampaignSourceOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException($"ActiveCampaign source '{name}': invalid options: {string.Join(" ", problems)}", nameof(options));
        Name = name;
        _options = options;
        _time = time;
        // Each request gets its own time limit (RequestTimeout) so a retry is possible; the client's own is off.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _usage = new ApiUsageMeter(time);
        _breaker = ActiveCampaignClient.Breaker(name, time);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => "ActiveCampaign";

    /// <inheritdoc />
    public ApiUsage? LastPullUsage => _pulled ? _usage.ToApiUsage(null, null) : null;

    /// <summary>{AppUrl}/app/contacts/&lt;id&gt; or /app/deals/&lt;id&gt;, when AppUrl is configured.</summary>
    public Uri? LinkTo(string objectType, string recordId)
    {
        if (_options.AppUrl is not { } app || string.IsNullOrWhiteSpace(recordId)) return null;
        var path = objectType switch
        {
            "contact" => "contacts",
            "deal" => "deals",
            "company" => "accounts",
            _ => null,
        };
        return path is null ? null : new Uri($"{app.TrimEnd('/')}/app/{path}/{Uri.EscapeDataString(recordId)}");
    }

    /// <summary>
    /// Pulls users, pipelines and stages, accounts and their contacts, contacts and deals changed since their
    /// watermarks ("activecampaign:contacts", "activecampaign:deals": the latest update time seen; ":count" the number
    /// of records the account held), deal tasks and notes.
    /// </summary>
    /// <exception cref="SourceException">No token, a rejected token, retries exhausted, or a malformed page.</exception>
    public async Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        _usage.StartSync();
        _pulled = true;
        var client = new ActiveCampaignClient(_http, _options, Name, ReadToken(), _time, _usage, _pacer, _breaker);
        // ActiveCampaign has no login history: logins are never read, so the KPIs that rest on logins alone
        // (api_logins_30d, api_login_users_30d) are left out rather than reported as 0.
        var changes = new ChangeSet { ReadKinds = [.. Enum.GetValues<ObjectKind>().Where(k => k != ObjectKind.Login)] };
        try
        {
            await PullInto(changes, watermarks, new Lister(client, _options.PageSize, Name), cancellationToken);
        }
        // JsonElement throws InvalidOperationException when a member has another JSON kind than documented.
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SourceException($"ActiveCampaign source '{Name}': a response could not be read ({e.Message}); nothing of this sync is committed.", e);
        }
        changes.ApiUsage = _usage.ToApiUsage(null, null);
        return changes;
    }

    private async Task PullInto(ChangeSet changes, IReadOnlyDictionary<string, string> watermarks, Lister lister, CancellationToken ct)
    {
        foreach (var u in await lister.AllAsync("users", "users", [], ct)) changes.Users.Add(ActiveCampaignMapper.User(u));
        changes.CompleteKinds.Add(ObjectKind.User);
        if (!_loginNoticeGiven)
        {
            changes.Notices.Add(new SourceProblem("/api/3/users", null, null,
                "ActiveCampaign's API gives no login events: adoption KPIs use logged activity (deal tasks, notes) as their basis."));
            _loginNoticeGiven = true;
        }

        // Pipelines are read to know them; a deal names its pipeline (group) itself, its stage's pipeline is the fallback.
        await lister.AllAsync("dealGroups", "dealGroups", [], ct);
        var pipelineOfStage = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in await lister.AllAsync("dealStages", "dealStages", [], ct))
        {
            if (ActiveCampaignMapper.Text(s, "group") is { } group) pipelineOfStage[ActiveCampaignMapper.Id(s, "deal stage")] = group;
        }

        foreach (var a in await lister.AllAsync("accounts", "accounts", [], ct)) changes.Companies.Add(ActiveCampaignMapper.Account(a));
        changes.CompleteKinds.Add(ObjectKind.Company);

        // A contact's company: its first account association (lowest association id).
        var associations = await lister.AllAsync("accountContacts", "accountContacts", [], ct);
        var companyOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ac in associations.OrderBy(a => long.TryParse(ActiveCampaignMapper.Text(a, "id"), out var n) ? n : long.MaxValue))
        {
            if (ActiveCampaignMapper.Text(ac, "contact") is { } contact && ActiveCampaignMapper.Text(ac, "account") is { } account)
                companyOf.TryAdd(contact, account);
        }

        var contactsSince = await ChangedAsync(changes, watermarks, lister, "contacts", "contact", ObjectKind.Contact, "udate",
            c => changes.Contacts.Add(ActiveCampaignMapper.Contact(c, companyOf.GetValueOrDefault(ActiveCampaignMapper.Id(c, "contact")))), ct);
        if (contactsSince is { } since) await AddRelinkedContactsAsync(changes, lister, associations, companyOf, since, ct);

        await ChangedAsync(changes, watermarks, lister, "deals", "deal", ObjectKind.Deal, "mdate",
            d => changes.Deals.Add(ActiveCampaignMapper.Deal(d, pipelineOfStage)), ct);

        foreach (var t in await lister.AllAsync("dealTasks", "dealTasks", [], ct)) changes.Activities.Add(ActiveCampaignMapper.Task(t));
        foreach (var n in await lister.AllAsync("notes", "notes", [], ct)) changes.Activities.Add(ActiveCampaignMapper.Note(n));
        changes.CompleteKinds.Add(ObjectKind.Activity);
    }

    /// <summary>
    /// Contacts or deals: everything on the first sync; then those updated since the watermark (less the overlap),
    /// and the kind's total, which must equal the last total plus the records created since. When it does not,
    /// records were deleted: the kind is read whole and the mirror drops what is gone. Returns the incremental
    /// start, or null after a full read.
    /// </summary>
    private async Task<DateTimeOffset?> ChangedAsync(ChangeSet changes, IReadOnlyDictionary<string, string> watermarks, Lister lister,
        string resource, string what, ObjectKind kind, string updatedField, Action<JsonElement> add, CancellationToken ct)
    {
        var key = $"activecampaign:{resource}";
        var countKey = key + ":count";
        if (watermarks.TryGetValue(key, out var w) && watermarks.TryGetValue(countKey, out var c) &&
            DateTimeOffset.TryParse(w, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var watermark) &&
            long.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            var since = watermark - _options.Overlap;
            var changed = await lister.AllAsync(resource, resource,
                [("filters[updated_after]", ActiveCampaignClient.FilterTime(since)), ("orders[cdate]", "ASC")], ct);
            var created = changed.Count(r => Created(r, what) > watermark);
            var total = await lister.TotalAsync(resource, resource, ct);
            if (total == count + created)
            {
                foreach (var r in changed) add(r);
                changes.Watermarks[key] = Latest(changed, updatedField, watermark);
                changes.Watermarks[countKey] = total.ToString(CultureInfo.InvariantCulture);
                return since;
            }
            changes.Notices.Add(new SourceProblem($"/api/3/{resource}", null, null,
                $"the account holds {total} {resource} where {count + created} were expected ({count} at the last sync, {created} created since): " +
                $"records were deleted or missed, so every {what} was read again."));
        }

        var all = await lister.AllAsync(resource, resource, [("orders[cdate]", "ASC")], ct);
        foreach (var r in all) add(r);
        changes.CompleteKinds.Add(kind);
        changes.Watermarks[key] = Latest(all, updatedField, null);
        changes.Watermarks[countKey] = all.Count.ToString(CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>
    /// Contacts whose account association was made or changed since the incremental start, though the contact itself
    /// was not updated: read again by id (ids[]) so their company is current.
    /// </summary>
    private async Task AddRelinkedContactsAsync(ChangeSet changes, Lister lister, IReadOnlyList<JsonElement> associations,
        Dictionary<string, string> companyOf, DateTimeOffset since, CancellationToken ct)
    {
        var read = changes.Contacts.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var relinked = associations
            .Where(a => Stamp(a, "updatedTimestamp") is { } t && t > since || Stamp(a, "createdTimestamp") is { } t2 && t2 > since)
            .Select(a => ActiveCampaignMapper.Text(a, "contact"))
            .OfType<string>().Where(id => !read.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in relinked.Chunk(_options.PageSize))
        {
            var query = batch.Select(id => ("ids[]", id)).ToArray();
            foreach (var c in await lister.AllAsync("contacts", "contacts", query, ct))
                changes.Contacts.Add(ActiveCampaignMapper.Contact(c, companyOf.GetValueOrDefault(ActiveCampaignMapper.Id(c, "contact"))));
        }
    }

    private static DateTimeOffset? Stamp(JsonElement e, string field) =>
        ActiveCampaignMapper.Text(e, field) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static DateTimeOffset Created(JsonElement r, string what) => Stamp(r, "cdate") ?? throw new FormatException(
        ActiveCampaignMapper.Text(r, "cdate") is { } text
            ? $"{what} {ActiveCampaignMapper.Id(r, what)}: cdate '{text}' is not a date and time."
            : $"{what} {ActiveCampaignMapper.Id(r, what)}: cdate is missing.");

    private static string Latest(IEnumerable<JsonElement> records, string field, DateTimeOffset? start)
    {
        var latest = start;
        foreach (var r in records)
        {
            if (Stamp(r, field) is { } t && (latest is null || t > latest)) latest = t;
        }
        return (latest ?? DateTimeOffset.UnixEpoch).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
    }

    private string ReadToken() =>
        Secret.Read($"ActiveCampaign source '{Name}'", "API token", _options.TokenFile, "TokenFile", _options.TokenEnv, "TokenEnv");

    /// <summary>Offset/limit paging over one list endpoint: {"&lt;name&gt;": [...], "meta": {"total": "n"}}.</summary>
    private sealed class Lister(ActiveCampaignClient client, int pageSize, string sourceName)
    {
        public async Task<List<JsonElement>> AllAsync(string resource, string arrayName, (string Key, string Value)[] query, CancellationToken ct)
        {
            var all = new List<JsonElement>();
            for (var offset = 0; ; )
            {
                var page = await client.GetAsync(Path(resource, query, pageSize, offset), ct);
                var items = Items(page, resource, arrayName, offset);
                var total = Total(page, resource, offset);
                all.AddRange(items.EnumerateArray());
                var n = items.GetArrayLength();
                offset += n;
                if (n < pageSize || n == 0 || (total is { } t && offset >= t)) return all;
            }
        }

        /// <summary>The kind's meta.total from a one-record page.</summary>
        public async Task<long> TotalAsync(string resource, string arrayName, CancellationToken ct)
        {
            var page = await client.GetAsync(Path(resource, [], 1, 0), ct);
            Items(page, resource, arrayName, 0);
            return Total(page, resource, 0) ?? throw new SourceException(
                $"ActiveCampaign source '{sourceName}': GET /api/3/{resource} returned no meta.total; deletions cannot be detected and nothing of this sync is committed.");
        }

        private static string Path(string resource, (string Key, string Value)[] query, int limit, int offset) =>
            $"/{resource}?" + string.Join("&", query.Append((Key: "limit", Value: limit.ToString(CultureInfo.InvariantCulture))).Append((Key: "offset", Value: offset.ToString(CultureInfo.InvariantCulture)))
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

        private JsonElement Items(JsonElement page, string resource, string arrayName, int offset) =>
            page.TryGetProperty(arrayName, out var items) && items.ValueKind == JsonValueKind.Array
                ? items
                : throw new SourceException($"ActiveCampaign source '{sourceName}': GET /api/3/{resource} (offset {offset}) returned a page without a \"{arrayName}\" array; nothing of this sync is committed.");

        private long? Total(JsonElement page, string resource, int offset)
        {
            if (!page.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object || !meta.TryGetProperty("total", out var total)) return null;
            var text = total.ValueKind switch { JsonValueKind.String => total.GetString(), JsonValueKind.Number => total.GetRawText(), _ => null };
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new SourceException($"ActiveCampaign source '{sourceName}': GET /api/3/{resource} (offset {offset}) returned meta.total {total.GetRawText()}, not a count; nothing of this sync is committed.");
        }
    }
}
