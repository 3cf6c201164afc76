namespace CrmPulse.Options;

/// <summary>
/// CrmPulse:Cluster: several nodes sharing the work through Quartz.NET's clustered ADO.NET job store on the PostgreSQL
/// store's database. Off by default (one node schedules everything in memory).
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Schedule through the clustered job store: each source's sync and KPI jobs run on one node at a time, and
    /// the job of a node that dies reruns on another. Needs Store:Provider PostgreSql.</summary>
    public bool Enabled { get; set; }

    /// <summary>This node's name, unique in the cluster: Quartz's instance id, the node of the runs table, /api/cluster and
    /// the metrics' node label. Default: the host name and the process id ("web-3-4711"), unique per running process.</summary>
    public string NodeName { get; set; } = DefaultNodeName();

    /// <summary>How often the node checks in with the cluster. Another node takes over a dead node's jobs once its
    /// check-in is this interval plus 7.5 s late (Quartz's check-in misfire threshold). Default 15 s.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(15);

    public static string DefaultNodeName() => $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The problems of these settings, each naming its key.</summary>
    public List<string> Validate(StoreOptions store, string prefix = "CrmPulse:Cluster")
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(NodeName)) errors.Add($"{prefix}:NodeName must not be empty.");
        else if (NodeName.Length > 80 || NodeName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '"' || c == '\\'))
            errors.Add($"{prefix}:NodeName '{NodeName}' must be at most 80 characters without spaces, quotes or backslashes.");
        if (CheckinInterval < TimeSpan.FromSeconds(1) || CheckinInterval > TimeSpan.FromMinutes(10))
            errors.Add($"{prefix}:CheckinInterval must be between 00:00:01 and 00:10:00, was {CheckinInterval}.");
        if (Enabled && !store.IsPostgreSql)
            errors.Add($"{prefix}:Enabled needs CrmPulse:Store:Provider PostgreSql (the nodes share the PostgreSQL database); "
                + $"the store is {store.Provider}. Set CRMPULSE__STORE__PROVIDER=PostgreSql and its connection string, or turn the cluster off.");
        return errors;
    }
}
