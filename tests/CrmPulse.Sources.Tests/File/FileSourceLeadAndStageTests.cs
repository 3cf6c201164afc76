using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.File;

/// <summary>The lead and stage columns (is_lead, converted_at, stage_entered_at), canonical and through the presets.</summary>
public sealed class FileSourceLeadAndStageTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Canonical_columns_read_leads_conversions_and_stage_entry()
    {
        using var folder = new TempFolder()
            .Write("contacts.csv",
                "id,is_lead,converted_at,created_at",
                "c1,yes,2024-03-02T10:00:00+01:00,2024-03-01T08:00:00Z",
                "c2,,,2024-03-01T08:00:00Z",
                "c3,2024-02-28,,2024-03-01T08:00:00Z")
            .Write("deals.csv",
                "id,stage,stage_entered_at,created_at",
                "d1,qualified,2024-03-05T09:00:00Z,2024-03-01T08:00:00Z",
                "d2,qualified,,2024-03-01T08:00:00Z");

        var changes = await folder.PullAsync();

        Assert.Empty(changes.Problems);
        Assert.Equal([(true, Utc("2024-03-02T09:00:00Z")), (false, null), (true, null)],
            changes.Contacts.Select(c => (c.IsLead, c.ConvertedAt)));
        Assert.Equal([Utc("2024-03-05T09:00:00Z"), null], changes.Deals.Select(d => d.StageEnteredAt));
    }

    [Fact]
    public async Task An_unreadable_lead_flag_is_a_bad_cell_named_by_line_and_column()
    {
        using var folder = new TempFolder().Write("contacts.csv", "id,is_lead,created_at",
            "c0,yes,2024-03-01T08:00:00Z", "c1,maybe,2024-03-01T08:00:00Z", "c2,no,2024-03-01T08:00:00Z", "c3,,2024-03-01T08:00:00Z");

        var changes = await folder.PullAsync();

        Assert.Equal(["c0", "c2", "c3"], changes.Contacts.Select(c => c.Id));
        Assert.Equal(new SourceProblem("contacts.csv", 3, "is_lead",
            "'maybe' is neither a boolean (true/false, yes/no, 1/0) nor a date-time (which means true); the row is skipped"), Assert.Single(changes.Problems));
    }

    [Fact]
    public async Task HubSpot_lifecycle_dates_make_leads_and_conversions()
    {
        using var folder = new TempFolder().Write("contacts.csv", """
            "Record ID","Became a Lead Date","Became an Opportunity Date","Create Date"
            "101","2024-03-01 09:00","2024-03-04 15:30","2024-03-01 09:00"
            "102","","","2024-03-01 09:00"
            """);

        var changes = await folder.PullAsync(o => { o.Preset = "HubSpot"; o.TimeZone = "UTC"; });

        Assert.Empty(changes.Problems);
        Assert.Equal([(true, Utc("2024-03-04T15:30:00Z")), (false, null)], changes.Contacts.Select(c => (c.IsLead, c.ConvertedAt)));
    }

    [Fact]
    public async Task Salesforce_exports_give_conversion_and_last_stage_change_dates()
    {
        using var folder = new TempFolder()
            .Write("contacts.csv", "ID,CONVERTEDDATE,CREATEDDATE", "00Q1,2024-03-04T10:00:00.000Z,2024-03-01T09:00:00.000Z")
            .Write("deals.csv", "Id,StageName,LastStageChangeDate,CreatedDate", "0061,Prospecting,2024-03-03T12:00:00.000Z,2024-03-01T09:00:00.000Z");

        var changes = await folder.PullAsync(o => o.Preset = "Salesforce");

        Assert.Empty(changes.Problems);
        Assert.Equal(Utc("2024-03-04T10:00:00Z"), Assert.Single(changes.Contacts).ConvertedAt);
        Assert.Equal(Utc("2024-03-03T12:00:00Z"), Assert.Single(changes.Deals).StageEnteredAt);
    }
}
