using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CrmPulse.Sources.Demo;

namespace CrmPulse.Sources.Tests.Demo;

/// <summary>The README's configuration fragment names real options with their real defaults, so the docs cannot rot.</summary>
public sealed class DemoReadmeTests
{
    private static string Readme()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "CrmPulse.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return System.IO.File.ReadAllText(Path.Combine(dir.FullName, "src", "CrmPulse.Sources", "Demo", "README.md"));
    }

    [Fact]
    public void Readme_fragment_binds_to_the_default_options()
    {
        var text = Readme();
        var start = text.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = JsonNode.Parse(text[start..text.IndexOf("```", start, StringComparison.Ordinal)])!;
        var entry = json["CrmPulse"]!["Sources"]![0]!.AsObject();
        Assert.Equal("Demo", (string?)entry["Kind"]);
        Assert.Equal("demo", (string?)entry["Name"]);
        entry.Remove("Kind");
        entry.Remove("Name");

        // Every remaining key must be an option: a misspelt or removed one fails here.
        var options = entry.Deserialize<DemoSourceOptions>(new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow })!;
        Assert.Empty(options.Validate());
        var defaults = new DemoSourceOptions();
        foreach (var property in typeof(DemoSourceOptions).GetProperties())
        {
            Assert.True(entry.ContainsKey(property.Name), $"README lacks {property.Name}");
            Assert.Equal(property.GetValue(defaults), property.GetValue(options));
        }
    }
}
