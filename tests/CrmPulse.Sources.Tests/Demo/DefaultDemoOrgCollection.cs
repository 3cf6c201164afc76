namespace CrmPulse.Sources.Tests.Demo;

/// <summary>Tests that read the shared default org (generated once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class DefaultDemoOrgCollection : ICollectionFixture<DefaultDemoOrg>
{
    public const string Name = "default demo org";
}
