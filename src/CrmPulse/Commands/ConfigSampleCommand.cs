using System.CommandLine;
using CrmPulse.Hosting;

namespace CrmPulse.Commands;

/// <summary>
/// crmpulse config sample [--kind K]: prints a complete, commented configuration that works as it is (secrets come
/// from environment variables named in it). The samples are samples/config/&lt;kind&gt;.json, embedded in the binary:
/// a new source kind in <see cref="SourceKinds.All"/> adds its file there and nothing here (a test checks that every
/// kind has one and that each passes check-config).
/// </summary>
public static class ConfigSampleCommand
{
    public const string Description = "Print a complete, commented configuration for a source kind (samples/config/<kind>.json); save it and pass it with --config.";

    /// <summary>The kinds that have a sample, in <see cref="SourceKinds.All"/>'s order.</summary>
    public static IReadOnlyList<string> Kinds => [.. SourceKinds.All.Select(k => k.Name).Where(k => Sample(k) is not null)];

    public static Option<string> KindOption() => new Option<string>("--kind")
    {
        Description = $"The source kind: {string.Join(", ", SourceKinds.All.Select(k => k.Name))}.",
        HelpName = "KIND",
        DefaultValueFactory = _ => SourceKinds.Demo.Name,
    }.AcceptOnlyFromAmong([.. Kinds]);

    /// <summary>The sample of a kind (case-insensitive), or null when it has none.</summary>
    public static string? Sample(string kind)
    {
        using var stream = typeof(ConfigSampleCommand).Assembly.GetManifestResourceStream(ResourceName(kind));
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The embedded name of samples/config/&lt;kind&gt;.json (CrmPulse.csproj embeds the folder).</summary>
    public static string ResourceName(string kind) => $"CrmPulse.Samples.Config.{kind.ToLowerInvariant()}.json";

    public static int Run(string kind, TextWriter output)
    {
        output.Write(Sample(kind));
        return 0;
    }
}
