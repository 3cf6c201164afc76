using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// Finds duplicate contacts and companies without any vendor key: blocking, scored comparison, clustering.
/// PLACEHOLDER (contract for issue 3): clusters by exact trimmed, lower-cased e-mail (contacts) or domain (companies)
/// only; the real matcher replaces the bodies, keeping these signatures.
/// </summary>
public static class Deduplicator
{
    /// <summary>Duplicate clusters among <paramref name="contacts"/> (clusters of two or more, survivor first).</summary>
    /// <param name="companyNames">Company id → name, used to compare the contacts' companies by name.</param>
    public static IReadOnlyList<DuplicateCluster> FindContactClusters(
        IReadOnlyList<Contact> contacts, IReadOnlyDictionary<string, string> companyNames, DedupeOptions options) =>
        ByKey("contact", contacts, c => c.Email);

    /// <summary>Duplicate clusters among <paramref name="companies"/> (clusters of two or more, survivor first).</summary>
    public static IReadOnlyList<DuplicateCluster> FindCompanyClusters(IReadOnlyList<Company> companies, DedupeOptions options) =>
        ByKey("company", companies, c => c.Domain);

    private static List<DuplicateCluster> ByKey<T>(string obj, IReadOnlyList<T> records, Func<T, string?> key) where T : CrmRecord =>
        records
            .Select(r => (Record: r, Key: key(r)?.Trim().ToLowerInvariant()))
            .Where(x => !string.IsNullOrEmpty(x.Key))
            .GroupBy(x => x.Key!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => new DuplicateCluster(obj, g.Select(x => x.Record)
                .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList()))
            .OrderBy(c => c.SurvivorId, StringComparer.Ordinal)
            .ToList();
}
