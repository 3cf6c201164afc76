using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Salesforce.SalesforceValues;

using CrmPulse.Sources.Http;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// A Salesforce org read through the REST API with SOQL (see README.md). The first pull reads every object in full;
/// later pulls read what changed since each object's SystemModstamp watermark (minus
/// <see cref="SalesforceSourceOptions.Overlap"/>) and the deletions getDeleted reports. Any failure throws, so the
/// mirror never commits part of a sync.
/// </summary>
public sealed class SalesforceSource : ICrmSource
{
    private const string LoginKey = "salesforce:LoginHistory";

    private readonly SalesforceSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly HttpClient _http;
    private readonly HttpClient _authHttp;
    private readonly SalesforceAuthenticator _auth;
    private readonly SalesforceLimits _limits;
    private bool _pulled;
    private readonly Dictionary<string, HashSet<string>> _unreadable = new(StringComparer.Ordinal);
    private Uri? _instanceUrl;
    private bool _loginsUnavailableReported;
    private bool _limitsUnavailableReported;

    /// <param name="name">The configured source name (the <c>source</c> tag).</param>
    /// <param name="options">Settings; <see cref="SalesforceSourceOptions.Validate"/> must pass.</param>
    /// <param name="time">Clock for watermarks, the daily share and the limit pause.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SalesforceSource(string name, SalesforceSourceOptions options, TimeProvider time)
        : this(name, options, time, null)
    {
    }

    /// <param name="delay">Back-off waits; tests pass one that returns at once and records the waits.</param>
    internal SalesforceSource(string name, SalesforceSourceOptions options, TimeProvider time, Func<TimeSpan, CancellationToken, Task>? delay)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException($"Salesforce source '{name}': invalid options: {string.Join(" ", problems)}", nameof(options));
        Name = name;
        _options = options;
        _time = time;
        _delay = delay ?? ((span, ct) => Task.Delay(span, time, ct));
        _http = SourceResilience.CreateClient(new SourceResilience.Settings(
            $"salesforce-{name}",
            () => new SourceResilience.Limits(options.MaxRetries, options.RetryDelay, options.RequestTimeout, options.TotalTimeout),
            SalesforceClient.ShouldRetry), time, _delay);
        // Token requests keep a plain client: the authenticator sets its own limits, and a refused grant is never retried.
        _authHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _auth = new SalesforceAuthenticator(name, options.Auth, _authHttp, time);
        _limits = new SalesforceLimits(time);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => "Salesforce";

    /// <summary>
    /// The Opportunity field that holds why a deal was lost (the source's Pipeline:LostReasonField, e.g. "Loss_Reason__c"),
    /// pulled with every opportunity into the deal's lost reason and never dropped from the query (a field the run-as user
    /// cannot read fails the sync, naming it). Null: Salesforce has no standard one, so deals carry no lost reason.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a Salesforce field API name.</exception>
    public string? LostReasonField
    {
        get;
        init => field = value is null || CheckLostReasonField(value) is not { } wrong ? value : throw new ArgumentException(wrong, nameof(value));
    }

    /// <summary>What is wrong with a lost-reason field name (null when it is an API name such as Loss_Reason__c).</summary>
    public static string? CheckLostReasonField(string field) =>
        SalesforceSourceOptions.IsApiName(field) ? null : $"'{field}' is not a Salesforce field API name (letters, digits, '_', e.g. Loss_Reason__c).";

    /// <summary>What the last successful pull's LoginHistory rows were: human logins and API logins (both mirrored, the API ones as not interactive).</summary>
    public SalesforceLoginCounts? LastLogins { get; private set; }

    /// <summary>
    /// Pulls users, LoginHistory, and every object changed since its watermark ("salesforce:&lt;Object&gt;", the latest
    /// SystemModstamp seen) with the deletions since "salesforce:&lt;Object&gt;:deleted".
    /// </summary>
    /// <exception cref="SourceException">Sign-in refused, a query refused, the daily share reached or the allowance used up
    /// (then no call is made until <see cref="SalesforceSourceOptions.LimitPause"/> has passed), retries exhausted, or a malformed page.</exception>
    public async Task<ChangeSet> PullAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        var now = _time.GetUtcNow();
        // Before the pause check: a paused pull makes no request, so its usage is empty (not the last failure's again).
        _limits.Meter.StartSync();
        _pulled = true;
        if (_limits.PausedUntil is { } until && until > now)
            throw new SourceException($"Salesforce source '{Name}': paused after REQUEST_LIMIT_EXCEEDED; no call is made until {until:yyyy-MM-dd HH:mm:ss}Z, " +
                "when /limits is read again.");
        var client = new SalesforceClient(_http, _options, Name, _auth, _time, _limits);
        var changes = new ChangeSet();
        try
        {
            _instanceUrl = await client.InstanceUrlAsync(cancellationToken);
            var reader = new SalesforceReader(client, Name, _unreadable, changes.Notices);
            await CheckLimitsAsync(reader, changes, cancellationToken);
            var sync = new SalesforceSync(reader, new SalesforceMapper(_options, changes, LostReasonField), _options, changes, now);
            await sync.RecordsAsync(watermarks, cancellationToken);
            if (_options.LoginHistory) await LoginsAsync(sync, watermarks, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SourceException($"Salesforce source '{Name}': a response could not be read ({e.Message}); nothing of this sync is committed.", e);
        }
        changes.ApiUsage = _limits.ToApiUsage();
        return changes;
    }

    /// <inheritdoc />
    public ApiUsage? LastPullUsage => _pulled ? _limits.ToApiUsage() : null;

    /// <summary>{instance}/lightning/r/{Object}/{Id}/view, once the instance URL is known (after the first sign-in).</summary>
    public Uri? LinkTo(string objectType, string recordId)
    {
        if (_instanceUrl is null || string.IsNullOrWhiteSpace(recordId)) return null;
        var sobject = objectType switch
        {
            "contact" => recordId.StartsWith("00Q", StringComparison.Ordinal) ? "Lead" : "Contact",
            "company" => "Account",
            "deal" => "Opportunity",
            "task" => recordId.StartsWith("00U", StringComparison.Ordinal) ? "Event" : "Task",
            _ => null,
        };
        return sobject is null ? null : new Uri(_instanceUrl, $"/lightning/r/{sobject}/{Uri.EscapeDataString(recordId)}/view");
    }

    /// <summary>
    /// Reads /limits first: it gives the allowance the daily share is taken of, and after a pause it says whether the
    /// allowance has recovered (if not, the pause goes on and no other call is made).
    /// </summary>
    private async Task CheckLimitsAsync(SalesforceReader reader, ChangeSet changes, CancellationToken ct)
    {
        var resuming = _limits.PausedUntil is not null;
        var limits = await reader.LimitsAsync(ct);
        if (limits is { } doc && _limits.ReadLimits(doc))
        {
            if (resuming && _limits.DailyRemaining <= 0)
            {
                _limits.Pause(_options.LimitPause);
                throw new SourceException($"Salesforce source '{Name}': the org's API allowance has not recovered yet (/limits: DailyApiRequests " +
                    $"Remaining {_limits.DailyRemaining} of {_limits.DailyLimit}); paused until {_limits.PausedUntil:yyyy-MM-dd HH:mm:ss}Z.");
            }
        }
        else if (!_limitsUnavailableReported)
        {
            changes.Notices.Add(new SourceProblem($"/services/data/{_options.ApiVersion}/limits", null, null,
                "the API limits cannot be read (the run-as user needs View Setup and Configuration); the Sforce-Limit-Info header is used instead."));
            _limitsUnavailableReported = true;
        }
        _limits.Resume();
    }

    private async Task LoginsAsync(SalesforceSync sync, IReadOnlyDictionary<string, string> watermarks, CancellationToken ct)
    {
        var counts = await sync.LoginsAsync(watermarks, LoginKey, ct);
        if (counts is null)
        {
            if (!_loginsUnavailableReported)
            {
                sync.Changes.Notices.Add(new SourceProblem("LoginHistory", null, null,
                    "LoginHistory cannot be read (the run-as user needs Manage Users); adoption KPIs use logged activity as their basis."));
                _loginsUnavailableReported = true;
            }
            return;
        }
        LastLogins = counts;
    }
}
