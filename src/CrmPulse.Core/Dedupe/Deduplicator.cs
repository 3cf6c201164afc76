using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// Finds duplicate contacts and companies without any vendor key: blocking on cheap keys, a scored comparison of the
/// candidate pairs, then clustering (see <see cref="BlockMatcher"/>, <see cref="PersonScorer"/> and the README's
/// "Deduplication" section for the keys, weights and measured accuracy).
/// </summary>
public static class Deduplicator
{
    /// <summary>Duplicate clusters among <paramref name="contacts"/> (clusters of two or more, survivor first).</summary>
    /// <param name="companyNames">Company id → name. Contacts are compared by their company ids (a CRM contact's company
    /// always has one), so the names are not needed for matching; the parameter stays for the callers.</param>
    public static IReadOnlyList<DuplicateCluster> FindContactClusters(
        IReadOnlyList<Contact> contacts, IReadOnlyDictionary<string, string> companyNames, DedupeOptions options)
    {
        _ = companyNames;
        var prepared = new PreparedPerson[contacts.Count];
        var pool = new StringPool();
        var extras = options.Extras();
        Parallel.For(0, prepared.Length, i =>
        {
            // Read straight from the contact (as PersonRecord.FromContact does), without an intermediate record.
            var c = contacts[i];
            // By id, as PreparedPerson.CompanyKey does: two company records are two companies, however alike their names.
            var company = c.CompanyId is { Length: > 0 } id ? "#" + id : null;
            prepared[i] = new PreparedPerson(c.Id, c.CreatedAt, c.FirstName, c.LastName, c.Email, c.Phone, company,
                PersonRecord.Custom(c, "street"), PersonRecord.Custom(c, "city"), PersonRecord.Custom(c, "postcode"),
                PersonRecord.Custom(c, "state"), PersonRecord.Custom(c, "birth_date"), pool,
                extras.Count == 0 || c.Custom.Count == 0 ? null : PreparedPerson.PrepareExtra(extras, e => c.Custom.GetValueOrDefault(e.Name), pool));
        });
        return MatchPrepared(prepared, options, extras, withPairs: false).Clusters;
    }

    /// <summary>Duplicate clusters among <paramref name="companies"/> (clusters of two or more, survivor first).</summary>
    public static IReadOnlyList<DuplicateCluster> FindCompanyClusters(IReadOnlyList<Company> companies, DedupeOptions options) =>
        Match("company", companies.Select(c => new PreparedCompany(c)).ToArray(),
            static (in PreparedCompany c) => c.Id, static (in PreparedCompany c) => (DateTimeOffset?)c.CreatedAt,
            static (in PreparedCompany c, Span<long> keys) => c.AddKeys(keys), PreparedCompany.MaxKeys,
            PreparedCompany.Score, PreparedCompany.Reason, options, withPairs: false).Clusters;

    /// <summary>
    /// Matches people (e.g. the rows of a contacts CSV): the pairs at or above <see cref="DedupeOptions.Threshold"/>
    /// with their scores and reasons, and the clusters they form (object "contact").
    /// </summary>
    /// <exception cref="ArgumentException">Two records share an id.</exception>
    public static DedupeResult MatchPeople(IReadOnlyList<PersonRecord> people, DedupeOptions options)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in people)
        {
            if (!ids.Add(p.Id)) throw new ArgumentException($"Two records have the id '{p.Id}'; ids must be unique.", nameof(people));
        }
        var prepared = new PreparedPerson[people.Count];
        var pool = new StringPool();
        var extras = options.Extras();
        Parallel.For(0, prepared.Length, i => prepared[i] = new PreparedPerson(people[i], PreparedPerson.CompanyKey(people[i]), pool, extras));
        return MatchPrepared(prepared, options, extras, withPairs: true);
    }

    private static DedupeResult MatchPrepared(PreparedPerson[] prepared, DedupeOptions options, IReadOnlyList<ExtraField> extras, bool withPairs) =>
        Match("contact", prepared, static (in PreparedPerson p) => p.Id, static (in PreparedPerson p) => p.CreatedAt,
            static (in PreparedPerson p, Span<long> keys) => p.AddKeys(keys), PreparedPerson.MaxKeys,
            extras.Count == 0 ? static (in PreparedPerson a, in PreparedPerson b, double t) => PersonScorer.Score(a, b, t)
                : (in PreparedPerson a, in PreparedPerson b, double t) => PersonScorer.Score(a, b, t, extras),
            extras.Count == 0 ? static (in PreparedPerson a, in PreparedPerson b) => PersonScorer.Reason(a, b)
                : (in PreparedPerson a, in PreparedPerson b) => PersonScorer.Reason(a, b, extras),
            options, withPairs, static (in PreparedPerson p) => p.SortKey());

    // Records are read in place (in): a prepared person is a struct, never copied per call.

    /// <summary>Writes a record's blocking keys into the span and returns how many.</summary>
    private delegate int KeysOf<T>(in T record, Span<long> keys);

    /// <summary>A field of a record.</summary>
    private delegate TResult FieldOf<T, out TResult>(in T record);

    /// <summary>The match probability of a pair (some value below the threshold when it cannot reach it).</summary>
    private delegate double ScoreOf<T>(in T a, in T b, double threshold);

    /// <summary>Why a pair matched.</summary>
    private delegate string ReasonOf<T>(in T a, in T b);

    /// <summary>When two clusters meet, a pair between them that did not match still counts as a link at this
    /// probability or more (0.2: W ≥ 7 bits, e.g. the same name with a street that differs): it does not contradict
    /// the cluster, though alone it would not have made one.</summary>
    internal const double LinkFloor = 0.2;

    private static DedupeResult Match<T>(string objectType, T[] records, FieldOf<T, string> idOf, FieldOf<T, DateTimeOffset?> createdOf,
        KeysOf<T> keysOf, int maxKeys, ScoreOf<T> score, ReasonOf<T> reason, DedupeOptions options, bool withPairs,
        FieldOf<T, long>? sortKeyOf = null)
    {
        var (candidates, candidateCount) = BlockMatcher.Candidates(records.Length, maxKeys, (i, keys) => keysOf(records[i], keys), options.MaxBlockSize,
            options.LargeBlockWindow, sortKeyOf is null ? null : i => sortKeyOf(records[i]));
        var matches = BlockMatcher.Score(candidates, candidateCount, (i, j) => score(records[i], records[j], options.Threshold), options.Threshold);
        candidates = []; // the biggest array of the run: let it go before clustering

        var byRecord = new Dictionary<int, List<BlockMatcher.Match>>();
        foreach (var m in matches)
        {
            foreach (var i in new[] { m.Left, m.Right })
            {
                if (!byRecord.TryGetValue(i, out var list)) byRecord[i] = list = [];
                list.Add(m);
            }
        }

        var clusters = new List<DuplicateCluster>();
        // Pairs between two clusters that blocking never proposed are compared when the clusters meet: a true member
        // whose other records blocking missed is not held against the cluster, a look-alike that disagrees is.
        bool Holds(int i, int j) => score(records[i], records[j], LinkFloor) >= LinkFloor;
        foreach (var component in BlockMatcher.Clusters(matches, options.MinLinkShare, Holds))
        {
            var members = component.ToHashSet();
            // The survivor is the oldest record (unknown creation times sort last), then the smallest id.
            var ordered = component
                .OrderBy(i => createdOf(records[i]) ?? DateTimeOffset.MaxValue)
                .ThenBy(i => idOf(records[i]), StringComparer.Ordinal)
                .ToList();
            var survivor = ordered[0];
            var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var d in ordered.Skip(1))
            {
                // The match with the survivor when there is one, otherwise the best match inside the cluster.
                var best = byRecord[d].Where(m => members.Contains(m.Left) && members.Contains(m.Right))
                    .OrderByDescending(m => m.Left == survivor || m.Right == survivor).ThenByDescending(m => m.Score).First();
                var other = best.Left == d ? best.Right : best.Left;
                var why = reason(records[d], records[other]);
                reasons[idOf(records[d])] = other == survivor ? why : $"via {idOf(records[other])}: {why}";
            }
            clusters.Add(new DuplicateCluster(objectType, ordered.Select(i => idOf(records[i])).ToList()) { Reasons = reasons });
        }
        clusters.Sort((a, b) => string.CompareOrdinal(a.SurvivorId, b.SurvivorId));

        var pairs = new List<DuplicatePair>();
        if (withPairs)
        {
            foreach (var m in matches)
            {
                var (l, r) = string.CompareOrdinal(idOf(records[m.Left]), idOf(records[m.Right])) <= 0 ? (m.Left, m.Right) : (m.Right, m.Left);
                pairs.Add(new DuplicatePair(idOf(records[l]), idOf(records[r]), m.Score, reason(records[l], records[r])));
            }
            pairs.Sort((a, b) => string.CompareOrdinal(a.LeftId, b.LeftId) is var c && c != 0 ? c : string.CompareOrdinal(a.RightId, b.RightId));
        }
        return new DedupeResult(pairs, clusters, candidateCount);
    }
}
