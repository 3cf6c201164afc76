namespace CrmPulse.Options;

/// <summary>CrmPulse:Store.</summary>
public sealed class StoreOptions
{
    /// <summary>The SQLite file holding the mirror and the ledger, relative to the working directory. Default data/crmpulse.db.</summary>
    public string Path { get; set; } = "data/crmpulse.db";
}
