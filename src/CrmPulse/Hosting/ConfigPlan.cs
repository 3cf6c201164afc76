using CrmPulse.Alerts;
using CrmPulse.Core;
using CrmPulse.Options;

namespace CrmPulse.Hosting;

/// <summary>check-config's plan: what would run, where it would listen and what it would reach. URLs are shown without
/// their secrets (user info, query values); webhooks by name only.</summary>
public static class ConfigPlan
{
    public static void Print(OptionsLoader.Result loaded, IReadOnlyList<ListenAddresses.Configured> listen, TextWriter output)
    {
        output.WriteLine("Configuration is valid.");
        output.WriteLine(loaded.Options.Store.IsPostgreSql
            ? $"Store: {Storage.Postgres.PostgresStore.Describe(loaded.Options.Store.ConnectionString!)}"
            : $"Store: {Path.GetFullPath(loaded.Options.Store.Path)}");
        var cluster = loaded.Options.Cluster;
        output.WriteLine(cluster.Enabled
            ? $"Cluster: on, node {cluster.NodeName}, check-in every {cluster.CheckinInterval.TotalSeconds:0.###} s"
            : "Cluster: off (this node schedules every job)");
        output.WriteLine($"API: {Listening(listen, loaded.Options.Api.ApiKeys.Count)}");
        var influx = loaded.Options.InfluxDb;
        output.WriteLine(influx.Enabled
            ? $"InfluxDB: {SafeUrl.WithoutSecrets(influx.Url)} ({(influx.IsV1 ? $"v1, database {influx.Database}" : $"v2, org {influx.Org}, bucket {influx.Bucket}")}), batches of {influx.BatchSize}"
            : "InfluxDB: off");
        foreach (var s in loaded.Sources)
        {
            output.WriteLine($"Source {s.Name} ({s.Kind.Name}): sync {s.SyncSchedule}, KPIs {s.KpiSchedule}, "
                + $"excluded users: {(s.Options.ExcludeUsers.Count == 0 ? "none" : string.Join(", ", s.Options.ExcludeUsers))}");
            foreach (var (obj, fields) in s.KpiOptions.RequiredFields) output.WriteLine($"  monitored {obj} fields: {string.Join(", ", fields)}");
        }
        foreach (var i in loaded.Options.Integrations) output.WriteLine(Integrations.IntegrationPlan.Describe(i));
        foreach (var t in loaded.Options.Targets) output.WriteLine(Integrations.IntegrationPlan.Describe(t));
        var alerts = loaded.Options.Alerts;
        var rules = AlertRulesFile.Load(alerts.RulesPath);
        output.WriteLine($"Alerts: {rules.Rules?.Rules.Count ?? 0} rule(s) from {rules.Path}; webhooks: "
            + (alerts.Webhooks.Count == 0 ? "none" : string.Join(", ", alerts.Webhooks.Select(w =>
                $"{w.Name} ({w.Format}{(w.Teams.Count > 0 ? $", teams {string.Join("/", w.Teams)}" : "")})")))); // never the URL: its path is often the secret
    }

    /// <summary>"http://0.0.0.0:5099 (Kestrel:Endpoints:Http:Url; beyond loopback, 1 API key)".</summary>
    internal static string Listening(IReadOnlyList<ListenAddresses.Configured> listen, int apiKeys)
    {
        var urls = string.Join(", ", listen.Select(l => l.Key == ListenAddresses.Default ? $"{l.Url} (default)" : $"{l.Url} (from {l.Key})"));
        var beyond = listen.Any(l => !ListenAddresses.IsLoopback(l.Url));
        var keys = apiKeys == 0 ? "no API key" : $"{apiKeys} API key(s) required for record-level and mutating endpoints";
        return $"{urls}; {(beyond ? "beyond loopback" : "loopback only")}, {keys}";
    }
}
