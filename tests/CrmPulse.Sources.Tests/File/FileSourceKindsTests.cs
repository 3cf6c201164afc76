using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.File;

/// <summary>Every canonical column of every kind, read from canonical files.</summary>
public sealed class FileSourceKindsTests
{
    private static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Users_are_read_with_every_column_and_defaults_for_blank_cells()
    {
        using var folder = new TempFolder().Write("users.csv",
            "id,name,email,team,active,integration,created_at",
            "u1,Ada Lovelace,ada@example.com,Sales,true,false,2023-01-10T08:00:00Z",
            "u2,,sync@example.com,,no,yes,",
            "u3,,,,,,");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal(
        [
            new CrmUser("u1", "Ada Lovelace", "ada@example.com", "Sales", true, false, Utc("2023-01-10T08:00:00Z")),
            // Blank name: the e-mail stands in; blank active: true; blank integration: false.
            new CrmUser("u2", "sync@example.com", "sync@example.com", null, false, true, null),
            new CrmUser("u3", "u3", null, null, true, false, null),
        ], changes.Users);
        Assert.Equal([ObjectKind.User], changes.CompleteKinds);
    }

    [Fact]
    public async Task Logins_are_read_and_get_a_derived_id_when_the_file_has_none()
    {
        using var folder = new TempFolder()
            .Write("logins.csv",
                "id,user_id,at,succeeded,kind",
                "L1,u1,2024-03-04T09:15:00Z,true,Application",
                "L2,u2,2024-03-04T09:20:00+01:00,0,",
                ",u1,2024-03-05 07:00,,Remote Access 2.0");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal(
        [
            new LoginEvent("L1", "u1", Utc("2024-03-04T09:15:00Z"), true, "Application"),
            new LoginEvent("L2", "u2", Utc("2024-03-04T08:20:00Z"), false),
            // No id: "<user_id>@<UTC instant>"; blank succeeded: true.
            new LoginEvent("u1@2024-03-05T07:00:00Z", "u1", Utc("2024-03-05T07:00:00Z"), true, "Remote Access 2.0"),
        ], changes.Logins);
    }

    [Fact]
    public async Task Logins_without_an_id_column_and_with_Salesforce_statuses_are_read()
    {
        using var folder = new TempFolder().Write("logins.csv",
            "user_id,at,succeeded",
            "u1,2024-03-04T09:15:00.000+0000,Success",
            "u1,2024-03-04T09:16:00.000+0000,Invalid Password");

        var changes = await folder.PullAsync();

        Assert.Equal(["u1@2024-03-04T09:15:00Z", "u1@2024-03-04T09:16:00Z"], changes.Logins.Select(l => l.Id));
        Assert.Equal([true, false], changes.Logins.Select(l => l.Succeeded));
    }

    [Fact]
    public async Task Contacts_are_read_with_every_column()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            "id,first_name,last_name,email,phone,company_id,owner_id,lifecycle_stage,lead_status,created_at,modified_at",
            "c1, Ada ,Lovelace,ada@example.com,+44 20 7946 0000,co1,u1,customer,connected,2023-01-10T08:00:00Z,2024-02-01T10:00:00Z",
            "c2,,,,,,,,,2023-05-01T00:00:00Z,");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        var ada = changes.Contacts[0];
        Assert.Equal(("c1", "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000"),
            (ada.Id, ada.FirstName, ada.LastName, ada.Email, ada.Phone));
        Assert.Equal(("co1", "u1", "customer", "connected"), (ada.CompanyId, ada.OwnerId, ada.LifecycleStage, ada.LeadStatus));
        Assert.Equal((Utc("2023-01-10T08:00:00Z"), Utc("2024-02-01T10:00:00Z")), (ada.CreatedAt, ada.ModifiedAt));
        Assert.Empty(ada.Custom);

        var blank = changes.Contacts[1];
        // Blank cells are null; modified_at defaults to created_at.
        Assert.Equal(new Contact
        {
            Id = "c2", CreatedAt = Utc("2023-05-01T00:00:00Z"), ModifiedAt = Utc("2023-05-01T00:00:00Z"), Custom = blank.Custom,
        }, blank);
        Assert.Equal([ObjectKind.Contact], changes.CompleteKinds);
    }

    [Fact]
    public async Task Companies_are_read_with_every_column()
    {
        using var folder = new TempFolder().Write("companies.csv",
            "id,name,domain,industry,owner_id,parent_id,created_at,modified_at",
            "co1,Acme GmbH,acme.example,Manufacturing,u1,co0,2022-11-01,2024-01-02T03:04:05Z");

        var changes = await folder.PullAsync();

        var acme = Assert.Single(changes.Companies);
        Assert.Equal(("co1", "Acme GmbH", "acme.example", "Manufacturing", "u1", "co0"),
            (acme.Id, acme.Name, acme.Domain, acme.Industry, acme.OwnerId, acme.ParentId));
        // A plain date is midnight in the zone (UTC here).
        Assert.Equal((Utc("2022-11-01T00:00:00Z"), Utc("2024-01-02T03:04:05Z")), (acme.CreatedAt, acme.ModifiedAt));
    }

    [Fact]
    public async Task Deals_are_read_with_every_column()
    {
        using var folder = new TempFolder().Write("deals.csv",
            "id,name,pipeline,stage,amount,close_date,owner_id,company_id,contact_id,is_closed,is_won,closed_at,lost_reason,created_at,modified_at",
            "d1,Acme renewal,default,closedlost,12500.75,2024-03-31,u1,co1,c1,true,false,2024-03-30T16:00:00Z,Price,2024-01-05T09:00:00Z,2024-03-30T16:00:00Z",
            "d2,Big win,default,closedwon,300,2024-02-29,u2,co2,c2,,yes,,,2024-01-06T09:00:00Z,",
            "d3,Open,,,,,,,,,,,,2024-01-07T09:00:00Z,");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        var lost = changes.Deals[0];
        Assert.Equal(("d1", "Acme renewal", "default", "closedlost", 12500.75m, new DateOnly(2024, 3, 31)),
            (lost.Id, lost.Name, lost.Pipeline, lost.Stage, lost.Amount, lost.CloseDate));
        Assert.Equal(("u1", "co1", "c1", true, false), (lost.OwnerId, lost.CompanyId, lost.ContactId, lost.IsClosed, lost.IsWon));
        Assert.Equal((Utc("2024-03-30T16:00:00Z"), "Price"), (lost.ClosedAt, lost.LostReason));
        Assert.Equal((Utc("2024-01-05T09:00:00Z"), Utc("2024-03-30T16:00:00Z")), (lost.CreatedAt, lost.ModifiedAt));

        var won = changes.Deals[1];
        Assert.Equal((true, true, 300m), (won.IsClosed, won.IsWon, won.Amount)); // won implies closed

        var open = changes.Deals[2];
        Assert.Equal((false, false, null, null), (open.IsClosed, open.IsWon, open.Amount, open.CloseDate));
    }

    [Fact]
    public async Task Activities_are_read_with_every_column()
    {
        using var folder = new TempFolder().Write("activities.csv",
            "id,type,owner_id,occurred_at,created_at,modified_at,contact_id,company_id,deal_id,direction,due_at,completed",
            "a1,call,u1,2024-03-04T10:00:00Z,2024-03-04T10:05:00Z,2024-03-04T10:06:00Z,c1,co1,d1,Outbound,,",
            "a2,Tasks,u2,,2024-03-01T08:00:00Z,,c2,,,,2024-03-08T17:00:00Z,yes",
            "a3,Event,,2024-03-06T13:00:00Z,,,,,,,,",
            "a4,email,u1,2024-03-07T09:00:00Z,,,,,,incoming,,");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal(
        [
            new Activity("a1", ActivityType.Call, "u1", Utc("2024-03-04T10:00:00Z"), Utc("2024-03-04T10:05:00Z"),
                Utc("2024-03-04T10:06:00Z"), "c1", "co1", "d1", "outbound"),
            // occurred_at blank: created_at; modified_at blank: created_at.
            new Activity("a2", ActivityType.Task, "u2", Utc("2024-03-01T08:00:00Z"), Utc("2024-03-01T08:00:00Z"),
                Utc("2024-03-01T08:00:00Z"), "c2", DueAt: Utc("2024-03-08T17:00:00Z"), Completed: true),
            // A Salesforce Event is a meeting; created_at blank: occurred_at.
            new Activity("a3", ActivityType.Meeting, null, Utc("2024-03-06T13:00:00Z"), Utc("2024-03-06T13:00:00Z"),
                Utc("2024-03-06T13:00:00Z")),
            new Activity("a4", ActivityType.Email, "u1", Utc("2024-03-07T09:00:00Z"), Utc("2024-03-07T09:00:00Z"),
                Utc("2024-03-07T09:00:00Z"), Direction: "inbound"),
        ], changes.Activities);
    }

    [Fact]
    public async Task Custom_columns_of_contacts_companies_and_deals_become_snake_case_custom_fields()
    {
        using var folder = new TempFolder()
            .Write("contacts.csv",
                "id,created_at,Customer Tier,NPS Score,Preferred_Language__c",
                "c1,2024-01-01T00:00:00Z, Gold ,9,de",
                "c2,2024-01-01T00:00:00Z,,   ,")
            .Write("deals.csv",
                "id,created_at,Deal Source",
                "d1,2024-01-01T00:00:00Z,Partner")
            .Write("companies.csv",
                "id,created_at,Employees",
                "co1,2024-01-01T00:00:00Z,250");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal(new Dictionary<string, string?> { ["customer_tier"] = "Gold", ["nps_score"] = "9", ["preferred_language_c"] = "de" },
            changes.Contacts[0].Custom);
        // Blank cells are null, but the key is there: the column exists, the value is unset.
        Assert.Equal(new Dictionary<string, string?> { ["customer_tier"] = null, ["nps_score"] = null, ["preferred_language_c"] = null },
            changes.Contacts[1].Custom);
        Assert.Equal("Gold", changes.Contacts[0].GetField("customer_tier"));
        Assert.Equal("Partner", changes.Deals[0].GetField("deal_source"));
        Assert.Equal("250", changes.Companies[0].GetField("employees"));
    }

    [Fact]
    public async Task Headers_match_canonical_names_ignoring_case_and_punctuation_in_any_order()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            "Created At,LAST_NAME,Id,E-Mail",
            "2024-01-01T00:00:00Z,Hopper,c1,grace@example.com");

        var changes = await folder.PullAsync();

        var contact = Assert.Single(changes.Contacts);
        Assert.Equal(("c1", "Hopper", "grace@example.com"), (contact.Id, contact.LastName, contact.Email));
        Assert.Empty(contact.Custom);
    }

    [Fact]
    public async Task A_second_column_with_the_same_name_is_reported_and_ignored()
    {
        using var folder = new TempFolder().Write("contacts.csv",
            "id,created_at,Email,E-Mail",
            "c1,2024-01-01T00:00:00Z,first@example.com,second@example.com");

        var changes = await folder.PullAsync();

        Assert.Equal("first@example.com", Assert.Single(changes.Contacts).Email);
        Assert.Empty(changes.Contacts[0].Custom);
        Assert.Equal(new SourceProblem("contacts.csv", 1, "E-Mail", "column 4 has the same name as column 3 ('Email'); it is ignored"),
            Assert.Single(changes.Notices)); // read despite it: a notice, no row rejected
        Assert.Empty(changes.Problems);
        Assert.Contains(ObjectKind.Contact, changes.CompleteKinds);
    }
}
