using CrmPulse.Sources.Demo;
using CrmPulse.Sources.File;
using CrmPulse.Sources.HubSpot;
using CrmPulse.Sources.Salesforce;

namespace CrmPulse.Hosting;

/// <summary>The one list of source kinds compiled into CrmPulse. Adding a CRM means adding its line here.</summary>
public static class SourceKinds
{
    public static readonly SourceKind Demo = SourceKind.Create<DemoSourceOptions>("Demo", TimeSpan.FromMinutes(1),
        o => o.Validate(), (name, o, time) => new DemoSource(name, o, time));

    public static readonly SourceKind File = SourceKind.Create<FileSourceOptions>("File", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, _) => new FileSource(name, o));

    public static readonly SourceKind HubSpot = SourceKind.Create<HubSpotSourceOptions>("HubSpot", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, time) => new HubSpotSource(name, o, time));

    public static readonly SourceKind Salesforce = SourceKind.Create<SalesforceSourceOptions>("Salesforce", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, time) => new SalesforceSource(name, o, time));

    public static readonly IReadOnlyList<SourceKind> All = [Demo, File, HubSpot, Salesforce];

    /// <summary>Kinds in the design that later versions add.</summary>
    public static readonly IReadOnlyList<string> Planned = [];

    public static bool TryGet(string name, out SourceKind kind)
    {
        kind = All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase))!;
        return kind is not null;
    }
}
