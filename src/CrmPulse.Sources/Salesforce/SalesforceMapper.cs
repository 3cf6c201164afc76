using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Salesforce.SalesforceValues;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// Pure mapping of Salesforce REST rows to the mirror's model. Values that do not parse are reported as notices and
/// left empty; rows that cannot be kept at all (no Id, a login without user or time) are rejected rows. Neither fails
/// the sync. Owners that are not users (queues, prefix 00G) count as unowned.
/// </summary>
internal sealed class SalesforceMapper(SalesforceSourceOptions options, ChangeSet changes, string? lostReasonField = null)
{
    /// <summary>The Opportunity field read as the deal's lost reason (Pipeline:LostReasonField), or null: Salesforce has none
    /// of its own.</summary>
    public string? LostReasonField => lostReasonField;

    private string _location = "";

    /// <summary>The record's Id, or null (reported) when a row has none.</summary>
    public string? IdOf(JsonElement r, string objectName)
    {
        var id = Text(r, "Id");
        if (id is null) Reject(new SourceProblem(objectName, null, "Id", "a row came without an Id and was skipped."));
        return id;
    }

    public CrmUser User(JsonElement r, string id)
    {
        _location = $"User/{id}";
        var userType = Text(r, "UserType");
        var profile = Text(r, "Profile.Name");
        var license = Text(r, "Profile.UserLicense.Name");
        // Licensed humans are Standard users; automated, guest, portal and integration-licence users never count (a row
        // without UserType, which Salesforce always sends, is taken as human).
        var integration = (userType is not null && !string.Equals(userType, "Standard", StringComparison.OrdinalIgnoreCase))
            || Mentions(profile, "Integration") || Mentions(profile, "API Only") || Mentions(license, "Integration");
        var name = Text(r, "Name") ?? string.Join(" ", new[] { Text(r, "FirstName"), Text(r, "LastName") }.OfType<string>());
        // Administrator: the profile grants Modify All Data, or is the System Administrator profile. Without the
        // permission field (not readable to this user) only that profile name tells; otherwise it is unknown.
        // Permission sets can grant Modify All Data too: they are not read.
        var modifyAll = Bool(r, "Profile.PermissionsModifyAllData");
        var admin = string.Equals(profile, "System Administrator", StringComparison.OrdinalIgnoreCase) ? true : modifyAll;
        return new CrmUser(id, name.Length > 0 ? name : Text(r, "Username") ?? id, Text(r, "Email"), Text(r, "UserRole.Name"),
            Bool(r, "IsActive") == true, integration, Time(r, "CreatedDate"), admin, profile);
    }

    public Company Company(JsonElement r, string id)
    {
        _location = $"Account/{id}";
        return new Company
        {
            Id = id,
            OwnerId = Owner(r, "OwnerId"),
            CreatedAt = Time(r, "CreatedDate") ?? default,
            ModifiedAt = Modified(r),
            Name = Text(r, "Name"),
            Domain = Domain(Text(r, "Website")),
            Industry = Text(r, "Industry"),
            ParentId = Text(r, "ParentId"),
            Custom = Custom(r, Fields("company")),
        };
    }

    /// <summary>A Contact; with <paramref name="convertedFrom"/>, the lead it was converted from gives the lead facts
    /// (one person, one record: the converted lead itself is not mirrored).</summary>
    public Contact Contact(JsonElement r, string id, JsonElement? convertedFrom)
    {
        _location = $"Contact/{id}";
        var contact = new Contact
        {
            Id = id,
            OwnerId = Owner(r, "OwnerId"),
            CreatedAt = Time(r, "CreatedDate") ?? default,
            ModifiedAt = Modified(r),
            FirstName = Text(r, "FirstName"),
            LastName = Text(r, "LastName"),
            Email = Text(r, "Email"),
            Phone = Text(r, "Phone"),
            CompanyId = Text(r, "AccountId"),
            LeadSource = Text(r, "LeadSource"),
            Custom = Custom(r, Fields("contact")),
        };
        if (convertedFrom is not { } lead) return contact;
        _location = $"Lead/{Text(lead, "Id")}";
        var leadCreated = Time(lead, "CreatedDate");
        var createdAt = leadCreated is { } t && t < contact.CreatedAt ? t : contact.CreatedAt;
        var convertedAt = Day(lead, "ConvertedDate") ?? contact.CreatedAt;
        return contact with
        {
            IsLead = true,
            // The person came in as the lead: lead response and conversion KPIs measure from then.
            CreatedAt = createdAt,
            ConvertedAt = convertedAt,
            LeadStatus = Text(lead, "Status"),
            LeadSource = contact.LeadSource ?? Text(lead, "LeadSource"),
            StageDates = FunnelDates(createdAt, convertedAt),
        };
    }

    /// <summary>An open lead (or one converted without a contact) as a contact with IsLead.</summary>
    public Contact Lead(JsonElement r, string id)
    {
        _location = $"Lead/{id}";
        var converted = Bool(r, "IsConverted") == true ? Day(r, "ConvertedDate") : null;
        return new Contact
        {
            Id = id,
            OwnerId = Owner(r, "OwnerId"),
            CreatedAt = Time(r, "CreatedDate") ?? default,
            ModifiedAt = Modified(r),
            FirstName = Text(r, "FirstName"),
            LastName = Text(r, "LastName"),
            Email = Text(r, "Email"),
            Phone = Text(r, "Phone"),
            CompanyId = Text(r, "ConvertedAccountId"),
            LeadStatus = Text(r, "Status"),
            LeadSource = Text(r, "LeadSource"),
            IsLead = true,
            ConvertedAt = converted,
            StageDates = FunnelDates(Time(r, "CreatedDate"), converted),
            Custom = Custom(r, LeadCustomPairs()),
        };
    }

    /// <summary>
    /// The funnel stages a lead gives (Salesforce has no lifecycle stage): a lead is marketing-qualified when it comes
    /// in and sales-qualified when it is converted; opportunities naming the person as primary contact say the rest.
    /// </summary>
    private static Dictionary<string, DateTimeOffset>? FunnelDates(DateTimeOffset? created, DateTimeOffset? converted)
    {
        var dates = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (created is { } c) dates["mql"] = c;
        if (converted is { } v) dates["sql"] = v;
        return dates.Count == 0 ? null : dates;
    }

    public Deal Deal(JsonElement r, string id)
    {
        _location = $"Opportunity/{id}";
        var created = Time(r, "CreatedDate") ?? default;
        CloseDateOf(r, out var closeDate);
        var amount = At(r, "Amount") is { ValueKind: JsonValueKind.Number } a && a.TryGetDecimal(out var d) ? d : (decimal?)null;
        if (amount is null && At(r, "Amount") is { } bad) Problem("Amount", $"'{bad.GetRawText()}' is not a number.");
        return new Deal
        {
            Id = id,
            OwnerId = Owner(r, "OwnerId"),
            CreatedAt = created,
            ModifiedAt = Modified(r),
            Name = Text(r, "Name"),
            Stage = Text(r, "StageName"),
            Amount = amount,
            CloseDate = closeDate,
            CompanyId = Text(r, "AccountId"),
            ContactId = PrimaryContact(r),
            IsClosed = Bool(r, "IsClosed") == true,
            IsWon = Bool(r, "IsWon") == true,
            // LastStageChangeDate stays null until the stage first changes: the deal is then in its first stage since creation.
            StageEnteredAt = Time(r, "LastStageChangeDate") ?? (created == default ? null : created),
            LostReason = lostReasonField is { } field ? Text(r, field) : null,
            Custom = Custom(r, Fields("deal")),
        };
    }

    public Activity Task(JsonElement r, string id)
    {
        _location = $"Task/{id}";
        // TaskSubtype (since API 38) says what a task is; older orgs and integrations set the Type picklist instead.
        var subtype = Text(r, "TaskSubtype") ?? Text(r, "Type");
        var type = subtype switch
        {
            "Call" => ActivityType.Call,
            "Email" or "ListEmail" => ActivityType.Email,
            _ => ActivityType.Task,
        };
        var created = Time(r, "CreatedDate") ?? default;
        var due = Day(r, "ActivityDate");
        return new Activity(id, type, Owner(r, "OwnerId"),
            type == ActivityType.Task ? created : Time(r, "CompletedDateTime") ?? created,
            created, Modified(r),
            ContactId: Who(r), CompanyId: Company(r), DealId: What(r, "006"),
            Direction: Text(r, "CallType")?.ToLowerInvariant() is "inbound" or "outbound" ? Text(r, "CallType")!.ToLowerInvariant() : null,
            DueAt: type == ActivityType.Task ? due : null,
            Completed: Bool(r, "IsClosed") == true);
    }

    public Activity Event(JsonElement r, string id)
    {
        _location = $"Event/{id}";
        var created = Time(r, "CreatedDate") ?? default;
        return new Activity(id, ActivityType.Meeting, Owner(r, "OwnerId"),
            Time(r, "StartDateTime") ?? Time(r, "ActivityDateTime") ?? created, created, Modified(r),
            ContactId: Who(r), CompanyId: Company(r), DealId: What(r, "006"));
    }

    /// <summary>A LoginHistory row; <paramref name="human"/> says whether it is a person at the UI or an API login.</summary>
    public LoginEvent? Login(JsonElement r, string id, out bool human)
    {
        _location = $"LoginHistory/{id}";
        var type = Text(r, "LoginType");
        var application = Text(r, "Application");
        human = options.HumanLoginTypes.Contains(type ?? "", StringComparer.OrdinalIgnoreCase)
            || (type is "Remote Access 2.0" or "Remote Access Client" && options.HumanLoginApplications.Contains(application ?? "", StringComparer.OrdinalIgnoreCase));
        var user = Text(r, "UserId");
        if (Time(r, "LoginTime") is not { } at || user is null)
        {
            Reject(new SourceProblem(_location, null, user is null ? "UserId" : "LoginTime", "missing or unreadable; the login was skipped."));
            return null;
        }
        return new LoginEvent(id, user, at, string.Equals(Text(r, "Status"), "Success", StringComparison.OrdinalIgnoreCase), type);
    }

    private DateTimeOffset Modified(JsonElement r) => Time(r, "LastModifiedDate") ?? Time(r, "SystemModstamp") ?? default;

    /// <summary>The primary contact role's contact, else the first role's, else Opportunity.ContactId.</summary>
    private static string? PrimaryContact(JsonElement r)
    {
        if (At(r, "OpportunityContactRoles.records") is { ValueKind: JsonValueKind.Array } roles)
        {
            var list = roles.EnumerateArray().ToList();
            var primary = list.FirstOrDefault(x => At(x, "IsPrimary") is { ValueKind: JsonValueKind.True });
            var chosen = primary.ValueKind == JsonValueKind.Object ? primary : list.FirstOrDefault();
            if (chosen.ValueKind == JsonValueKind.Object && Text(chosen, "ContactId") is { } c) return c;
        }
        return Text(r, "ContactId");
    }

    /// <summary>WhoId names a contact (003) or a lead (00Q): both are contacts in the mirror.</summary>
    private static string? Who(JsonElement r) => Text(r, "WhoId") is { } who && (who.StartsWith("003", StringComparison.Ordinal) || who.StartsWith("00Q", StringComparison.Ordinal)) ? who : null;

    private static string? What(JsonElement r, string prefix) => Text(r, "WhatId") is { } what && what.StartsWith(prefix, StringComparison.Ordinal) ? what : null;

    /// <summary>AccountId is the account Salesforce derives from WhatId/WhoId; WhatId itself when it is an account.</summary>
    private static string? Company(JsonElement r) => Text(r, "AccountId") ?? What(r, "001");

    /// <summary>Owner lookups are polymorphic (user 005 or queue 00G): only a user owns.</summary>
    private static string? Owner(JsonElement r, string field) => Text(r, field) is { } id && id.StartsWith("005", StringComparison.Ordinal) ? id : null;

    private void CloseDateOf(JsonElement r, out DateOnly? value)
    {
        value = null;
        if (Text(r, "CloseDate") is not { } text) return;
        if (TryParseDate(text, out var day)) value = day;
        else Problem("CloseDate", $"'{text}' is not a date (yyyy-MM-dd).");
    }

    private DateTimeOffset? Time(JsonElement r, string field)
    {
        if (Text(r, field) is not { } text) return null;
        if (TryParseDateTime(text, out var t)) return t;
        Problem(field, $"'{text}' is not a Salesforce datetime (e.g. 2024-09-27T15:18:19.000+0000).");
        return null;
    }

    /// <summary>A date-only field as midnight UTC.</summary>
    private DateTimeOffset? Day(JsonElement r, string field)
    {
        if (Text(r, field) is not { } text) return null;
        if (TryParseDate(text, out var day)) return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // Some date fields come as datetimes in custom objects or older versions: take those too.
        if (TryParseDateTime(text, out var t)) return t;
        Problem(field, $"'{text}' is not a date (yyyy-MM-dd).");
        return null;
    }

    private bool? Bool(JsonElement r, string field) => At(r, field) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } s when bool.TryParse(s.GetString(), out var b) => b,
        null => null,
        { } other => ProblemBool(field, other),
    };

    private bool? ProblemBool(string field, JsonElement value)
    {
        Problem(field, $"'{value.GetRawText()}' is not true or false.");
        return null;
    }

    /// <summary>A value left empty: the record is kept, so this is a notice, not a rejected row.</summary>
    private void Problem(string field, string reason) => changes.Notices.Add(new SourceProblem(_location, null, field, reason));

    private void Reject(SourceProblem problem)
    {
        changes.Problems.Add(problem);
        changes.RejectedRows++;
    }

    private List<string> Fields(string configObject) => options.CustomFields.GetValueOrDefault(configObject) ?? [];

    /// <summary>(configured name, Lead API name) pairs: the contact's custom fields, renamed by LeadCustomFields.</summary>
    public IReadOnlyList<(string Name, string LeadField)> LeadCustomPairs()
    {
        var names = Fields("contact");
        if (options.LeadCustomFields is { } lead) return lead.Count == 0 ? [] : names.Zip(lead).ToList();
        return names.Select(n => (n, n)).ToList();
    }

    private IReadOnlyDictionary<string, string?> Custom(JsonElement r, IReadOnlyList<string> names) =>
        Custom(r, names.Select(n => (n, n)).ToList());

    private static IReadOnlyDictionary<string, string?> Custom(JsonElement r, IReadOnlyList<(string Name, string Field)> pairs) =>
        pairs.Count == 0 ? Empty : pairs.ToDictionary(p => p.Name, p => Text(r, p.Field), StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string?> Empty = new Dictionary<string, string?>(StringComparer.Ordinal);

    private static bool Mentions(string? text, string word) => text?.Contains(word, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>"https://www.acme.com/about" → "acme.com".</summary>
    internal static string? Domain(string? website)
    {
        if (string.IsNullOrWhiteSpace(website)) return null;
        var text = website.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0) return null;
        var host = uri.Host.ToLower(CultureInfo.InvariantCulture);
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }
}
