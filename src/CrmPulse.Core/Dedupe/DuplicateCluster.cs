namespace CrmPulse.Core.Dedupe;

/// <summary>
/// Records of one object that are the same real person or organisation. The first id is the survivor (the record
/// to keep: the oldest by CreatedAt, then the smallest id); the others are the removable duplicates.
/// </summary>
/// <param name="Object">"contact" or "company".</param>
public sealed record DuplicateCluster(string Object, IReadOnlyList<string> RecordIds)
{
    public string SurvivorId => RecordIds[0];

    public IEnumerable<string> Duplicates => RecordIds.Skip(1);

    /// <summary>
    /// Why each duplicate (by id) belongs to the cluster: the fields its best match agreed on ("same e-mail + similar
    /// name"), prefixed with "via &lt;id&gt;: " when that match is with another duplicate rather than the survivor.
    /// Empty when the cluster was built without reasons.
    /// </summary>
    public IReadOnlyDictionary<string, string> Reasons { get; init; } = new Dictionary<string, string>();

    /// <summary>The reason for one duplicate, or "matched" when none is recorded.</summary>
    public string ReasonFor(string duplicateId) => Reasons.TryGetValue(duplicateId, out var r) ? r : "matched";
}

/// <summary>A matched pair with its score (0..1) and the rule or comparison that decided it.</summary>
public sealed record DuplicatePair(string LeftId, string RightId, double Score, string Reason);

/// <summary>
/// A cluster's <see cref="DuplicateCluster.Reasons"/> held beside its ids: the reason of duplicate <c>RecordIds[k + 1]</c>
/// at <c>k</c>, and a reason text shared by the clusters that give it. A dictionary per cluster and a string per reason
/// were about 12 MB of a million contacts' 29,480 clusters, which the matcher state keeps between passes (issue 21).
/// </summary>
public sealed class DuplicateReasons : IReadOnlyDictionary<string, string>
{
    /// <summary>Past this many duplicates a dictionary is kept (a look-up here reads the ids one by one).</summary>
    private const int MostInline = 16;

    private readonly IReadOnlyList<string> _ids;
    private readonly string[] _reasons;

    private DuplicateReasons(IReadOnlyList<string> ids, string[] reasons) => (_ids, _reasons) = (ids, reasons);

    /// <summary>The reasons of a cluster's duplicates: <paramref name="reasons"/>[k] is <paramref name="recordIds"/>[k + 1]'s,
    /// or null when it has none (then a dictionary of those it has is kept).</summary>
    /// <param name="reasons">Kept as it is (not copied), each text replaced by the one of <paramref name="texts"/>.</param>
    /// <param name="texts">Reason texts seen before, shared (added to).</param>
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyList<string> recordIds, string?[] reasons, Dictionary<string, string> texts)
    {
        if (reasons.Length != Math.Max(recordIds.Count - 1, 0)) throw new ArgumentException("A cluster needs one reason per duplicate.", nameof(reasons));
        var all = true;
        for (var k = 0; k < reasons.Length; k++)
        {
            if (reasons[k] is not { } reason) all = false;
            else reasons[k] = texts.TryGetValue(reason, out var shared) ? shared : texts[reason] = reason;
        }
        if (all && reasons.Length <= MostInline) return new DuplicateReasons(recordIds, reasons!);
        var map = new Dictionary<string, string>(reasons.Length, StringComparer.Ordinal);
        for (var k = 0; k < reasons.Length; k++)
        {
            if (reasons[k] is { } reason) map[recordIds[k + 1]] = reason;
        }
        return map;
    }

    public int Count => _reasons.Length;

    public string this[string key] => TryGetValue(key, out var reason) ? reason : throw new KeyNotFoundException($"'{key}' is not a duplicate of the cluster.");

    public IEnumerable<string> Keys => _ids.Skip(1);

    public IEnumerable<string> Values => _reasons;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        for (var k = 0; k < _reasons.Length; k++)
        {
            if (string.Equals(_ids[k + 1], key, StringComparison.Ordinal))
            {
                value = _reasons[k];
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var k = 0; k < _reasons.Length; k++) yield return new(_ids[k + 1], _reasons[k]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
