using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using CrmPulse.Sources.File;

namespace CrmPulse.Sources.Tests.File;

/// <summary>The shipped sample folder and the README's configuration fragments, so the docs cannot rot.</summary>
public sealed partial class SampleFolderTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "CrmPulse.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CrmPulse.sln not found above " + AppContext.BaseDirectory);
    }

    private static List<FileSourceOptions> ReadmeFragments()
    {
        var readme = System.IO.File.ReadAllText(Path.Combine(RepoRoot(), "src", "CrmPulse.Sources", "File", "README.md"));
        var json = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return JsonBlock().Matches(readme)
            .Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement.GetProperty("CrmPulse").GetProperty("Sources")[0])
            .Select(e => e.Deserialize<FileSourceOptions>(json)!)
            .ToList();
    }

    [Fact]
    public async Task The_sample_folder_reads_with_exactly_its_two_deliberate_problems()
    {
        var options = ReadmeFragments()[0];
        options.Path = Path.Combine(RepoRoot(), options.Path!);
        Assert.Empty(options.Validate());

        var changes = await new FileSource("sample", options).PullAsync(new Dictionary<string, string>(), CancellationToken.None);

        Assert.Equal((5, 10, 5, 9, 5, 12),
            (changes.Users.Count, changes.Logins.Count, changes.Companies.Count, changes.Contacts.Count, changes.Deals.Count,
                changes.Activities.Count));
        Assert.Equal(
        [
            new SourceProblem("contacts.csv", 10, "created_at", $"'31/01/2025 14:00' is not a date-time ({FileValues.DateTimeForms}); the row is skipped"),
            new SourceProblem("deals.csv", 4, "amount", "'12.500,00' is not a number (expected digits with '.' as the decimal point, e.g. 1250.50); the row is skipped"),
        ], changes.Problems);
        Assert.Equal([(ObjectKind.Contact, "c-9"), (ObjectKind.Deal, "d-3")], changes.Retained);
        Assert.Equal(6, changes.CompleteKinds.Count);
        Assert.Equal("Dupont & Fils, Conseil", changes.Companies.Single(c => c.Id == "co-5").Name);
        Assert.Equal("O'Neil, Jr.", changes.Contacts.Single(c => c.Id == "c-8").LastName);
        Assert.Equal("Gold", changes.Companies[0].GetField("customer_tier"));
    }

    [Fact]
    public void Every_readme_fragment_binds_to_valid_options()
    {
        var fragments = ReadmeFragments();

        Assert.Equal(3, fragments.Count);
        Assert.Equal(("Europe/Berlin", "HubSpot", "Kontakte.csv"),
            (fragments[1].TimeZone, fragments[1].Preset, fragments[1].Files["contacts"].FileName));
        Assert.Equal("E-Mail-Adresse", fragments[1].Files["contacts"].Columns["email"]);
        // Only the example folder is absent on this machine.
        Assert.Equal(["Path: folder '/srv/crm-exports/hubspot' does not exist."], fragments[1].Validate());
        Assert.Equal(["Path: folder '/srv/crm-exports/users' does not exist."], fragments[2].Validate());
    }

    [Fact]
    public async Task The_readme_value_mapping_example_reads_a_windows1252_users_export_as_it_says()
    {
        var options = ReadmeFragments()[2];
        using var folder = new TempFolder();
        options.Path = folder.Path;
        // "Müller" in Windows-1252 (0xFC); types and statuses as the README describes them.
        System.IO.File.WriteAllBytes(Path.Combine(folder.Path, "users.csv"),
        [
            .. "User ID,First Name,Last Name,User Type,Status\r\nu1,Anna,M"u8, 0xFC, .. "ller,Standard,Active\r\n"u8,
            .. "u2,Sync,Bot,Integration,Active\r\nu3,,Zapier,API,Inactive\r\nu4,Otto,Rolf,Standard,Suspended\r\nu5,Eva,Ek,Standard,Active\r\n"u8,
        ]);

        var changes = await new FileSource("exports", options).PullAsync(new Dictionary<string, string>(), CancellationToken.None);

        Assert.Equal([("u1", "Anna Müller", false, true), ("u2", "Sync Bot", true, true), ("u3", "Zapier", true, false), ("u5", "Eva Ek", false, true)],
            changes.Users.Select(u => (u.Id, u.Name, u.IsIntegration, u.IsActive)));
        Assert.Equal(new SourceProblem("users.csv", 5, "Status", "'Suspended' is not a boolean (expected true/false, yes/no or 1/0); the row is skipped"),
            Assert.Single(changes.Problems));
    }

    [GeneratedRegex("```json\\s*\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
