using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Duplicates of contacts and companies (see Dedupe/): clusters, removable duplicates and their ratio.</summary>
/// <remarks>
/// <para>The clusters come from <see cref="KpiContext.ContactClusters"/> and <see cref="KpiContext.CompanyClusters"/>, so
/// the matcher runs once per pass however many families read them. A cluster's survivor is its oldest record; every
/// other member is a removable duplicate and an issue of kind removable_duplicates ("duplicate of &lt;survivor&gt;
/// (&lt;reason&gt;)"), so the count and the drill-down list never disagree.</para>
/// <para>Like the other data-quality KPIs these read the mirror as it is now (not rebuildable). The counts are always
/// emitted per object; the ratio only when the object has records (a ratio over nothing is not a number).</para>
/// </remarks>
public sealed class DuplicateKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("duplicate_clusters", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Groups of two or more records of the object that are the same person or organisation (fuzzy match on " +
            "names, e-mail, phone, company, address; no vendor key).", ["object"], false, Day),
        new("removable_duplicates", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records that merging would remove: the members of each duplicate cluster except its survivor (the oldest).",
            ["object"], false, Day) { HasIssues = true },
        new("removable_duplicate_ratio", KpiFamily.DataQuality, "ratio", KpiDirection.LowerIsBetter,
            "removable_duplicates ÷ records of the object.", ["object"], false, Day),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        // Contacts by their columns: no record is built to read an id or an owner.
        AddObject(context, output, RecordRows.Of(context.Contacts), context.ContactClusters);
        AddObject(context, output, RecordRows.Of(context.Companies), context.CompanyClusters);
    }

    private static void AddObject(KpiContext context, KpiOutput output, RecordRows records, IReadOnlyList<DuplicateCluster> clusters)
    {
        var objectType = records.ObjectType;
        var dims = Dimensions.Of(("object", objectType));
        // Sized at once (the removable duplicates), so that tens of thousands of ids are not rehashed as it grows.
        var removable = 0;
        foreach (var cluster in clusters) removable += cluster.RecordIds.Count - 1;
        var survivorOf = new Dictionary<string, DuplicateCluster>(removable, StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            for (var d = 1; d < cluster.RecordIds.Count; d++) survivorOf[cluster.RecordIds[d]] = cluster;
        }
        // Issues in the records' order (the mirror's), one per removable duplicate (at the first record of its id).
        foreach (var at in Positions(records.Count, records.Id, survivorOf, context.KnownInIdOrder(objectType)))
        {
            var id = records.Id(at);
            if (!survivorOf.Remove(id, out var cluster)) continue;
            var owner = records.Owner(at);
            output.AddIssue(new RecordIssue("removable_duplicates", objectType, id, owner, context.TeamOf(owner),
                Detail: $"duplicate of {cluster.SurvivorId} ({cluster.ReasonFor(id)})"));
        }
        output.Add("duplicate_clusters", clusters.Count, dims);
        output.Add("removable_duplicates", removable, dims);
        if (records.Count > 0) output.Add("removable_duplicate_ratio", (double)removable / records.Count, dims);
    }

    /// <summary>
    /// The positions in <paramref name="records"/> of the records with the ids of <paramref name="ids"/>, in record order (a superset is fine:
    /// the caller takes each id once, at its first record). The mirror loads records in ordinal id order: then each id
    /// is found by a binary search (its first record), a few thousand look-ups instead of hashing every record's id.
    /// Records in another order are walked once. <paramref name="knownInIdOrder"/>: the incremental matcher already
    /// read every id and found them in order (else they are checked here).
    /// </summary>
    internal static List<int> Positions<T>(IReadOnlyList<CrmRecord> records, IReadOnlyDictionary<string, T> ids, bool knownInIdOrder) =>
        Positions(records.Count, at => records[at].Id, ids, knownInIdOrder);

    /// <summary><see cref="Positions{T}(IReadOnlyList{CrmRecord}, IReadOnlyDictionary{string, T}, bool)"/> of <paramref name="count"/>
    /// records read by <paramref name="idOf"/>.</summary>
    internal static List<int> Positions<T>(int count, Func<int, string> idOf, IReadOnlyDictionary<string, T> ids, bool knownInIdOrder)
    {
        var positions = new List<int>(ids.Count);
        if (ids.Count == 0) return positions;
        if (!knownInIdOrder && !InIdOrder(count, idOf))
        {
            for (var at = 0; at < count; at++)
            {
                if (ids.ContainsKey(idOf(at))) positions.Add(at);
            }
            return positions;
        }
        foreach (var id in ids.Keys)
        {
            // The first record whose id is not below this one.
            int lo = 0, hi = count;
            while (lo < hi)
            {
                var mid = lo + (hi - lo) / 2;
                if (string.CompareOrdinal(idOf(mid), id) < 0) lo = mid + 1;
                else hi = mid;
            }
            if (lo < count && string.Equals(idOf(lo), id, StringComparison.Ordinal)) positions.Add(lo);
        }
        positions.Sort();
        return positions;
    }

    /// <summary>Whether the records' ids never go down in ordinal order (equal neighbours allowed).</summary>
    private static bool InIdOrder(int count, Func<int, string> idOf)
    {
        for (var at = 1; at < count; at++)
        {
            if (string.CompareOrdinal(idOf(at - 1), idOf(at)) > 0) return false;
        }
        return true;
    }
}
