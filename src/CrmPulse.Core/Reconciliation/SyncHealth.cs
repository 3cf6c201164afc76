using System.Globalization;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Reconciliation;

/// <summary>
/// Sync health of a pair kept in step by an integration (<see cref="ReconciliationPair.Sync"/>): on matched records,
/// mapped field values that disagree, the changes that have not arrived on the other side and how long they have been
/// waiting (the lag that grows when the sync breaks), the lag of the changes that did arrive (from the records'
/// modification times), and records of the new side that duplicate an older record of that side (created by the sync).
/// Records in one system and not the other are the reconciliation's missing and extra records.
/// </summary>
public static class SyncHealth
{
    public const string FieldMismatches = "sync_field_mismatches";
    public const string PendingChanges = "sync_pending_changes";
    public const string PendingAgeMax = "sync_pending_age_max";
    public const string LagMedian = "sync_lag_median";
    public const string Duplicates = "sync_duplicates";

    /// <summary>Arrived changes count toward the lag when either copy changed in this window before as-of.</summary>
    public static readonly TimeSpan LagWindow = TimeSpan.FromDays(7);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static readonly IReadOnlyList<KpiDefinition> Definitions =
    [
        new(FieldMismatches, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Sync pairs: matched records whose mapped field values disagree (trimmed, case-insensitive; numbers by value; empty on one side counts), per object and (new) field.",
            ["object", "field"], false, Day) { HasIssues = true },
        new(PendingChanges, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Sync pairs: matched records with at least one disagreeing mapped field: a change that has not arrived on the other side, per object.",
            ["object"], false, Day) { HasIssues = true },
        new(PendingAgeMax, KpiFamily.Reconciliation, "minutes", KpiDirection.LowerIsBetter,
            "Sync pairs: as-of − the later modification time of the oldest pending change (0 when none), per object: the lag that grows while the sync is broken.",
            ["object"], false, Day),
        new(LagMedian, KpiFamily.Reconciliation, "minutes", KpiDirection.LowerIsBetter,
            "Sync pairs: median of |old modified − new modified| over matched records whose mapped fields agree and of which a copy changed in the 7 days before as-of, per object; no sample when there is none.",
            ["object"], false, Day),
        new(Duplicates, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Sync pairs: matched records of the new source that the duplicate matcher puts in one cluster with an older record of the new source (a copy the sync created instead of updating), per object (contacts, companies).",
            ["object"], false, Day) { HasIssues = true },
    ];

    /// <summary>Adds the sync-health samples and issues of one reconciled object.</summary>
    internal static void Compute(ReconciliationPair pair, string obj, ObjectMatch match, Dictionary<string, (string NewId, MatchKey By)> matched,
        CrmSnapshot oldSnapshot, CrmSnapshot newSnapshot, DateTimeOffset asOf, DedupeOptions dedupe, KpiOutput output,
        Func<string?, string> oldTeam, Func<string?, string> newTeam)
    {
        var dims = Dimensions.Of(("object", obj));
        var olds = RecordMatcher.Records(oldSnapshot, obj).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var newById = RecordMatcher.Records(newSnapshot, obj).ToDictionary(n => n.Id, StringComparer.Ordinal);
        var mismatches = match.Properties.ToDictionary(p => p, _ => 0);
        var pending = 0;
        var oldestPending = TimeSpan.Zero;
        var lags = new List<double>();
        foreach (var o in olds)
        {
            if (!matched.TryGetValue(o.Id, out var m)) continue;
            var n = newById[m.NewId];
            var disagree = 0;
            foreach (var p in match.Properties)
            {
                var (a, b) = (o.GetField(p.Old), n.GetField(p.New));
                if (Same(a, b)) continue;
                disagree++;
                mismatches[p]++;
                output.AddIssue(new RecordIssue(FieldMismatches, obj, o.Id, o.OwnerId, oldTeam(o.OwnerId), p.New,
                    $"'{a}' in {pair.OldSource}; '{b}' on {n.Id} in {pair.NewSource}"));
            }
            var later = o.ModifiedAt > n.ModifiedAt ? o.ModifiedAt : n.ModifiedAt;
            if (disagree > 0)
            {
                pending++;
                var age = asOf - later;
                if (age > oldestPending) oldestPending = age;
                var (changedIn, otherAt) = o.ModifiedAt >= n.ModifiedAt ? (pair.OldSource, n.ModifiedAt) : (pair.NewSource, o.ModifiedAt);
                output.AddIssue(new RecordIssue(PendingChanges, obj, o.Id, o.OwnerId, oldTeam(o.OwnerId), null,
                    $"{disagree} field(s) differ; last changed in {changedIn} {Time(later)}, the other copy ({(changedIn == pair.OldSource ? n.Id : o.Id)}) {Time(otherAt)}"));
            }
            else if (later > asOf - LagWindow && later <= asOf)
            {
                lags.Add(Math.Abs((o.ModifiedAt - n.ModifiedAt).TotalMinutes));
            }
        }
        foreach (var (p, count) in mismatches) output.Add(FieldMismatches, count, Dimensions.Of(("object", obj), ("field", p.New)));
        output.Add(PendingChanges, pending, dims);
        output.Add(PendingAgeMax, oldestPending.TotalMinutes, dims);
        if (lags.Count > 0) output.Add(LagMedian, Percentiles.Median(lags)!.Value, dims);
        if (obj is "contact" or "company") AddDuplicates(pair, obj, matched, newSnapshot, dedupe, output, newTeam, dims);
    }

    private static void AddDuplicates(ReconciliationPair pair, string obj, Dictionary<string, (string NewId, MatchKey By)> matched,
        CrmSnapshot newSnapshot, DedupeOptions dedupe, KpiOutput output, Func<string?, string> newTeam, Dimensions dims)
    {
        var clusters = obj == "contact"
            // Contacts are compared by their company ids, not names: no map of names is needed.
            ? Deduplicator.FindContactClusters(newSnapshot.Contacts, new Dictionary<string, string>(), dedupe)
            : Deduplicator.FindCompanyClusters(newSnapshot.Companies, dedupe);
        var byId = RecordMatcher.Records(newSnapshot, obj).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var synced = matched.Values.Select(v => v.NewId).ToHashSet(StringComparer.Ordinal);
        var count = 0;
        foreach (var cluster in clusters)
        {
            foreach (var id in cluster.RecordIds.Order(StringComparer.Ordinal))
            {
                if (!synced.Contains(id)) continue;
                var record = byId[id];
                var older = cluster.RecordIds.Where(other => other != id && byId[other].CreatedAt < record.CreatedAt)
                    .OrderBy(other => byId[other].CreatedAt).ThenBy(other => other, StringComparer.Ordinal).FirstOrDefault();
                if (older is null) continue;
                count++;
                output.AddIssue(new RecordIssue(Duplicates, obj, id, record.OwnerId, newTeam(record.OwnerId), null,
                    $"in {pair.NewSource}, created {Time(record.CreatedAt)}, duplicates {older} created {Time(byId[older].CreatedAt)}"));
            }
        }
        output.Add(Duplicates, count, dims);
    }

    /// <summary>Equal after trimming, case-insensitive; two numbers by value (1000 and 1000.00); empty equals missing.</summary>
    public static bool Same(string? a, string? b)
    {
        var (x, y) = (CrmRecord.IsFilled(a) ? a!.Trim() : "", CrmRecord.IsFilled(b) ? b!.Trim() : "");
        if (string.Equals(x, y, StringComparison.OrdinalIgnoreCase)) return true;
        return decimal.TryParse(x, NumberStyles.Number, CultureInfo.InvariantCulture, out var dx)
            && decimal.TryParse(y, NumberStyles.Number, CultureInfo.InvariantCulture, out var dy) && dx == dy;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
