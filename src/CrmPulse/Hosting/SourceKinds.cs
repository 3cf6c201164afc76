using CrmPulse.Sources.ActiveCampaign;
using CrmPulse.Sources.Demo;
using CrmPulse.Sources.File;
using CrmPulse.Sources.HubSpot;
using CrmPulse.Sources.Salesforce;

namespace CrmPulse.Hosting;

/// <summary>The one list of source kinds compiled into CrmPulse. Adding a CRM means adding its line here.</summary>
public static class SourceKinds
{
    public static readonly SourceKind Demo = SourceKind.Create<DemoSourceOptions>("Demo", TimeSpan.FromMinutes(1),
        o => o.Validate(), (name, o, _, time) => new DemoSource(name, o, time),
        _ => "the Demo source's deals carry their lost reasons already; leave it out.");

    public static readonly SourceKind File = SourceKind.Create<FileSourceOptions>("File", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, _, _) => new FileSource(name, o),
        _ => "a File source reads the lost reason from the lost_reason column of deals.csv; map the file's header to it with Files:deals:Columns:lost_reason instead.");

    public static readonly SourceKind HubSpot = SourceKind.Create<HubSpotSourceOptions>("HubSpot", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, common, time) => new HubSpotSource(name, o, time) { LostReasonField = common.Pipeline.LostReasonField },
        HubSpotSource.CheckLostReasonField);

    public static readonly SourceKind Salesforce = SourceKind.Create<SalesforceSourceOptions>("Salesforce", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, common, time) => new SalesforceSource(name, o, time) { LostReasonField = common.Pipeline.LostReasonField },
        SalesforceSource.CheckLostReasonField);

    public static readonly SourceKind ActiveCampaign = SourceKind.Create<ActiveCampaignSourceOptions>("ActiveCampaign", TimeSpan.FromMinutes(5),
        o => o.Validate(), (name, o, _, time) => new ActiveCampaignSource(name, o, time),
        _ => "ActiveCampaign's API documents no lost-reason field on deals; leave Pipeline:LostReasonField out (lost_reason stays empty).");

    public static readonly IReadOnlyList<SourceKind> All = [Demo, File, HubSpot, Salesforce, ActiveCampaign];

    /// <summary>Kinds in the design that later versions add.</summary>
    public static readonly IReadOnlyList<string> Planned = [];

    public static bool TryGet(string name, out SourceKind kind)
    {
        kind = All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase))!;
        return kind is not null;
    }
}
