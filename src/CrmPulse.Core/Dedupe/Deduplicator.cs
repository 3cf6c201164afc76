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
        IReadOnlyList<Contact> contacts, IReadOnlyDictionary<string, string> companyNames, DedupeOptions options) =>
        FindContactClusters(contacts, companyNames, options, trace: null);

    /// <summary><see cref="FindContactClusters(IReadOnlyList{Contact}, IReadOnlyDictionary{string, string}, DedupeOptions)"/>,
    /// its phases written to <paramref name="trace"/> (the benchmark's figures).</summary>
    internal static IReadOnlyList<DuplicateCluster> FindContactClusters(
        IReadOnlyList<Contact> contacts, IReadOnlyDictionary<string, string> companyNames, DedupeOptions options, DedupeTrace? trace)
    {
        _ = companyNames;
        var extras = options.Extras();
        return MatchPrepared(Prepare(contacts, extras), options, extras, withPairs: false, trace).Clusters;
    }

    /// <summary>Every contact prepared (on every core), read from the columns when <paramref name="contacts"/> are (<see cref="ContactInputs"/>).</summary>
    private static PreparedPerson[] Prepare(IReadOnlyList<Contact> contacts, IReadOnlyList<ExtraField> extras)
    {
        var inputs = new ContactInputs(contacts, extras, new StringPool());
        var prepared = new PreparedPerson[inputs.Count];
        Parallel.For(0, prepared.Length, Parallelism.OnCores, i => prepared[i] = inputs.Prepare(i));
        return prepared;
    }

    /// <summary>The matcher's view of a contact: read straight from the contact (as <see cref="PersonRecord.FromContact"/>
    /// does), without an intermediate record. <see cref="ContactFingerprint"/> must read exactly these fields.</summary>
    internal static PreparedPerson PrepareContact(Contact c, IReadOnlyList<ExtraField> extras, StringPool? pool)
    {
        // By id, as PreparedPerson.CompanyKey does: two company records are two companies, however alike their names.
        var company = c.CompanyId is { Length: > 0 } id ? "#" + id : null;
        return new PreparedPerson(c.Id, c.CreatedAt, c.FirstName, c.LastName, c.Email, c.Phone, company,
            PersonRecord.Custom(c, "street"), PersonRecord.Custom(c, "city"), PersonRecord.Custom(c, "postcode"),
            PersonRecord.Custom(c, "state"), PersonRecord.Custom(c, "birth_date"), pool,
            extras.Count == 0 || c.Custom.Count == 0 ? null : PreparedPerson.PrepareExtra(extras, c.Custom, pool));
    }

    /// <summary>A hash of everything <see cref="PrepareContact"/> reads (and the creation time, which picks the
    /// survivor): the incremental matcher takes a contact whose fingerprint changed as changed.</summary>
    internal static long ContactFingerprint(Contact c, IReadOnlyList<ExtraField> extras)
    {
        var h = Fingerprint.Start.Add(c.Id).Add(c.CreatedAt.UtcTicks).Add(c.FirstName).Add(c.LastName).Add(c.Email).Add(c.Phone)
            .Add(c.CompanyId).Add(PersonRecord.Custom(c, "street")).Add(PersonRecord.Custom(c, "city"))
            .Add(PersonRecord.Custom(c, "postcode")).Add(PersonRecord.Custom(c, "state")).Add(PersonRecord.Custom(c, "birth_date"));
        foreach (var e in extras) h = h.Add(c.Custom.GetValueOrDefault(e.Name));
        return h.Value;
    }

    /// <summary>Duplicate clusters among <paramref name="companies"/> (clusters of two or more, survivor first).</summary>
    public static IReadOnlyList<DuplicateCluster> FindCompanyClusters(IReadOnlyList<Company> companies, DedupeOptions options) =>
        FindCompanyClusters(companies, options, trace: null);

    /// <summary><see cref="FindCompanyClusters(IReadOnlyList{Company}, DedupeOptions)"/>, its phases written to
    /// <paramref name="trace"/> (the benchmark's figures).</summary>
    internal static IReadOnlyList<DuplicateCluster> FindCompanyClusters(IReadOnlyList<Company> companies, DedupeOptions options, DedupeTrace? trace)
    {
        // From columns without a record per company (CompanyInputs).
        var inputs = new CompanyInputs(companies);
        var prepared = new PreparedCompany[inputs.Count];
        for (var i = 0; i < prepared.Length; i++) prepared[i] = inputs.Prepare(i);
        return Match(CompanyKind, prepared, options, withPairs: false, out _, trace: trace).Clusters;
    }

    /// <summary>How companies are matched.</summary>
    internal static readonly MatchKind<PreparedCompany> CompanyKind = new("company",
        static (in PreparedCompany c) => c.Id, static (in PreparedCompany c) => (DateTimeOffset?)c.CreatedAt,
        static (in PreparedCompany c, Span<long> keys) => c.AddKeys(keys), PreparedCompany.MaxKeys,
        PreparedCompany.Score, PreparedCompany.Reason, null);

    /// <summary>How people are matched with these extra fields.</summary>
    internal static MatchKind<PreparedPerson> PersonKind(IReadOnlyList<ExtraField> extras) => new("contact",
        static (in PreparedPerson p) => p.Id, static (in PreparedPerson p) => p.CreatedAt,
        static (in PreparedPerson p, Span<long> keys) => p.AddKeys(keys), PreparedPerson.MaxKeys,
        extras.Count == 0 ? static (in PreparedPerson a, in PreparedPerson b, double t) => PersonScorer.Score(a, b, t)
            : (in PreparedPerson a, in PreparedPerson b, double t) => PersonScorer.Score(a, b, t, extras),
        extras.Count == 0 ? static (in PreparedPerson a, in PreparedPerson b) => PersonScorer.Reason(a, b)
            : (in PreparedPerson a, in PreparedPerson b) => PersonScorer.Reason(a, b, extras),
        static (in PreparedPerson p) => p.SortKey()) { Judged = PersonLevels.Judged };

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
        Parallel.For(0, prepared.Length, Parallelism.OnCores, i => prepared[i] = new PreparedPerson(people[i], PreparedPerson.CompanyKey(people[i]), pool, extras));
        return MatchPrepared(prepared, options, extras, withPairs: true);
    }

    private static DedupeResult MatchPrepared(PreparedPerson[] prepared, DedupeOptions options, IReadOnlyList<ExtraField> extras, bool withPairs,
        DedupeTrace? trace = null) =>
        Match(PersonKind(extras), prepared, options, withPairs, out _, FitPeople(prepared, options, extras), trace);

    /// <summary>Whether contacts are scored by fitted weights: <see cref="DedupeWeights.Fitted"/> and at least
    /// <see cref="DedupeOptions.MinRecordsForFit"/> records (else the fixed weights: a few hundred records hold too few
    /// true pairs for EM).</summary>
    public static bool UsesFittedWeights(int contacts, DedupeOptions options) =>
        options.Weights == DedupeWeights.Fitted && contacts >= options.MinRecordsForFit;

    /// <summary>
    /// With fitted weights (<see cref="UsesFittedWeights"/>), the scoring of a model fitted to these records and their
    /// candidates (<see cref="PersonModel"/>), its threshold and its link floor; otherwise null (the fixed weights).
    /// </summary>
    internal static Func<long[], int, Fitted<PreparedPerson>?>? FitPeople(PreparedPerson[] prepared, DedupeOptions options,
        IReadOnlyList<ExtraField> extras)
    {
        if (!UsesFittedWeights(prepared.Length, options)) return null;
        return (candidates, count) => count == 0 ? null : PersonScoring(PersonModel.Fit(prepared, candidates, count, extras), extras, options);
    }

    /// <summary>The scoring of a fitted <paramref name="model"/>, its threshold and its link floor.</summary>
    internal static Fitted<PreparedPerson> PersonScoring(PersonModel model, IReadOnlyList<ExtraField> extras, DedupeOptions options)
    {
        var levels = new PersonLevels(extras);
        return new Fitted<PreparedPerson>(
            (in PreparedPerson a, in PreparedPerson b, double t) => model.Score(a, b, levels, Math.Log2(t / (1 - t))),
            options.FittedThreshold, LinkFloorFor(options.FittedThreshold))
        {
            Model = model, Reason = (in PreparedPerson a, in PreparedPerson b) => model.Reason(a, b, levels),
        };
    }

    /// <summary>Duplicate clusters among <paramref name="contacts"/> scored by a given fitted <paramref name="model"/>
    /// (not one fitted to these contacts): what an incremental pass that kept the model of its last full match must find.</summary>
    internal static IReadOnlyList<DuplicateCluster> FindContactClusters(IReadOnlyList<Contact> contacts, DedupeOptions options, PersonModel model)
    {
        var extras = options.Extras();
        var prepared = Prepare(contacts, extras);
        var scoring = PersonScoring(model, extras, options);
        return Match(PersonKind(extras), prepared, options, withPairs: false, out _, (_, _) => scoring).Clusters;
    }

    /// <summary>The link floor of a threshold: 4 bits of log-odds under it, as 0.2 (W ≥ 7) is under 0.8 (W ≥ 11).</summary>
    internal static double LinkFloorFor(double threshold) => 1 / (1 + Math.Pow(2, 4 - Math.Log2(threshold / (1 - threshold))));

    /// <summary>A fitted scoring with its threshold and link floor.</summary>
    internal sealed record Fitted<T>(ScoreOf<T> Score, double Threshold, double LinkFloor)
    {
        /// <summary>The fitted model behind <see cref="Score"/> (kept with the incremental matcher's state).</summary>
        public PersonModel? Model { get; init; }

        /// <summary>Why a pair matched under this scoring (the fitted levels and their bits), or null for the kind's own.</summary>
        public ReasonOf<T>? Reason { get; init; }

        /// <summary>The kind scored, and its matches explained, by this fit.</summary>
        public MatchKind<T> Apply(MatchKind<T> kind) => kind with { Score = Score, Reason = Reason ?? kind.Reason };
    }

    // Records are read in place (in): a prepared person is a struct, never copied per call.

    /// <summary>Writes a record's blocking keys into the span and returns how many.</summary>
    internal delegate int KeysOf<T>(in T record, Span<long> keys);

    /// <summary>A field of a record.</summary>
    internal delegate TResult FieldOf<T, out TResult>(in T record);

    /// <summary>The match probability of a pair (some value below the threshold when it cannot reach it).</summary>
    internal delegate double ScoreOf<T>(in T a, in T b, double threshold);

    /// <summary>Why a pair matched.</summary>
    internal delegate string ReasonOf<T>(in T a, in T b);

    /// <summary>How one object is matched: its fields, blocking keys, large-block order, score and reason.</summary>
    internal sealed record MatchKind<T>(string ObjectType, FieldOf<T, string> IdOf, FieldOf<T, DateTimeOffset?> CreatedOf,
        KeysOf<T> KeysOf, int MaxKeys, ScoreOf<T> Score, ReasonOf<T> Reason, FieldOf<T, long>? SortKeyOf)
    {
        /// <summary>Whether a pair has something besides names to be judged by (null: every pair has).</summary>
        public PairTest<T>? Judged { get; init; }
    }

    /// <summary>A yes or no about a pair.</summary>
    internal delegate bool PairTest<T>(in T a, in T b);

    /// <summary>When two clusters meet, a pair between them that did not match still counts as a link at this
    /// probability or more (0.2: W ≥ 7 bits, e.g. the same name with a street that differs): it does not contradict
    /// the cluster, though alone it would not have made one.</summary>
    internal const double LinkFloor = 0.2;

    private static DedupeResult Match<T>(MatchKind<T> kind, T[] records, DedupeOptions options, bool withPairs) =>
        Match(kind, records, options, withPairs, out _);

    /// <param name="matches">The pairs at or above the threshold, by record index, in candidate order.</param>
    /// <param name="fit">Fits a scoring to the candidates (fitted weights), or null for the kind's own scoring.</param>
    /// <param name="recordKeys">Every record's blocking keys already written (<see cref="BlockMatcher.RecordKeys"/>), left
    /// as they are; null writes them here.</param>
    internal static DedupeResult Match<T>(MatchKind<T> kind, T[] records, DedupeOptions options, bool withPairs, out List<BlockMatcher.Match> matches,
        Func<long[], int, Fitted<T>?>? fit = null, DedupeTrace? trace = null, (long[] Keys, int[] Counts)? recordKeys = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        trace?.Mark("start");
        var sortKeyOf = kind.SortKeyOf;
        Func<int, long>? order = sortKeyOf is null ? null : i => sortKeyOf(records[i]);
        var (candidates, candidateCount) = recordKeys is { } written
            ? BlockMatcher.Candidates(written.Keys, written.Counts, reuse: false, options.MaxBlockSize, options.LargeBlockWindow, order, trace)
            : BlockMatcher.Candidates(records.Length, kind.MaxKeys, (i, span) => kind.KeysOf(records[i], span),
                options.MaxBlockSize, options.LargeBlockWindow, order, trace);
        var blocked = clock.Elapsed.TotalSeconds;
        trace?.Mark("keys and candidates");
        var (threshold, linkFloor) = (options.Threshold, LinkFloor);
        if (fit?.Invoke(candidates, candidateCount) is { } fitted)
        {
            (kind, threshold, linkFloor) = (fitted.Apply(kind), fitted.Threshold, fitted.LinkFloor);
        }
        var fittedAt = clock.Elapsed.TotalSeconds;
        trace?.Mark("fit");
        var (idOf, score, reason) = (kind.IdOf, kind.Score, kind.Reason);
        matches = BlockMatcher.Score(candidates, candidateCount, (i, j) => score(records[i], records[j], threshold), threshold);
        candidates = []; // the biggest array of the run: let it go before clustering
        var scored = clock.Elapsed.TotalSeconds;
        trace?.Mark("score");
        var clusters = Cluster(kind, i => records[i], matches, options, linkFloor);
        if (trace is not null)
        {
            (trace.Candidates, trace.Matches) = (candidateCount, matches.Count);
            (trace.BlockSeconds, trace.FitSeconds, trace.ScoreSeconds) = (blocked, fittedAt - blocked, scored - fittedAt);
            trace.ClusterSeconds = clock.Elapsed.TotalSeconds - scored;
            trace.Mark("cluster");
            var digest = Fingerprint.Start;
            foreach (var m in matches) digest = digest.Add(idOf(records[m.Left])).Add(idOf(records[m.Right])).Add(BitConverter.DoubleToInt64Bits(m.Score));
            trace.MatchDigest = digest.Value;
            digest = Fingerprint.Start;
            foreach (var c in clusters) foreach (var id in c.RecordIds) digest = digest.Add(id);
            trace.ClusterDigest = digest.Value;
        }

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

    /// <summary>The clusters of <paramref name="matches"/> (in candidate order), survivor first, with their reasons,
    /// by survivor id. The incremental matcher calls this with the matches of the components a change touched.</summary>
    internal static List<DuplicateCluster> Cluster<T>(MatchKind<T> kind, Func<int, T> recordOf, IReadOnlyList<BlockMatcher.Match> matches,
        DedupeOptions options, double linkFloor = LinkFloor)
    {
        var (idOf, createdOf, score, reason) = (kind.IdOf, kind.CreatedOf, kind.Score, kind.Reason);
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
        var texts = new Dictionary<string, string>(StringComparer.Ordinal); // the reason texts, each held once
        // Pairs between two clusters that blocking never proposed are compared when the clusters meet: a true member
        // whose other records blocking missed is not held against the cluster, a look-alike that disagrees is.
        // A pair with nothing but names to compare (kind.Judged) cannot be judged, and counts neither way.
        var judged = kind.Judged;
        bool? Holds(int i, int j) => judged is not null && !judged(recordOf(i), recordOf(j)) ? null
            : score(recordOf(i), recordOf(j), linkFloor) >= linkFloor;
        foreach (var component in BlockMatcher.Clusters(matches, options.MinLinkShare, Holds))
        {
            var members = component.ToHashSet();
            // The survivor is the oldest record (unknown creation times sort last), then the smallest id.
            var ordered = component
                .OrderBy(i => createdOf(recordOf(i)) ?? DateTimeOffset.MaxValue)
                .ThenBy(i => idOf(recordOf(i)), StringComparer.Ordinal)
                .ToList();
            var survivor = ordered[0];
            var why = new string?[ordered.Count - 1];
            for (var k = 1; k < ordered.Count; k++)
            {
                var d = ordered[k];
                // The match with the survivor when there is one, otherwise the best match inside the cluster.
                var best = byRecord[d].Where(m => members.Contains(m.Left) && members.Contains(m.Right))
                    .OrderByDescending(m => m.Left == survivor || m.Right == survivor).ThenByDescending(m => m.Score).First();
                var other = best.Left == d ? best.Right : best.Left;
                var text = reason(recordOf(d), recordOf(other));
                why[k - 1] = other == survivor ? text : $"via {idOf(recordOf(other))}: {text}";
            }
            var ids = ordered.Select(i => idOf(recordOf(i))).ToList();
            clusters.Add(new DuplicateCluster(kind.ObjectType, ids) { Reasons = DuplicateReasons.Of(ids, why, texts) });
        }
        clusters.Sort((a, b) => string.CompareOrdinal(a.SurvivorId, b.SurvivorId));
        return clusters;
    }
}
