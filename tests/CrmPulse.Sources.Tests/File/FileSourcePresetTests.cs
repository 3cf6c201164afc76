using CrmPulse.Core.Model;
using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

/// <summary>Typical CRM exports read as they come out of the CRM, through a preset or an explicit column mapping.</summary>
public sealed class FileSourcePresetTests
{
    private static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    // HubSpot record exports: labels as headers, every value quoted, times in the portal's zone as "yyyy-MM-dd HH:mm".
    private const string HubSpotContacts = """
        "Record ID","First Name","Last Name","Email","Phone Number","Contact owner","Lifecycle Stage","Lead Status","Create Date","Last Modified Date","Associated Company","Associated Company IDs","Customer Tier"
        "101","Ada","Lovelace","ada@example.com","+44 20 7946 0000","Jane Owner","customer","CONNECTED","2024-01-15 10:00","2024-07-15 10:00","Acme GmbH","501;502","Gold"
        "102","Grace","","","","","lead","","2024-03-31 02:30","","",""," "
        """;

    private const string HubSpotDeals = """
        "Record ID","Deal Name","Pipeline","Deal Stage","Amount","Close Date","Deal owner","Associated Company IDs","Associated Contact IDs","Is Deal Closed?","Is Closed Won","Closed Lost Reason","Create Date","Last Modified Date","Deal Type"
        "9001","Acme renewal","Sales Pipeline","Closed won","12000","2024-06-28 00:00","Jane Owner","501","101;102","true","true","","2024-02-01 09:30","2024-06-28 17:45","existingbusiness"
        """;

    private const string HubSpotCompanies = """
        "Record ID","Company name","Company Domain Name","Industry","Company owner","Parent Company ID","Create Date","Last Modified Date","Number of Employees"
        "501","Acme GmbH","acme.example","Manufacturing","Jane Owner","500","2023-11-02 08:00","2024-05-01 12:00","250"
        """;

    private const string HubSpotActivities = """
        "Record ID","Activity Type","Activity assigned to","Activity date","Create Date","Last Modified Date","Associated Contact IDs","Associated Company IDs","Associated Deal IDs","Call direction","Due date","Task status"
        "7001","Call","Jane Owner","2024-03-04 11:00","2024-03-04 11:05","2024-03-04 11:05","101","501","9001","OUTBOUND","",""
        "7002","Task","Jane Owner","2024-03-05 09:00","2024-03-05 09:00","2024-03-06 09:00","102","","","","2024-03-08 17:00","NOT_STARTED"
        """;

    [Fact]
    public async Task A_HubSpot_export_is_read_without_editing()
    {
        using var folder = new TempFolder()
            .Write("contacts.csv", HubSpotContacts)
            .Write("deals.csv", HubSpotDeals)
            .Write("companies.csv", HubSpotCompanies)
            .Write("activities.csv", HubSpotActivities);

        var changes = await folder.PullAsync(o => { o.Preset = "HubSpot"; o.TimeZone = "Europe/Berlin"; });

        Assert.Empty(changes.Problems);
        var ada = changes.Contacts[0];
        Assert.Equal(("101", "Ada", "Lovelace", "ada@example.com", "+44 20 7946 0000", "Jane Owner"),
            (ada.Id, ada.FirstName, ada.LastName, ada.Email, ada.Phone, ada.OwnerId));
        Assert.Equal(("customer", "CONNECTED", "501"), (ada.LifecycleStage, ada.LeadStatus, ada.CompanyId)); // first of "501;502"
        // Berlin: 10:00 in January is +01:00 → 09:00Z; 10:00 in July is +02:00 → 08:00Z.
        Assert.Equal((Utc("2024-01-15T09:00:00Z"), Utc("2024-07-15T08:00:00Z")), (ada.CreatedAt, ada.ModifiedAt));
        Assert.Equal(new Dictionary<string, string?> { ["associated_company"] = "Acme GmbH", ["customer_tier"] = "Gold" }, ada.Custom);
        // 2024-03-31 02:30 does not exist in Berlin (clocks jump 02:00 → 03:00): read with +01:00 → 01:30Z.
        Assert.Equal(Utc("2024-03-31T01:30:00Z"), changes.Contacts[1].CreatedAt);

        var deal = Assert.Single(changes.Deals);
        Assert.Equal(("9001", "Acme renewal", "Sales Pipeline", "Closed won", 12000m, new DateOnly(2024, 6, 28)),
            (deal.Id, deal.Name, deal.Pipeline, deal.Stage, deal.Amount, deal.CloseDate));
        Assert.Equal(("Jane Owner", "501", "101", true, true), (deal.OwnerId, deal.CompanyId, deal.ContactId, deal.IsClosed, deal.IsWon));
        Assert.Equal(Utc("2024-06-28T15:45:00Z"), deal.ModifiedAt); // 17:45 CEST
        Assert.Equal("existingbusiness", deal.GetField("deal_type"));

        var company = Assert.Single(changes.Companies);
        Assert.Equal(("501", "Acme GmbH", "acme.example", "Manufacturing", "Jane Owner", "500"),
            (company.Id, company.Name, company.Domain, company.Industry, company.OwnerId, company.ParentId));
        Assert.Equal("250", company.GetField("number_of_employees"));

        Assert.Equal(
        [
            new Activity("7001", ActivityType.Call, "Jane Owner", Utc("2024-03-04T10:00:00Z"), Utc("2024-03-04T10:05:00Z"),
                Utc("2024-03-04T10:05:00Z"), "101", "501", "9001", "outbound"),
            new Activity("7002", ActivityType.Task, "Jane Owner", Utc("2024-03-05T08:00:00Z"), Utc("2024-03-05T08:00:00Z"),
                Utc("2024-03-06T08:00:00Z"), "102", DueAt: Utc("2024-03-08T16:00:00Z"), Completed: false),
        ], changes.Activities);
    }

    // Salesforce Data Loader writes API names in upper case and quotes every value; Workbench keeps the API names' case.
    private const string SalesforceUsers = """
        "ID","NAME","EMAIL","USERROLE.NAME","ISACTIVE","CREATEDDATE"
        "0055g00000AAAAAAA1","Jane Owner","jane@example.com","EMEA Sales","true","2023-01-02T08:00:00.000Z"
        "0055g00000AAAAAAA2","Old Timer","old@example.com","","false","2019-05-06T08:00:00.000Z"
        """;

    private const string SalesforceLogins = """
        "Id","UserId","LoginTime","Status","LoginType"
        "0Ya5g00000BBBBBBB1","0055g00000AAAAAAA1","2024-09-27T15:18:19.000+0000","Success","Application"
        "0Ya5g00000BBBBBBB2","0055g00000AAAAAAA1","2024-09-27T15:17:01.000+0000","Invalid Password","Application"
        """;

    private const string SalesforceContacts = """
        "ID","FIRSTNAME","LASTNAME","EMAIL","PHONE","ACCOUNTID","OWNERID","CREATEDDATE","LASTMODIFIEDDATE","LEADSOURCE"
        "0035g00000CCCCCCC1","Ada","Lovelace","ada@example.com","(415) 555-0100","0015g00000DDDDDDD1","0055g00000AAAAAAA1","2024-02-01T09:00:00.000Z","2024-02-03T10:00:00.000Z","Web"
        """;

    private const string SalesforceAccounts = """
        Id,Name,Website,Industry,OwnerId,ParentId,CreatedDate,LastModifiedDate
        0015g00000DDDDDDD1,Acme Corp,https://www.acme.example,Manufacturing,0055g00000AAAAAAA1,,2023-11-02T08:00:00.000Z,2024-05-01T12:00:00.000Z
        """;

    private const string SalesforceOpportunities = """
        Id,Name,StageName,Amount,CloseDate,OwnerId,AccountId,ContactId,IsClosed,IsWon,CreatedDate,LastModifiedDate,Loss_Reason__c
        0065g00000EEEEEEE1,Acme expansion,Closed Lost,150000,2024-06-30,0055g00000AAAAAAA1,0015g00000DDDDDDD1,,true,false,2024-01-10T10:00:00.000Z,2024-06-30T18:00:00.000Z,Budget
        """;

    private const string SalesforceTasks = """
        Id,TaskSubtype,OwnerId,CreatedDate,LastModifiedDate,WhoId,AccountId,WhatId,CallType,ActivityDate,IsClosed
        00T5g00000FFFFFFF1,Call,0055g00000AAAAAAA1,2024-03-04T10:05:00.000Z,2024-03-04T10:05:00.000Z,0035g00000CCCCCCC1,0015g00000DDDDDDD1,0065g00000EEEEEEE1,Outbound,2024-03-04,true
        00T5g00000FFFFFFF2,Task,0055g00000AAAAAAA1,2024-03-05T08:00:00.000Z,2024-03-05T08:00:00.000Z,,0015g00000DDDDDDD1,0015g00000DDDDDDD1,,2024-03-08,false
        """;

    [Fact]
    public async Task A_Salesforce_export_is_read_without_editing()
    {
        using var folder = new TempFolder()
            .Write("users.csv", SalesforceUsers)
            .Write("logins.csv", SalesforceLogins)
            .Write("contacts.csv", SalesforceContacts)
            .Write("companies.csv", SalesforceAccounts)
            .Write("deals.csv", SalesforceOpportunities)
            .Write("activities.csv", SalesforceTasks);

        var changes = await folder.PullAsync(o => o.Preset = "Salesforce");

        Assert.Empty(changes.Problems);
        Assert.Equal(
        [
            new CrmUser("0055g00000AAAAAAA1", "Jane Owner", "jane@example.com", "EMEA Sales", true, false, Utc("2023-01-02T08:00:00Z")),
            new CrmUser("0055g00000AAAAAAA2", "Old Timer", "old@example.com", null, false, false, Utc("2019-05-06T08:00:00Z")),
        ], changes.Users);
        Assert.Equal(
        [
            new LoginEvent("0Ya5g00000BBBBBBB1", "0055g00000AAAAAAA1", Utc("2024-09-27T15:18:19Z"), true, "Application"),
            new LoginEvent("0Ya5g00000BBBBBBB2", "0055g00000AAAAAAA1", Utc("2024-09-27T15:17:01Z"), false, "Application"),
        ], changes.Logins);

        var ada = Assert.Single(changes.Contacts);
        Assert.Equal(("0035g00000CCCCCCC1", "Ada", "Lovelace", "ada@example.com", "(415) 555-0100", "0015g00000DDDDDDD1", "0055g00000AAAAAAA1"),
            (ada.Id, ada.FirstName, ada.LastName, ada.Email, ada.Phone, ada.CompanyId, ada.OwnerId));
        Assert.Equal((Utc("2024-02-01T09:00:00Z"), Utc("2024-02-03T10:00:00Z")), (ada.CreatedAt, ada.ModifiedAt));
        Assert.Equal("Web", ada.LeadSource); // LEADSOURCE is the canonical lead_source column

        var account = Assert.Single(changes.Companies);
        Assert.Equal(("Acme Corp", "https://www.acme.example", null), (account.Name, account.Domain, account.ParentId));

        var opportunity = Assert.Single(changes.Deals);
        Assert.Equal(("Closed Lost", 150000m, new DateOnly(2024, 6, 30), true, false, null),
            (opportunity.Stage, opportunity.Amount, opportunity.CloseDate, opportunity.IsClosed, opportunity.IsWon, opportunity.ContactId));
        Assert.Equal("Budget", opportunity.GetField("loss_reason_c"));

        Assert.Equal(
        [
            // No ActivityDateTime column in a Task export: occurred_at falls back to CreatedDate.
            new Activity("00T5g00000FFFFFFF1", ActivityType.Call, "0055g00000AAAAAAA1", Utc("2024-03-04T10:05:00Z"),
                Utc("2024-03-04T10:05:00Z"), Utc("2024-03-04T10:05:00Z"), "0035g00000CCCCCCC1", "0015g00000DDDDDDD1",
                "0065g00000EEEEEEE1", "outbound", Utc("2024-03-04T00:00:00Z"), true),
            // WhatId names an account here (prefix 001), so it is not a deal id.
            new Activity("00T5g00000FFFFFFF2", ActivityType.Task, "0055g00000AAAAAAA1", Utc("2024-03-05T08:00:00Z"),
                Utc("2024-03-05T08:00:00Z"), Utc("2024-03-05T08:00:00Z"), null, "0015g00000DDDDDDD1", null, null,
                Utc("2024-03-08T00:00:00Z"), false),
        ], changes.Activities);
    }

    [Fact]
    public async Task Explicit_columns_read_an_unknown_export_and_win_over_the_preset()
    {
        using var folder = new TempFolder().Write("Kontakte.csv",
            "Kontakt-Nr;Vorname;E-Mail-Adresse;Email;Angelegt am;Record ID",
            "K-1;Ada;ada@example.com;other@example.com;2024-01-15 10:00;999");

        var changes = await folder.PullAsync(o =>
        {
            o.Preset = "HubSpot";
            o.Delimiter = ";";
            o.TimeZone = "Europe/Berlin";
            o.Files["contacts"] = new FileMapping
            {
                FileName = "Kontakte.csv",
                Columns = { ["id"] = "Kontakt-Nr", ["first_name"] = "Vorname", ["email"] = "E-Mail-Adresse", ["created_at"] = "Angelegt am" },
            };
        });

        Assert.Empty(changes.Problems);
        var ada = Assert.Single(changes.Contacts);
        Assert.Equal(("K-1", "Ada", "ada@example.com", Utc("2024-01-15T09:00:00Z")), (ada.Id, ada.FirstName, ada.Email, ada.CreatedAt));
        // Headers not mapped to a canonical column are custom fields, even when the preset or a canonical name knows them.
        Assert.Equal(new Dictionary<string, string?> { ["email"] = "other@example.com", ["record_id"] = "999" }, ada.Custom);
    }

    [Fact]
    public async Task A_mapped_header_missing_from_the_file_stops_that_file()
    {
        using var folder = new TempFolder().Write("contacts.csv", "id,created_at,Mail", "c1,2024-01-01,ada@example.com");

        var changes = await folder.PullAsync(o => o.Files["contacts"] = new FileMapping { Columns = { ["email"] = "E-Mail" } });

        var problem = Assert.Single(changes.Problems);
        Assert.Equal(("contacts.csv", 1, "email"), (problem.Location, problem.Line, problem.Column));
        Assert.Equal("the Columns option maps 'email' to the header 'E-Mail', which is not in the file; the file is not read", problem.Reason);
        Assert.Empty(changes.CompleteKinds);
    }
}
