using CrmPulse.Core.Model;
using System.Numerics;
using System.Runtime.InteropServices;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// What the matcher found for one object (contacts or companies) of one source, kept in the store between KPI passes
/// so that the next pass compares only what changed (<see cref="IncrementalDeduplicator"/>): each record's fingerprint
/// of its matcher inputs, blocking keys and large-block sort key, the pairs that matched (links) and the clusters.
/// </summary>
public sealed class DedupeState
{
    /// <param name="ids">The records' ids, unique.</param>
    /// <param name="keyCounts">How many of <paramref name="keys"/> belong to each record, in the order of <paramref name="ids"/>.</param>
    /// <param name="model">The fitted contact model (<see cref="Model"/>), read here: a stored model that is not one fails
    /// now (the store's read, after which a pass matches in full), never in the middle of a pass.</param>
    /// <exception cref="InvalidDataException"><paramref name="model"/> is not a model.</exception>
    public DedupeState(string settings, long ownerMask, string[] ids, long[] fingerprints, long[] sortKeys, int[] keyCounts, long[] keys,
        IReadOnlyList<DedupeLink> links, IReadOnlyList<DuplicateCluster> clusters, string? model = null)
        : this(settings, ownerMask, ids, fingerprints, sortKeys, Starts(keyCounts, ids.Length), keys, links, clusters, model,
            model is null ? null : PersonModel.FromJson(model))
    {
    }

    /// <summary>A state with its model already read (<paramref name="fittedModel"/> is <paramref name="model"/>).</summary>
    /// <param name="keyStarts">Where each record's keys start in <paramref name="keys"/>, and their end (<see cref="Starts"/>).</param>
    /// <param name="inIdOrder">The caller checked that <paramref name="ids"/> are in ordinal order (not checked again).</param>
    internal DedupeState(string settings, long ownerMask, string[] ids, long[] fingerprints, long[] sortKeys, int[] keyStarts, long[] keys,
        IReadOnlyList<DedupeLink> links, IReadOnlyList<DuplicateCluster> clusters, string? model, PersonModel? fittedModel,
        bool inIdOrder = false)
    {
        if (fingerprints.Length != ids.Length || sortKeys.Length != ids.Length || keyStarts.Length != ids.Length + 1)
            throw new ArgumentException("A dedupe state needs one fingerprint, sort key and key count per record.");
        var starts = keyStarts;
        if (starts[^1] != keys.Length) throw new ArgumentException("A dedupe state's key counts do not add up to its keys.");
        // Kept in ordinal id order, as the incremental match joins it with the snapshot's records. A store that sorts by
        // bytes (UTF-8) orders a few ids otherwise: those states are put in order here.
        var sorted = true;
        for (var r = 1; !inIdOrder && r < ids.Length && sorted; r++) sorted = string.CompareOrdinal(ids[r - 1], ids[r]) < 0;
        if (!sorted)
        {
            var order = Enumerable.Range(0, ids.Length).ToArray();
            Array.Sort(order, (a, b) => string.CompareOrdinal(ids[a], ids[b]));
            var newKeys = new long[keys.Length];
            var newCounts = new int[ids.Length];
            for (int r = 0, k = 0; r < order.Length; r++)
            {
                var o = order[r];
                newCounts[r] = starts[o + 1] - starts[o];
                Array.Copy(keys, starts[o], newKeys, k, newCounts[r]);
                k += newCounts[r];
            }
            (ids, fingerprints, sortKeys, keys) = (order.Select(o => ids[o]).ToArray(), order.Select(o => fingerprints[o]).ToArray(),
                order.Select(o => sortKeys[o]).ToArray(), newKeys);
            starts = new int[ids.Length + 1];
            for (var r = 0; r < ids.Length; r++)
            {
                if (r > 0 && string.CompareOrdinal(ids[r - 1], ids[r]) == 0) throw new ArgumentException($"A dedupe state has the id '{ids[r]}' twice.");
                starts[r + 1] = starts[r] + newCounts[r];
            }
        }
        Settings = settings;
        OwnerMask = ownerMask;
        Ids = ids;
        Fingerprints = fingerprints;
        SortKeys = new PackedKeys(sortKeys.Length, ownerMask);
        for (var r = 0; r < sortKeys.Length; r++) SortKeys.Set(r, sortKeys[r] & long.MaxValue); // only its order is read

        KeyStarts = starts;
        Keys = PackedKeys.Of(keys, ownerMask);
        Links = links;
        Clusters = clusters;
        Model = model;
        FittedModel = fittedModel;
    }

    /// <summary>A state of records already in ordinal id order, their keys and sort keys already held packed (an
    /// incremental pass's new state, which copies the unchanged records' bytes from the state before).</summary>
    internal DedupeState(string settings, long ownerMask, string[] ids, long[] fingerprints, PackedKeys sortKeys, int[] keyStarts, PackedKeys keys,
        string? model, PersonModel? fittedModel)
    {
        if (fingerprints.Length != ids.Length || sortKeys.Count != ids.Length || keyStarts.Length != ids.Length + 1)
            throw new ArgumentException("A dedupe state needs one fingerprint, sort key and key count per record.");
        if (keyStarts[^1] != keys.Count) throw new ArgumentException("A dedupe state's key counts do not add up to its keys.");
        (Settings, OwnerMask, Ids, Fingerprints, SortKeys, KeyStarts, Keys, Model, FittedModel) =
            (settings, ownerMask, ids, fingerprints, sortKeys, keyStarts, keys, model, fittedModel);
        (Links, Clusters) = ([], []);
    }

    /// <summary>Where each record's keys start among keys written one record after the other with <paramref name="keyCounts"/>
    /// keys each, and their end (one more entry than records).</summary>
    /// <exception cref="ArgumentException">Not one count per record.</exception>
    internal static int[] Starts(int[] keyCounts, int records)
    {
        if (keyCounts.Length != records) throw new ArgumentException("A dedupe state needs one fingerprint, sort key and key count per record.");
        var starts = new int[records + 1];
        for (var r = 0; r < records; r++) starts[r + 1] = starts[r] + keyCounts[r];
        return starts;
    }

    /// <summary>The same records with other links and clusters (an incremental pass's new state, its records built first).</summary>
    internal DedupeState With(IReadOnlyList<DedupeLink> links, IReadOnlyList<DuplicateCluster> clusters) => new(this, links, clusters);

    private DedupeState(DedupeState records, IReadOnlyList<DedupeLink> links, IReadOnlyList<DuplicateCluster> clusters)
    {
        (Settings, OwnerMask, Ids, Fingerprints, SortKeys, KeyStarts, Keys, Model, FittedModel) = (records.Settings, records.OwnerMask,
            records.Ids, records.Fingerprints, records.SortKeys, records.KeyStarts, records.Keys, records.Model, records.FittedModel);
        Links = links;
        Clusters = clusters;
    }

    /// <summary>The fitted contact model (JSON, <see cref="PersonModel.ToJson"/>) the state's links were scored with, fitted
    /// on the last full match and reused unchanged by the incremental passes; null with the fixed weights.</summary>
    public string? Model { get; }

    /// <summary><see cref="Model"/>, read.</summary>
    internal PersonModel? FittedModel { get; }

    /// <summary>Which stored version of the state this is (the store gives each write a new one; 0: never stored). A
    /// process that keeps the state in memory reads the store's whole state again only when the store's generation is
    /// another (another node's pass wrote it).</summary>
    public long Generation { get; set; }

    /// <summary>The settings the state was made with (<see cref="IncrementalDeduplicator.SettingsFingerprint"/>).</summary>
    public string Settings { get; }

    /// <summary>The low bits of a blocking key that the matcher replaced by the record index (they depend on the record
    /// count): blocks are keys equal above them.</summary>
    public long OwnerMask { get; }

    /// <summary>The records' ids, in ordinal order.</summary>
    public string[] Ids { get; }

    /// <summary>Each record's fingerprint of its matcher inputs.</summary>
    public long[] Fingerprints { get; }

    /// <summary>Each record's order in a large block: its sort key's bits above <see cref="OwnerMask"/> (the rest are
    /// never read: <see cref="BlockMatcher.WindowOrder"/>), the others zero.</summary>
    public PackedKeys SortKeys { get; }

    /// <summary>Where each record's keys start in <see cref="Keys"/> (one more entry than records: the end).</summary>
    internal int[] KeyStarts { get; }

    /// <summary>Every record's blocking keys, one after the other, as the matcher wrote them but for the bits under
    /// <see cref="OwnerMask"/> (zero: blocks are keys equal above them).</summary>
    public PackedKeys Keys { get; }

    /// <summary>The pairs that matched (left id before right id, ordinal).</summary>
    public IReadOnlyList<DedupeLink> Links { get; }

    /// <summary>The clusters the links formed, by survivor id.</summary>
    public IReadOnlyList<DuplicateCluster> Clusters { get; }

    public int Count => Ids.Length;

    /// <summary>The blocking keys of record <paramref name="r"/>.</summary>
    public long[] KeysOf(int r)
    {
        var keys = new long[KeyCount(r)];
        KeysOf(r, keys);
        return keys;
    }

    /// <summary>The blocking keys of record <paramref name="r"/>, read into <paramref name="buffer"/> (a new array when
    /// it is too short).</summary>
    public Span<long> KeysOf(int r, Span<long> buffer)
    {
        var (start, count) = (KeyStarts[r], KeyCount(r));
        var keys = count <= buffer.Length ? buffer[..count] : new long[count];
        for (var k = 0; k < count; k++) keys[k] = Keys[start + k];
        return keys;
    }

    /// <summary>How many keys record <paramref name="r"/> has.</summary>
    public int KeyCount(int r) => KeyStarts[r + 1] - KeyStarts[r];

    /// <summary>The index of the record <paramref name="id"/>, or −1.</summary>
    public int IndexOf(string id)
    {
        var r = Array.BinarySearch(Ids, id, StringComparer.Ordinal);
        return r >= 0 ? r : -1;
    }
}

/// <summary>A pair that matched: its ids (left before right, ordinal) and score.</summary>
public sealed record DedupeLink(string LeftId, string RightId, double Score);

/// <summary>
/// What a pass changed in a <see cref="DedupeState"/>, so that the store writes only that; <see cref="Full"/>: the
/// whole state is new (the first pass, a settings change, a full re-match on request).
/// </summary>
public sealed class DedupeStateChange
{
    public bool Full { get; init; }

    /// <summary>The records (indexes into the new state) that are new or whose fingerprint changed.</summary>
    public IReadOnlyList<int> UpsertedRecords { get; init; } = [];

    public IReadOnlyList<string> DeletedRecords { get; init; } = [];

    public IReadOnlyList<DedupeLink> RemovedLinks { get; init; } = [];

    public IReadOnlyList<DedupeLink> AddedLinks { get; init; } = [];

    /// <summary>The survivor ids of the clusters no longer there.</summary>
    public IReadOnlyList<string> RemovedClusters { get; init; } = [];

    public IReadOnlyList<DuplicateCluster> AddedClusters { get; init; } = [];

    /// <summary>True when nothing changed (nothing to write).</summary>
    public bool IsEmpty => !Full && UpsertedRecords.Count == 0 && DeletedRecords.Count == 0 && RemovedLinks.Count == 0
                           && AddedLinks.Count == 0 && RemovedClusters.Count == 0 && AddedClusters.Count == 0;
}

/// <summary>One incremental deduplication of an object.</summary>
/// <param name="Clusters">The clusters, exactly as a full match finds them (by survivor id).</param>
/// <param name="State">The state to keep for the next pass.</param>
/// <param name="Change">What changed from the previous state.</param>
/// <param name="Comparisons">How many pairs were scored (a full match: every candidate pair).</param>
/// <param name="FullReason">Why the whole object was matched again (null: only what changed was compared).</param>
public sealed record IncrementalDedupeResult(IReadOnlyList<DuplicateCluster> Clusters, DedupeState State, DedupeStateChange Change,
    long Comparisons, string? FullReason)
{
    public bool Full => FullReason is not null;

    /// <summary>Whether the records matched were in ordinal id order (the mirror's order).</summary>
    internal bool InIdOrder { get; init; }
}

/// <summary>A stable 64-bit hash of a record's fields, the same in every process, so that a stored fingerprint can be
/// compared with today's: each field's UTF-16 text hashed by XxHash3 (null apart from empty), folded in field order.</summary>
/// <remarks>Each fold is a bijection of the running hash for a given field hash (rotate, xor, multiply by an odd
/// number), so a change in one field always changes the fingerprint unless XxHash3 of the two texts collides
/// (about 2⁻⁶⁴). XxHash3 reads 8 to 32 bytes a step where the FNV-1a of MatcherVersion 4 and before read one character
/// (the fingerprints of every record were most of an incremental pass's own work).</remarks>
internal readonly record struct Fingerprint(ulong Hash)
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15;

    /// <summary>What a null field folds in (an empty text folds in XxHash3 of no bytes).</summary>
    private const ulong NullField = 0x6E756C6C2D6E756CUL;

    public static Fingerprint Start => new(0x243F6A8885A308D3UL);

    public long Value => (long)Fold(Hash, 0x1F);

    public Fingerprint Add(string? text) =>
        new(Fold(Hash, text is null ? NullField : System.IO.Hashing.XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()))));

    /// <summary>As <see cref="Add(string?)"/> for a text held as characters (<paramref name="isNull"/>: a null field).</summary>
    public Fingerprint Add(ReadOnlySpan<char> text, bool isNull) =>
        new(Fold(Hash, isNull ? NullField : System.IO.Hashing.XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text))));

    public Fingerprint Add(long value) => new(Fold(Hash, (ulong)value));

    /// <summary>As <see cref="Add(string?)"/> for row <paramref name="i"/> of a text column (no string is made).</summary>
    public Fingerprint Add(TextColumn column, int i)
    {
        var length = column.LengthOf(i);
        if (length < 0) return Add(default, isNull: true);
        Span<char> text = length <= 256 ? stackalloc char[length] : new char[length];
        column.CopyTo(i, text);
        return Add(text, isNull: false);
    }

    private static ulong Fold(ulong hash, ulong field) => (BitOperations.RotateLeft(hash, 23) ^ field) * Multiplier;
}
