using System.Text.RegularExpressions;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// Settings of a Salesforce source (one org, read through the REST API with SOQL). See
/// src/CrmPulse.Sources/Salesforce/README.md for the connected app, its scopes and the run-as user's permissions.
/// </summary>
public sealed partial class SalesforceSourceOptions
{
    /// <summary>Sign-in: flow, login URL, where the consumer key and secret (or private key) are read from.</summary>
    public SalesforceAuthOptions Auth { get; set; } = new();

    /// <summary>REST API version, "vNN.N". Default "v62.0" (Winter '25).</summary>
    public string ApiVersion { get; set; } = "v62.0";

    /// <summary>
    /// Custom fields to pull per object ("contact", "company", "deal"), by API name (e.g. "Tier__c"). This is the
    /// source's shared CustomFields key, so the fields the data-quality KPIs watch are the ones pulled. "contact"
    /// fields are read from Contact and, unless <see cref="LeadCustomFields"/> says otherwise, from Lead. Default none.
    /// </summary>
    public Dictionary<string, List<string>> CustomFields { get; set; } = [];

    /// <summary>Lead fields for the contact custom fields, in the same order, when the Lead's API names differ
    /// (e.g. ["Lead_Tier__c"]); an empty list reads none from Lead. Default: the contact's names.</summary>
    public List<string>? LeadCustomFields { get; set; }

    /// <summary>The share (0–1] of the org's daily API allowance this source may use per UTC day. Default 0.5. When the
    /// next request would pass it, the sync stops with an error and nothing of it is committed.</summary>
    public double DailyShare { get; set; } = 0.5;

    /// <summary>Rows per query page asked for (Sforce-Query-Options batchSize, 200–2000; Salesforce may send fewer).
    /// Default 2000.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>How far before the watermark an incremental query starts (a transaction can commit a SystemModstamp
    /// a little older than rows already read). Re-read records are applied once. Default 1 minute.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long Salesforce reports deletions (getDeleted accepts 30 days at most). A watermark older than this
    /// makes a full resync of the object, reported as a problem. Default 30 days.</summary>
    public TimeSpan DeletionWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Days of LoginHistory read on the first sync (Salesforce keeps about 6 months). Default 90, as for
    /// HubSpot: users_inactive_30d needs logins from before the last 30 days, or a user who last logged in 60 days ago
    /// would look as if they never had.</summary>
    public int LoginHistoryDays { get; set; } = 90;

    /// <summary>Read LoginHistory (the run-as user needs Manage Users). Without it, adoption KPIs use logged activity
    /// as their basis. Default true.</summary>
    public bool LoginHistory { get; set; } = true;

    /// <summary>LoginType values that are a person signing in to the UI (with Status "Success" they count as logins).
    /// Default: Application, SAML Idp Initiated SSO, SAML Sp Initiated SSO, Third Party SSO, Lightning Login,
    /// Passwordless Login.</summary>
    public List<string> HumanLoginTypes { get; set; } =
        ["Application", "SAML Idp Initiated SSO", "SAML Sp Initiated SSO", "Third Party SSO", "Lightning Login", "Passwordless Login"];

    /// <summary>Connected apps (LoginHistory.Application) whose OAuth logins are a person: the Salesforce mobile apps.
    /// Default: Salesforce for iOS, Salesforce for Android.</summary>
    public List<string> HumanLoginApplications { get; set; } = ["Salesforce for iOS", "Salesforce for Android"];

    /// <summary>After 403 REQUEST_LIMIT_EXCEEDED, no call is made for this long; then /limits is read and syncing resumes
    /// when the allowance has recovered. Default 1 hour.</summary>
    public TimeSpan LimitPause { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Retries of one request after a 5xx, a timeout or a network error. Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>First back-off after a 5xx or a network error; it doubles each retry. Default 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one attempt of an HTTP request (its body included). Default 60 seconds (a first query page can take long).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time limit of one request with all its retries and back-off waits. Default 10 minutes (at least RequestTimeout).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Every problem with these settings, each naming its key; empty when they are usable. Makes no call.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        problems.AddRange((Auth ?? new()).Validate().Select(p => $"Auth:{p}"));
        if (Auth is null) problems.Add("Auth is required.");
        if (!ApiVersionPattern().IsMatch(ApiVersion ?? "")) problems.Add($"ApiVersion: '{ApiVersion}' must look like v62.0.");
        // CustomFields is the source entry's shared key: the host checks its objects and names once. Here only what
        // would break a SOQL query: a name must be a plain API name.
        foreach (var (obj, fields) in CustomFields)
        {
            foreach (var f in fields.Where(f => !FieldPattern().IsMatch(f ?? "")))
                problems.Add($"CustomFields:{obj}: '{f}' is not a Salesforce field API name (letters, digits, '_', e.g. Tier__c).");
        }
        if (LeadCustomFields is { } lead)
        {
            foreach (var f in lead.Where(f => !FieldPattern().IsMatch(f ?? "")))
                problems.Add($"LeadCustomFields: '{f}' is not a Salesforce field API name.");
            var contactCount = CustomFields.GetValueOrDefault("contact")?.Count ?? 0;
            if (lead.Count != 0 && lead.Count != contactCount)
                problems.Add($"LeadCustomFields must name one Lead field per CustomFields:contact field ({contactCount}) or be empty, had {lead.Count}.");
        }
        if (!(DailyShare > 0 && DailyShare <= 1)) problems.Add($"DailyShare must be above 0 and at most 1, was {DailyShare}.");
        if (BatchSize is < 200 or > 2000) problems.Add($"BatchSize must be 200 to 2000, was {BatchSize}.");
        if (Overlap < TimeSpan.Zero || Overlap > TimeSpan.FromHours(1)) problems.Add($"Overlap must be 00:00:00 to 01:00:00, was {Overlap}.");
        if (DeletionWindow < TimeSpan.FromDays(1) || DeletionWindow > TimeSpan.FromDays(30))
            problems.Add($"DeletionWindow must be 1 to 30 days (getDeleted's limit), was {DeletionWindow}.");
        if (LoginHistoryDays is < 1 or > 180) problems.Add($"LoginHistoryDays must be 1 to 180, was {LoginHistoryDays}.");
        if (LimitPause < TimeSpan.FromMinutes(1) || LimitPause > TimeSpan.FromDays(1))
            problems.Add($"LimitPause must be 00:01:00 to 1.00:00:00, was {LimitPause}.");
        if (MaxRetries is < 0 or > 20) problems.Add($"MaxRetries must be 0 to 20, was {MaxRetries}.");
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(5)) problems.Add($"RetryDelay must be 00:00:00 to 00:05:00, was {RetryDelay}.");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(10))
            problems.Add($"RequestTimeout must be above 0 and at most 00:10:00, was {RequestTimeout}.");
        if (TotalTimeout < RequestTimeout || TotalTimeout > TimeSpan.FromHours(1))
            problems.Add($"TotalTimeout must be at least RequestTimeout ({RequestTimeout}) and at most 01:00:00, was {TotalTimeout}.");
        return problems;
    }

    [GeneratedRegex(@"^v\d{2,3}\.\d$")]
    private static partial Regex ApiVersionPattern();

    /// <summary>True for a plain field API name (letters, digits, '_'), the only kind a SOQL SELECT can take safely.</summary>
    internal static bool IsApiName(string? field) => FieldPattern().IsMatch(field ?? "");

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex FieldPattern();
}
