using System.Globalization;

namespace CrmPulse.Sources.Tests.HubSpot;

/// <summary>Generated records for the fake HubSpot, in the recorded contacts' shape.</summary>
internal static class FakePortal
{
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Contacts with ids 1001, 1002, …; contact i was last modified at <paramref name="modified"/>(i).</summary>
    public static void AddContacts(FakeHubSpot server, int count, Func<int, DateTimeOffset> modified)
    {
        var contacts = server.Of("contacts");
        for (var i = 0; i < count; i++)
        {
            var id = 1001L + i;
            var o = new FakeObject { Id = id, CreatedAt = Start, UpdatedAt = modified(i) };
            o.Properties["createdate"] = Iso(Start);
            o.Properties["lastmodifieddate"] = Iso(o.UpdatedAt);
            o.Properties["email"] = $"person{id}@example.com";
            o.Properties["firstname"] = $"Person{id}";
            o.Properties["hubspot_owner_id"] = "222222";
            if (i % 2 == 0)
            {
                // Every other contact works for one of 50 companies.
                var company = 5001L + i % 100 / 2;
                o.Properties["associatedcompanyid"] = company.ToString(CultureInfo.InvariantCulture);
                o.Associations["companies"] = [(company, "contact_to_company")];
            }
            contacts[id] = o;
        }
    }

    /// <summary>Modifies a contact as a HubSpot user would: new value, new modification stamp.</summary>
    public static void Touch(FakeHubSpot server, string type, long id, DateTimeOffset at, string property = "firstname", string? value = "Changed")
    {
        var o = server.Of(type)[id];
        o.Properties[property] = value;
        o.UpdatedAt = at;
        o.Properties[type == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate"] = Iso(at);
    }

    /// <summary>Makes <paramref name="parent"/> the parent company of <paramref name="child"/>, listed both ways as HubSpot does.</summary>
    public static void Parent(FakeHubSpot server, long child, long parent)
    {
        Link(server.Of("companies")[child], parent, "child_to_parent_company");
        Link(server.Of("companies")[parent], child, "parent_to_child_company");
    }

    private static void Link(FakeObject from, long to, string type)
    {
        if (!from.Associations.TryGetValue("companies", out var list)) from.Associations["companies"] = list = [];
        list.Add((to, type));
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
