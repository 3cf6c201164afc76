using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Reconciliation;

/// <summary>
/// Matches the records of one object across a pair, one to one: each key in turn pairs the records still unmatched
/// whose key values are equal (in id order, so the result does not depend on the mirrors' order), and the duplicate
/// matcher, as a key, pairs an old and a new record that it puts in one cluster.
/// </summary>
public static class RecordMatcher
{
    private const string OldPrefix = "o:";
    private const string NewPrefix = "n:";

    /// <summary>Old record id → (new record id, the key that matched them).</summary>
    /// <param name="companies">New company id → matched old company id, when companies were matched first: the duplicate
    /// matcher then sees a contact's company as the same one on both sides.</param>
    public static Dictionary<string, (string NewId, MatchKey By)> Match(string objectType, ObjectMatch match,
        CrmSnapshot oldSnapshot, CrmSnapshot newSnapshot, DedupeOptions dedupe, IReadOnlyDictionary<string, string>? companies = null)
    {
        var olds = Records(oldSnapshot, objectType).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var news = Records(newSnapshot, objectType).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var matched = new Dictionary<string, (string, MatchKey)>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in match.Keys)
        {
            if (key == MatchKey.Duplicate)
            {
                MatchDuplicates(objectType, oldSnapshot, newSnapshot, matched, taken, dedupe, companies);
                continue;
            }
            var index = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
            foreach (var n in news)
            {
                if (taken.Contains(n.Id) || NewKey(key, n, match) is not { } k) continue;
                if (!index.TryGetValue(k, out var queue)) index[k] = queue = new Queue<string>();
                queue.Enqueue(n.Id);
            }
            foreach (var o in olds)
            {
                if (matched.ContainsKey(o.Id) || OldKey(key, o) is not { } k || !index.TryGetValue(k, out var queue) || queue.Count == 0) continue;
                var newId = queue.Dequeue();
                matched[o.Id] = (newId, key);
                taken.Add(newId);
            }
        }
        return matched;
    }

    /// <summary>A new contact's company as the duplicate matcher sees it: the matched old company's id when there is one.</summary>
    private static string? NewCompany(string? id, IReadOnlyDictionary<string, string>? companies) =>
        id is null ? null : companies is not null && companies.TryGetValue(id, out var old) ? OldPrefix + old : NewPrefix + id;

    /// <summary>The records of <paramref name="objectType"/> ("contact", "company", "deal") in a snapshot.</summary>
    public static IReadOnlyList<CrmRecord> Records(CrmSnapshot snapshot, string objectType) => objectType switch
    {
        "contact" => snapshot.Contacts,
        "company" => snapshot.Companies,
        "deal" => snapshot.Deals,
        _ => throw new ArgumentOutOfRangeException(nameof(objectType), objectType, "Only contacts, companies and deals are reconciled."),
    };

    /// <summary>True when <paramref name="key"/> can match records of <paramref name="objectType"/>.</summary>
    public static bool Applies(MatchKey key, string objectType) => key switch
    {
        MatchKey.ExternalId => true,
        MatchKey.Email => objectType == "contact",
        MatchKey.Domain => objectType == "company",
        MatchKey.Name => objectType is "company" or "deal",
        MatchKey.Duplicate => objectType is "contact" or "company",
        _ => false,
    };

    private static string? OldKey(MatchKey key, CrmRecord r) => key == MatchKey.ExternalId ? r.Id : Normalized(key, r);

    private static string? NewKey(MatchKey key, CrmRecord r, ObjectMatch match) =>
        key == MatchKey.ExternalId ? Trimmed(r.GetField(match.ExternalIdField ?? "id")) : Normalized(key, r);

    private static string? Normalized(MatchKey key, CrmRecord r) => key switch
    {
        MatchKey.Email => Trimmed(r.GetField("email"))?.ToLowerInvariant(),
        MatchKey.Domain => NormalizeDomain(r.GetField("domain")),
        MatchKey.Name => Trimmed(r.GetField("name")) is { } name ? string.Join(' ', name.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : null,
        _ => null,
    };

    private static string? Trimmed(string? value) => CrmRecord.IsFilled(value) ? value!.Trim() : null;

    /// <summary>"https://www.Acme.com/about" → "acme.com".</summary>
    public static string? NormalizeDomain(string? value)
    {
        if (Trimmed(value) is not { } d) return null;
        d = d.ToLowerInvariant();
        var scheme = d.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) d = d[(scheme + 3)..];
        var end = d.IndexOfAny(['/', '?', '#', ':']);
        if (end >= 0) d = d[..end];
        if (d.StartsWith("www.", StringComparison.Ordinal)) d = d[4..];
        d = d.TrimEnd('.');
        return d.Length == 0 ? null : d;
    }

    /// <summary>
    /// Runs the duplicate matcher over the unmatched records of both systems at once (ids prefixed so that equal ids of
    /// the two systems stay apart), and pairs the old and new records of each cluster in id order.
    /// </summary>
    private static void MatchDuplicates(string objectType, CrmSnapshot oldSnapshot, CrmSnapshot newSnapshot,
        Dictionary<string, (string, MatchKey)> matched, HashSet<string> taken, DedupeOptions dedupe, IReadOnlyDictionary<string, string>? companyMap)
    {
        IReadOnlyList<DuplicateCluster> clusters;
        if (objectType == "contact")
        {
            var contacts = oldSnapshot.Contacts.Where(c => !matched.ContainsKey(c.Id))
                .Select(c => c with { Id = OldPrefix + c.Id, CompanyId = c.CompanyId is null ? null : OldPrefix + c.CompanyId })
                .Concat(newSnapshot.Contacts.Where(c => !taken.Contains(c.Id))
                    .Select(c => c with { Id = NewPrefix + c.Id, CompanyId = NewCompany(c.CompanyId, companyMap) }))
                .ToList();
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in oldSnapshot.Companies) if (CrmRecord.IsFilled(c.Name)) names.TryAdd(OldPrefix + c.Id, c.Name!);
            foreach (var c in newSnapshot.Companies) if (CrmRecord.IsFilled(c.Name)) names.TryAdd(NewPrefix + c.Id, c.Name!);
            clusters = Deduplicator.FindContactClusters(contacts, names, dedupe);
        }
        else if (objectType == "company")
        {
            var companies = oldSnapshot.Companies.Where(c => !matched.ContainsKey(c.Id)).Select(c => c with { Id = OldPrefix + c.Id })
                .Concat(newSnapshot.Companies.Where(c => !taken.Contains(c.Id)).Select(c => c with { Id = NewPrefix + c.Id }))
                .ToList();
            clusters = Deduplicator.FindCompanyClusters(companies, dedupe);
        }
        else
        {
            return;
        }
        foreach (var cluster in clusters)
        {
            var olds = cluster.RecordIds.Where(id => id.StartsWith(OldPrefix, StringComparison.Ordinal)).Select(id => id[OldPrefix.Length..])
                .Where(id => !matched.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
            var news = cluster.RecordIds.Where(id => id.StartsWith(NewPrefix, StringComparison.Ordinal)).Select(id => id[NewPrefix.Length..])
                .Where(id => !taken.Contains(id)).Order(StringComparer.Ordinal).ToList();
            for (var i = 0; i < Math.Min(olds.Count, news.Count); i++)
            {
                matched[olds[i]] = (news[i], MatchKey.Duplicate);
                taken.Add(news[i]);
            }
        }
    }
}
