namespace CrmPulse.Sources.Tests.Fakes;

/// <summary>Recorded API payloads copied next to the tests (&lt;Crm&gt;/Recorded/*.json, provenance in each SOURCES.md).</summary>
internal static class RecordedFiles
{
    /// <summary>The text of a recorded file; its name prefix says the CRM ("hubspot_…", "salesforce_…", "activecampaign_…").</summary>
    public static string Read(string fileName)
    {
        var folder = fileName.StartsWith("salesforce_", StringComparison.Ordinal) ? "Salesforce"
            : fileName.StartsWith("activecampaign_", StringComparison.Ordinal) ? "ActiveCampaign" : "HubSpot";
        return System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, folder, "Recorded", fileName));
    }
}
