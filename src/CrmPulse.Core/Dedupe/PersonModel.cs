using System.Text.Json;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// An unsupervised Fellegi–Sunter model of people, fitted to the records it then scores (<see cref="DedupeWeights.Fitted"/>):
/// each field's comparison falls into a level (<see cref="PersonLevels"/>: exact, close, far, … or missing), each level
/// has an m probability (among true pairs) and a u probability (among random pairs), and a pair's weight is the sum of
/// log2(m / u) over its fields.
/// </summary>
/// <remarks>
/// <para>No labels. u of an exact agreement is counted from the values themselves (the share of record pairs with one
/// value, Σ n(n − 1) / P(P − 1)), u of the other levels from random pairs (a fixed seed, so a run is repeatable). m comes
/// from expectation–maximisation over a bounded sample of the candidate pairs, in sessions as Splink trains: the pairs
/// that agree exactly on the e-mail, the phone, the birth date or both names, that field left out (the pairs were
/// chosen for agreeing on it, so it says nothing of m there); a field's m is the mean over the sessions that saw it.</para>
/// <para>The prior is over all pairs, not over the candidates: λ, the share of true pairs among the candidates (EM with
/// m and u fixed), times the candidates, over the N(N − 1)/2 pairs of the input. The weights are odds against two
/// random records, so the prior must be too: among 400,000 contacts a pair starts about 21 bits down, among a
/// thousand about 10, and the namesakes that a larger population holds do not pass as it grows.</para>
/// <para>Term frequencies: an exact agreement on a first name, last name, city or birth date weighs log2(m / f), f the
/// share of records with that value, instead of log2(m / u): "smith" weighs less than "zarkovic".</para>
/// </remarks>
internal sealed class PersonModel
{
    private readonly int[] _levelCount;
    private readonly double[][] _m;
    private readonly double[][] _u;
    private readonly Dictionary<string, double>?[] _tf;
    private readonly double[][] _weight;
    private readonly double[] _maxWeight;
    private readonly double[] _maxInexact;
    // The fields by their largest weight, heaviest first: the order in which LogOdds replaces a cheap field's best by
    // its weight (the heaviest can lower the bound the most).
    private readonly int[] _heaviestFirst;
    // Per term-frequency field, the weight of an exact agreement on each value (log2(m / share)), computed once.
    private readonly Dictionary<string, double>?[] _tfWeight;

    /// <summary>log2 of the prior odds that two records of the input are one person.</summary>
    public double Prior { get; }

    /// <summary>The share of true pairs among the candidates, as EM found it.</summary>
    public double CandidateLambda { get; }

    /// <param name="tf">Per field with term-frequency adjustment, the share of records with each value.</param>
    public PersonModel(int[] levelCount, double[][] m, double[][] u, double prior, double candidateLambda, Dictionary<string, double>?[] tf)
    {
        (_levelCount, _m, _u, _tf, Prior, CandidateLambda) = (levelCount, m, u, tf, prior, candidateLambda);
        _weight = new double[levelCount.Length][];
        _maxWeight = new double[levelCount.Length];
        _maxInexact = new double[levelCount.Length];
        _heaviestFirst = new int[levelCount.Length];
        _tfWeight = new Dictionary<string, double>?[levelCount.Length];
        for (var f = 0; f < levelCount.Length; f++)
        {
            _weight[f] = new double[levelCount[f]];
            for (var l = 1; l < levelCount[f]; l++) _weight[f][l] = Math.Log2(m[f][l] / u[f][l]);
            _maxWeight[f] = _weight[f].Max();
            _maxInexact[f] = _weight[f].Skip(2).DefaultIfEmpty(0).Max();
            _heaviestFirst[f] = f;
            if (tf[f] is not { } shares) continue;
            var weights = new Dictionary<string, double>(shares.Count, StringComparer.Ordinal);
            // The chance that two random records agree on this very value is its share.
            foreach (var (v, share) in shares) weights[v] = Math.Log2(m[f][1] / Math.Max(share, u[f][1] / TfCap));
            _tfWeight[f] = weights;
            _maxWeight[f] = Math.Max(_maxWeight[f], Math.Log2(m[f][1] / (u[f][1] / TfCap)));
        }
        // Stable: equal weights in field order.
        _heaviestFirst = [.. _heaviestFirst.OrderByDescending(f => _maxWeight[f])];
    }

    private sealed record Data(int[] LevelCount, double[][] M, double[][] U, double Prior, double CandidateLambda,
        Dictionary<string, double>?[] Tf);

    /// <summary>The model as JSON (what the incremental matcher keeps with its state): m, u, the prior, λ and the
    /// term-frequency shares. Doubles round-trip exactly, so <see cref="FromJson"/> scores every pair to the bit.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Data(_levelCount, _m, _u, Prior, CandidateLambda, _tf), Json);

    // m, u and the prior are finite in practice; a degenerate fit (NaN, ∞) is still written and read back, not a failed pass.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The model <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The text is not such a model.</exception>
    public static PersonModel FromJson(string json)
    {
        Data? data;
        try
        {
            data = JsonSerializer.Deserialize<Data>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"A stored dedupe model is not valid JSON: {e.Message}", e);
        }
        if (data is not { LevelCount: { } levels, M: { } m, U: { } u, Tf: { } tf } || m.Length != levels.Length || u.Length != levels.Length
            || tf.Length < levels.Length || Enumerable.Range(0, levels.Length).Any(f => m[f]?.Length != levels[f] || u[f]?.Length != levels[f]))
            throw new InvalidDataException("A stored dedupe model does not have one m and u per level of each field.");
        var shares = tf.Select(t => t is null ? null : new Dictionary<string, double>(t, StringComparer.Ordinal)).ToArray();
        return new PersonModel(levels, m, u, data.Prior, data.CandidateLambda, shares);
    }

    /// <summary>The fitted m and u of one field's levels (index 0, missing, unused).</summary>
    public (double[] M, double[] U) Levels(int field) => (_m[field], _u[field]);

    /// <summary>The weight (bits) of a level of a field, without term frequencies.</summary>
    public double Weight(int field, int level) => _weight[field][level];

    /// <summary>A rare value weighs at most log2(TfCap) bits more than the field's average exact agreement: a value seen
    /// twice among a thousand records says less than its share suggests (typos of common values are rare values too).</summary>
    public const double TfCap = 16;

    /// <summary>The most candidate pairs EM reads (a fixed-stride sample of them): the fit costs the same at a million
    /// records as at a hundred thousand.</summary>
    public const int MaxTrainingPairs = 100_000;

    /// <summary>How many random pairs estimate u of the levels other than exact agreement.</summary>
    public const int RandomPairs = 100_000;

    /// <summary>Fits the model to <paramref name="records"/> and their candidate pairs (packed i &lt;&lt; 32 | j).</summary>
    public static PersonModel Fit(PreparedPerson[] records, long[] candidates, int candidateCount, IReadOnlyList<ExtraField> extras)
    {
        var levels = new PersonLevels(extras);
        var fields = levels.Fields;
        var (tf, exactU) = ValueShares(records);

        // u: level frequencies among random pairs, one pseudo-count per level so that no level is impossible; the
        // exact level then from the values' shares (random pairs see a 1-in-100,000 agreement on a company too rarely).
        var n = records.Length;
        var samples = (int)Math.Min(RandomPairs, (long)n * (n - 1) / 2);
        var uCounts = NewCounts(levels.LevelCount, 1);
        var random = new Random(20260101);
        Span<byte> lv = stackalloc byte[PersonLevels.MaxFields];
        for (var s = 0; s < samples; s++)
        {
            var i = random.Next(n);
            var j = random.Next(n - 1);
            if (j >= i) j++;
            levels.Compare(records[i], records[j], lv);
            for (var f = 0; f < fields; f++) uCounts[f][lv[f]]++;
        }
        var u = Normalize(uCounts);
        for (var f = 0; f < PersonLevels.StandardFields; f++)
        {
            if (exactU[f] is not { } shared || shared <= 0) continue;
            // Never 1: a field every record has alike (one city for all) still leaves the other levels possible.
            var exact = Math.Min(shared, 1 - 1e-6);
            var rest = 1 - u[f][1];
            for (var l = 2; l < u[f].Length; l++) u[f][l] = rest <= 0 ? (1 - exact) / (u[f].Length - 2) : u[f][l] / rest * (1 - exact);
            u[f][1] = exact;
        }

        var patterns = Patterns(records, candidates, candidateCount, levels);
        var m = TrainM(patterns, u, levels.LevelCount);
        var (_, lambda) = Em(patterns, u, m, 0.1, held: [], fitM: false);
        // The share among the candidates, scaled to all pairs: the true pairs blocking found over every pair there is.
        var allPairs = (double)n * (n - 1) / 2;
        var truePairs = Math.Max(lambda * candidateCount, 1);
        var prior = Math.Log2(truePairs / Math.Max(allPairs - truePairs, 1));
        return new PersonModel(levels.LevelCount, m, u, prior, lambda, tf);
    }

    /// <summary>The level patterns of the candidates (every k-th when there are more than <see cref="MaxTrainingPairs"/>),
    /// distinct with their counts.</summary>
    private static KeyValuePair<ulong, long>[] Patterns(PreparedPerson[] records, long[] candidates, int count, PersonLevels levels)
    {
        var stride = Math.Max(1, (count + MaxTrainingPairs - 1) / MaxTrainingPairs);
        var taken = (count + stride - 1) / stride;
        const int chunk = 8192;
        var partial = new Dictionary<ulong, long>[(taken + chunk - 1) / chunk];
        Parallel.For(0, partial.Length, Parallelism.OnCores, c =>
        {
            var counts = new Dictionary<ulong, long>();
            Span<byte> lv = stackalloc byte[PersonLevels.MaxFields];
            for (var t = c * chunk; t < Math.Min(taken, (c + 1) * chunk); t++)
            {
                var k = t * stride;
                levels.Compare(records[(int)(candidates[k] >> 32)], records[(int)(candidates[k] & 0xFFFFFFFF)], lv);
                var key = PersonLevels.Pack(lv, levels.Fields);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            partial[c] = counts;
        });
        var patterns = new Dictionary<ulong, long>();
        foreach (var counts in partial)
        {
            foreach (var (key, k) in counts) patterns[key] = patterns.GetValueOrDefault(key) + k;
        }
        // Sorted, so that sums run in one order and a fit is repeatable to the bit.
        return patterns.OrderBy(p => p.Key).ToArray();
    }

    /// <summary>A session needs this many pairs, and this many estimated true pairs, to count.</summary>
    private const int MinSessionPairs = 50, MinSessionMatches = 10;

    /// <summary>m by EM in sessions over the candidates (class remarks). A field no session saw keeps its start.</summary>
    private static double[][] TrainM(KeyValuePair<ulong, long>[] patterns, double[][] u, int[] levelCount)
    {
        var fields = levelCount.Length;
        var sums = NewCounts(levelCount, 0);
        var sessions = new int[fields];
        int[][] rules = [[PersonLevels.Email], [PersonLevels.Phone], [PersonLevels.Birth], [PersonLevels.First, PersonLevels.Last]];
        foreach (var held in rules)
        {
            var session = patterns.Where(p => held.All(f => PersonLevels.Level(p.Key, f) == 1)).ToArray();
            var pairs = session.Sum(p => p.Value);
            if (pairs < MinSessionPairs) continue;
            var (m, lambda) = Em(session, u, Start(levelCount), 0.5, held);
            if (lambda * pairs < MinSessionMatches) continue;
            for (var f = 0; f < fields; f++)
            {
                if (held.Contains(f) || !session.Any(p => PersonLevels.Level(p.Key, f) != 0)) continue;
                for (var l = 1; l < levelCount[f]; l++) sums[f][l] += m[f][l];
                sessions[f]++;
            }
        }
        var result = Start(levelCount);
        for (var f = 0; f < fields; f++)
        {
            if (sessions[f] == 0) continue;
            for (var l = 1; l < levelCount[f]; l++) result[f][l] = sums[f][l] / sessions[f];
        }
        return result;
    }

    /// <summary>The starting m: true pairs mostly agree exactly.</summary>
    private static double[][] Start(int[] levelCount)
    {
        var m = new double[levelCount.Length][];
        for (var f = 0; f < levelCount.Length; f++)
        {
            m[f] = new double[levelCount[f]];
            var rest = levelCount[f] - 2;
            m[f][1] = rest == 0 ? 1 : 0.8;
            for (var l = 2; l < levelCount[f]; l++) m[f][l] = 0.2 / rest;
        }
        return m;
    }

    /// <summary>
    /// Expectation–maximisation over level patterns (with their counts) with u fixed: m (unless <paramref name="fitM"/>
    /// is false) and λ, the share of true pairs, the fields in <paramref name="held"/> left out. Runs until no m or λ
    /// moves by more than 1e-9, at most <paramref name="iterations"/> times.
    /// </summary>
    internal static (double[][] M, double Lambda) Em(KeyValuePair<ulong, long>[] patterns, double[][] u, double[][] m, double lambda,
        int[] held, bool fitM = true, int iterations = 200)
    {
        var fields = u.Length;
        var levelCount = u.Select(x => x.Length).ToArray();
        m = m.Select(x => (double[])x.Clone()).ToArray();
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var counts = NewCounts(levelCount, 0);
            double matched = 0, total = 0;
            foreach (var (key, n) in patterns)
            {
                var logOdds = Math.Log2(lambda / (1 - lambda));
                for (var f = 0; f < fields; f++)
                {
                    var l = PersonLevels.Level(key, f);
                    if (l != 0 && Array.IndexOf(held, f) < 0) logOdds += Math.Log2(m[f][l] / u[f][l]);
                }
                var q = 1 / (1 + Math.Pow(2, Math.Clamp(-logOdds, -60, 60)));
                matched += q * n;
                total += n;
                for (var f = 0; f < fields; f++) counts[f][PersonLevels.Level(key, f)] += q * n;
            }
            var change = 0.0;
            if (fitM)
            {
                // A tiny pseudo-count keeps every level possible among true pairs.
                for (var f = 0; f < fields; f++) for (var l = 1; l < levelCount[f]; l++) counts[f][l] += 1e-3;
                var next = Normalize(counts);
                for (var f = 0; f < fields; f++)
                {
                    if (Array.IndexOf(held, f) >= 0) continue;
                    for (var l = 1; l < levelCount[f]; l++) change = Math.Max(change, Math.Abs(next[f][l] - m[f][l]));
                    m[f] = next[f];
                }
            }
            var nextLambda = Math.Clamp(matched / total, 1e-9, 1 - 1e-9);
            change = Math.Max(change, Math.Abs(nextLambda - lambda));
            lambda = nextLambda;
            if (change < 1e-9) break;
        }
        return (m, lambda);
    }

    private static double[][] NewCounts(int[] levelCount, double start)
    {
        var counts = new double[levelCount.Length][];
        for (var f = 0; f < levelCount.Length; f++)
        {
            counts[f] = new double[levelCount[f]];
            for (var l = 1; l < levelCount[f]; l++) counts[f][l] = start;
        }
        return counts;
    }

    /// <summary>Each field's counts over its levels 1.. as probabilities (level 0, missing, is left out).</summary>
    private static double[][] Normalize(double[][] counts)
    {
        var p = new double[counts.Length][];
        for (var f = 0; f < counts.Length; f++)
        {
            p[f] = new double[counts[f].Length];
            var sum = 0.0;
            for (var l = 1; l < counts[f].Length; l++) sum += counts[f][l];
            for (var l = 1; l < counts[f].Length; l++) p[f][l] = sum > 0 ? counts[f][l] / sum : 1.0 / (counts[f].Length - 1);
        }
        return p;
    }

    /// <summary>
    /// Per standard field, the share of records with each value (kept for the term-frequency fields: first, last, city,
    /// birth date), and u of an exact agreement: Σ n(n − 1) / P(P − 1) over the values, P the records with the field.
    /// </summary>
    internal static (Dictionary<string, double>?[] Tf, double?[] ExactU) ValueShares(PreparedPerson[] records)
    {
        var tf = new Dictionary<string, double>?[PersonLevels.MaxFields];
        var exactU = new double?[PersonLevels.StandardFields];
        // Not the e-mail and phone: nearly every value is one person's, and random pairs tell their exact u well enough.
        int[] fields = [PersonLevels.First, PersonLevels.Last, PersonLevels.Birth, PersonLevels.City, PersonLevels.Postcode, PersonLevels.Company];
        Parallel.ForEach(fields, Parallelism.OnCores, f =>
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            long total = 0;
            foreach (ref readonly var r in records.AsSpan())
            {
                if (PersonLevels.ValueOf(f, r) is not { } v) continue;
                // A year-only birth date is no full date: it never agrees exactly (PersonLevels.BirthLevel).
                if (f == PersonLevels.Birth && PreparedPerson.YearOnly(v)) continue;
                ref var c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, v, out _);
                c++;
                total++;
            }
            if (total < 2) return;
            double same = 0;
            foreach (var c in counts.Values) same += (double)c * (c - 1);
            exactU[f] = same / ((double)total * (total - 1));
            if (f is PersonLevels.First or PersonLevels.Last or PersonLevels.City or PersonLevels.Birth)
            {
                var shares = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
                foreach (var (v, c) in counts) shares[v] = (double)c / total;
                tf[f] = shares;
            }
        });
        return (tf, exactU);
    }

    /// <summary>The match probability of a pair (0..1) when its log-odds can reach <paramref name="needed"/>; otherwise
    /// some value below that.</summary>
    public double Score(in PreparedPerson a, in PreparedPerson b, PersonLevels levels, double needed = double.NegativeInfinity) =>
        LogOdds(a, b, levels, needed) is var w && double.IsNegativeInfinity(w) ? 0 : 1 / (1 + Math.Pow(2, -Math.Clamp(w, -200, 200)));

    /// <summary>log2 of the odds that the pair is one person: the prior plus each field's weight. When that cannot
    /// reach <paramref name="needed"/>, some value below it (an upper bound of the log-odds), found without comparing
    /// every field.</summary>
    /// <remarks>
    /// The bound starts with every field at its best for this pair (<see cref="NameBound"/> for the names; each other
    /// field both sides have at its largest weight); the cheap fields (exact or one edit) then replace their best by
    /// their weight one at a time, the heaviest first, and the comparison stops as soon as the bound falls short. Most
    /// candidates are namesakes who differ on the first e-mail, phone or company compared, so the remaining fields'
    /// strings are never read. Only a pair whose cheap fields leave the threshold reachable has its names, street and
    /// city compared (Jaro-Winkler). The result of a pair that can reach <paramref name="needed"/> is the same sum, in
    /// the same order, as without a bound.
    /// </remarks>
    public double LogOdds(in PreparedPerson a, in PreparedPerson b, PersonLevels levels, double needed = double.NegativeInfinity)
    {
        Span<byte> lv = stackalloc byte[PersonLevels.MaxFields];
        lv.Clear(); // a field left uncompared (missing on a side) is level 0, as CompareCheap writes it
        if (double.IsNegativeInfinity(needed))
        {
            levels.Compare(a, b, lv);
        }
        else
        {
            // The bound is a sum of terms each at least the pair's own, in another order than the sum below: it stops
            // only when it falls short by more than any rounding could (1e-9 bits; the sums are of a few dozen bits).
            var stop = needed - BoundMargin;
            var upper = Prior + NameBound(a, b);
            for (var f = 0; f < levels.Fields; f++)
            {
                if (f is PersonLevels.First or PersonLevels.Last) continue;
                if (PersonLevels.IsCheap(f) || levels.IsCheapExtra(f) ? levels.CheapPresent(f, a, b) : levels.Present(f, a, b))
                    upper += Math.Max(0, _maxWeight[f]);
            }
            if (upper < stop) return upper;
            foreach (var f in _heaviestFirst)
            {
                if (!(PersonLevels.IsCheap(f) || levels.IsCheapExtra(f)) || !levels.CheapPresent(f, a, b)) continue;
                var l = lv[f] = levels.CheapLevel(f, a, b);
                upper += CheapBound(f, l, a) - Math.Max(0, _maxWeight[f]);
                if (upper < stop) return upper;
            }
            levels.CompareText(a, b, lv);
        }
        if (!levels.Supported(lv)) return double.NegativeInfinity;
        var w = Prior;
        for (var f = 0; f < levels.Fields; f++)
        {
            var l = lv[f];
            if (l == 0) continue;
            w += l == 1 && _tfWeight[f] is { } weights && PersonLevels.ValueOf(f, a) is { } v && weights.TryGetValue(v, out var tf) ? tf : _weight[f][l];
        }
        return w;
    }

    /// <summary>How far under the needed log-odds a bound must fall before a pair is left uncompared (bits).</summary>
    internal const double BoundMargin = 1e-9;

    /// <summary>The most a cheap field at level <paramref name="level"/> can weigh in the pair's sum: its weight, the
    /// value's own (term frequency) at an exact birth date, and for an e-mail typo or same user name (2, 3) the larger of
    /// that and "differs" (<see cref="PersonLevels.CompareText"/> lowers those to 4 when the names differ).</summary>
    internal double CheapBound(int field, int level, in PreparedPerson a) => level switch
    {
        0 => 0,
        // The value is read only for a field with term frequencies (a phone's is a new string each time it is read).
        1 => _tfWeight[field] is null ? _weight[field][1] : ExactWeight(field, PersonLevels.ValueOf(field, a)),
        2 or 3 when field == PersonLevels.Email => Math.Max(_weight[field][level], _weight[field][4]),
        _ => _weight[field][level],
    };

    /// <summary>The weight of an exact agreement on <paramref name="value"/> in a field: the value's own when the field
    /// has term frequencies and the value was counted, otherwise the field's (as the sum in <see cref="LogOdds"/>).</summary>
    internal double ExactWeight(int field, string? value) =>
        _tfWeight[field] is { } weights && value is not null && weights.TryGetValue(value, out var tf) ? tf : _weight[field][1];

    /// <summary>
    /// Why the pair matched, from this model: each field whose level weighs for the pair, strongest first, as
    /// "field level +bits" ("phone exact +12.4, last name exact +9.1, first name alike +3.0"); an exact agreement on a
    /// term-frequency field weighs what that value weighs. Fields that weigh against the pair are left out.
    /// </summary>
    public string Reason(in PreparedPerson a, in PreparedPerson b, PersonLevels levels)
    {
        Span<byte> lv = stackalloc byte[PersonLevels.MaxFields];
        levels.Compare(a, b, lv);
        var parts = new List<(string Text, double Bits)>();
        for (var f = 0; f < levels.Fields; f++)
        {
            var l = lv[f];
            if (l == 0) continue;
            var bits = l == 1 && _tfWeight[f] is { } weights && PersonLevels.ValueOf(f, a) is { } v && weights.TryGetValue(v, out var tf) ? tf : _weight[f][l];
            if (bits > 0) parts.Add(($"{levels.FieldName(f)} {levels.LevelName(f, l)}", bits));
        }
        if (parts.Count == 0) return "overall similarity";
        // Strongest first; equal weights in field order (a stable sort).
        return string.Join(", ", parts.OrderByDescending(p => p.Bits)
            .Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Text} +{p.Bits:F1}")));
    }

    /// <summary>At least the weight the first and last names can add (as given or swapped): an equal name its own
    /// exact weight (the value's term frequency, looked up by a's value as the sum does), a name that differs at most
    /// the field's best inexact level, a lone name across the fields at most either field's best inexact level.</summary>
    internal double NameBound(in PreparedPerson a, in PreparedPerson b)
    {
        double Part(int f, string? x, string? y) =>
            x is null || y is null ? 0 : Math.Max(0, x == y ? ExactWeight(f, x) : _maxInexact[f]);
        var direct = Part(PersonLevels.First, a.First, b.First) + Part(PersonLevels.Last, a.Last, b.Last);
        var swapped = Part(PersonLevels.First, a.First, b.Last) + Part(PersonLevels.Last, a.Last, b.First);
        // A lone name compared across the fields (PersonLevels.Lone) is at most "alike" in one of them.
        var lone = (a.First is null) != (a.Last is null) || (b.First is null) != (b.Last is null)
            ? Math.Max(0, Math.Max(_maxInexact[PersonLevels.First], _maxInexact[PersonLevels.Last])) : 0;
        return Math.Max(Math.Max(direct, swapped), lone);
    }
}
