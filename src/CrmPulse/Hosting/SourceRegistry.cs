using CrmPulse.Core.Sources;

namespace CrmPulse.Hosting;

/// <summary>The sources this process runs, created once from the validated configuration.</summary>
public sealed class SourceRegistry
{
    private readonly Dictionary<string, (ConfiguredSource Config, ICrmSource Source)> _byName;

    public SourceRegistry(IEnumerable<ConfiguredSource> configured, TimeProvider time)
    {
        _byName = configured.ToDictionary(c => c.Name, c => (c, c.Kind.CreateSource(c.Name, c.KindOptions, c.Options, time)), StringComparer.Ordinal);
        Names = [.. _byName.Keys];
    }

    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public ConfiguredSource Config(string name) => _byName[name].Config;

    public ICrmSource Source(string name) => _byName[name].Source;

    public IEnumerable<ConfiguredSource> All => _byName.Values.Select(v => v.Config);
}
