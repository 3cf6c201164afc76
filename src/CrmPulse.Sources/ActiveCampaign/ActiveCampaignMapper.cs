using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.ActiveCampaign;

/// <summary>
/// Turns API v3 records (every value a string, ids too; "0" or null for "none") into CrmPulse records. A value of the
/// wrong shape throws <see cref="FormatException"/> naming the record and field; the source fails the sync on it.
/// </summary>
internal static class ActiveCampaignMapper
{
    public static CrmUser User(JsonElement u)
    {
        var id = Id(u, "user");
        var name = string.Join(" ", new[] { Text(u, "firstName"), Text(u, "lastName") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        if (name.Length == 0) name = Text(u, "username") ?? id;
        // The users list holds the account's current users only: a deleted user is gone, there is no "deactivated" flag.
        return new CrmUser(id, name, Text(u, "email"), null, IsActive: true, IsIntegration: false);
    }

    public static Contact Contact(JsonElement c, string? companyId)
    {
        var id = Id(c, "contact");
        var created = Time(c, "cdate", "contact", id) ?? throw Missing("contact", id, "cdate");
        return new Contact
        {
            Id = id,
            FirstName = Text(c, "firstName"),
            LastName = Text(c, "lastName"),
            Email = Text(c, "email"),
            Phone = Text(c, "phone"),
            CompanyId = companyId,
            CreatedAt = created,
            ModifiedAt = Time(c, "udate", "contact", id) ?? created,
        };
    }

    public static Company Account(JsonElement a)
    {
        var id = Id(a, "account");
        var created = Time(a, "createdTimestamp", "account", id) ?? throw Missing("account", id, "createdTimestamp");
        return new Company
        {
            Id = id,
            Name = Text(a, "name"),
            Domain = Domain(Text(a, "accountUrl")),
            OwnerId = Ref(a, "owner"),
            CreatedAt = created,
            ModifiedAt = Time(a, "updatedTimestamp", "account", id) ?? created,
        };
    }

    public static Deal Deal(JsonElement d, IReadOnlyDictionary<string, string> pipelineOfStage)
    {
        var id = Id(d, "deal");
        var created = Time(d, "cdate", "deal", id) ?? throw Missing("deal", id, "cdate");
        var status = Text(d, "status");
        if (status is not (null or "0" or "1" or "2"))
            throw new FormatException($"deal {id}: status '{status}' is not 0 (open), 1 (won) or 2 (lost).");
        var stage = Ref(d, "stage");
        var cents = Text(d, "value");
        decimal? amount = null;
        if (cents is not null)
        {
            if (!decimal.TryParse(cents, NumberStyles.Number, CultureInfo.InvariantCulture, out var c))
                throw new FormatException($"deal {id}: value '{cents}' is not an amount in cents.");
            amount = c / 100m;
        }
        return new Deal
        {
            Id = id,
            Name = Text(d, "title"),
            Pipeline = Ref(d, "group") ?? (stage is not null ? pipelineOfStage.GetValueOrDefault(stage) : null),
            Stage = stage,
            Amount = amount,
            OwnerId = Ref(d, "owner"),
            ContactId = Ref(d, "contact"),
            CompanyId = Ref(d, "account") ?? Ref(d, "organization"),
            IsClosed = status is "1" or "2",
            IsWon = status == "1",
            // The API documents no close date and no time of winning or losing: left empty rather than guessed.
            CreatedAt = created,
            ModifiedAt = Time(d, "mdate", "deal", id) ?? created,
        };
    }

    /// <summary>A deal task (reltype Deal) or contact task (Subscriber): a task activity, done when status is 1.</summary>
    public static Activity Task(JsonElement t)
    {
        var id = Id(t, "deal task");
        var created = Time(t, "cdate", "deal task", id) ?? throw Missing("deal task", id, "cdate");
        var (contact, company, deal) = Relation(t, "deal task", id);
        return new Activity($"task:{id}", ActivityType.Task, Ref(t, "assignee") ?? Ref(t, "user"), created, created,
            Time(t, "udate", "deal task", id) ?? created, contact, company, deal,
            DueAt: Time(t, "duedate", "deal task", id), Completed: Text(t, "status") == "1");
    }

    public static Activity Note(JsonElement n)
    {
        var id = Id(n, "note");
        var created = Time(n, "cdate", "note", id) ?? throw Missing("note", id, "cdate");
        var (contact, company, deal) = Relation(n, "note", id);
        return new Activity($"note:{id}", ActivityType.Note, Ref(n, "userid") ?? Ref(n, "user"), created, created,
            Time(n, "mdate", "note", id) ?? created, contact, company, deal);
    }

    /// <summary>reltype/relid: Subscriber is a contact, Deal a deal, CustomerAccount an account (others: none).</summary>
    private static (string? Contact, string? Company, string? Deal) Relation(JsonElement e, string what, string id)
    {
        var relid = Ref(e, "relid");
        return Text(e, "reltype")?.ToLowerInvariant() switch
        {
            "subscriber" or "contact" => (relid, null, null),
            "deal" => (null, null, relid),
            "customeraccount" or "account" => (null, relid, null),
            _ => (null, null, null),
        };
    }

    public static string Id(JsonElement e, string what) =>
        Text(e, "id") ?? throw new FormatException($"a {what} has no id.");

    /// <summary>A string (or number) member; null when absent, null or empty.</summary>
    public static string? Text(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) return null;
        var s = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new FormatException($"'{name}' is a JSON {v.ValueKind}, not a string."),
        };
        return string.IsNullOrEmpty(s) ? null : s;
    }

    /// <summary>An id reference; "0" means none.</summary>
    private static string? Ref(JsonElement e, string name) => Text(e, name) is { } s && s != "0" ? s : null;

    private static DateTimeOffset? Time(JsonElement e, string name, string what, string id)
    {
        var s = Text(e, name);
        if (s is null) return null;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t;
        throw new FormatException($"{what} {id}: {name} '{s}' is not a date and time.");
    }

    private static FormatException Missing(string what, string id, string name) => new($"{what} {id}: {name} is missing.");

    /// <summary>The host of an account URL, without "www."; the value itself when it is no URL.</summary>
    private static string? Domain(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return url.Trim();
        var host = uri.Host;
        return host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;
    }
}
