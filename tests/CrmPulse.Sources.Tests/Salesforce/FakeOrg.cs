using System.Globalization;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>Generated rows for the fake Salesforce, in the shapes the recorded payloads show.</summary>
internal static class FakeOrg
{
    public static readonly DateTimeOffset Start = new(2024, 10, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An 18-character id with Salesforce's key prefix: "003" contact, "00Q" lead, "005" user, "001" account…</summary>
    public static string Id(string prefix, int n) => prefix + n.ToString("D15", CultureInfo.InvariantCulture);

    /// <summary>A row with Id, CreatedDate (<see cref="Start"/>), LastModifiedDate and SystemModstamp, and the given fields.</summary>
    public static Dictionary<string, object?> Row(string id, DateTimeOffset modified, params (string Field, object? Value)[] fields)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Id"] = id,
            ["CreatedDate"] = FakeSalesforce.Sf(Start),
            ["LastModifiedDate"] = FakeSalesforce.Sf(modified),
            ["SystemModstamp"] = FakeSalesforce.Sf(modified),
        };
        foreach (var (field, value) in fields) row[field] = value;
        return row;
    }

    /// <summary>A lookup value as Salesforce nests it: {"attributes":{type,url},"Name":…}.</summary>
    public static Dictionary<string, object?> Lookup(string type, string id, params (string Field, object? Value)[] fields)
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["attributes"] = new Dictionary<string, object?> { ["type"] = type, ["url"] = $"/services/data/v62.0/sobjects/{type}/{id}" },
        };
        foreach (var (field, value) in fields) row[field] = value;
        return row;
    }

    public static Dictionary<string, object?> User(int n, string name, string userType = "Standard", string profile = "Standard User",
        string license = "Salesforce", string? role = "Sales", bool active = true, bool? modifyAllData = null) =>
        Row(Id("005", n), Start,
            ("Name", name), ("Username", $"user{n}@example.com"), ("Email", $"user{n}@example.com"), ("IsActive", active), ("UserType", userType),
            ("Profile", Lookup("Profile", Id("00e", n), ("Name", profile),
                ("PermissionsModifyAllData", modifyAllData ?? profile == "System Administrator"),
                ("UserLicense", Lookup("UserLicense", Id("100", n), ("Name", license))))),
            ("UserRole", role is null ? null : Lookup("UserRole", Id("00E", n), ("Name", role))));

    /// <summary>Contacts 003…1, 003…2, …; contact i (0-based) last modified at <paramref name="modified"/>(i), owned by user 005…1.</summary>
    public static void AddContacts(FakeSalesforce server, int count, Func<int, DateTimeOffset> modified)
    {
        for (var i = 0; i < count; i++)
        {
            var n = i + 1;
            server.Add("Contact", Row(Id("003", n), modified(i), ("FirstName", $"Person{n}"), ("LastName", "Example"),
                ("Email", $"person{n}@example.com"), ("OwnerId", Id("005", 1)), ("AccountId", i % 2 == 0 ? Id("001", 1 + i % 50) : null)));
        }
    }

    public static Dictionary<string, object?> Login(int n, string userId, DateTimeOffset at, string type = "Application", string status = "Success",
        string application = "Browser") =>
        new(StringComparer.Ordinal)
        {
            ["Id"] = Id("0Ya", n), ["UserId"] = userId, ["LoginTime"] = FakeSalesforce.Sf(at), ["Status"] = status,
            ["LoginType"] = type, ["Application"] = application, ["Browser"] = type == "Application" ? "Chrome 115" : "Unknown",
        };
}
