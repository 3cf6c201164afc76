using System.Buffers.Binary;
using System.Text.Json;
using CrmPulse.Core.Dedupe;

namespace CrmPulse.Storage;

/// <summary>How both stores write a <see cref="DedupeState"/>'s parts: blocking keys as a blob of little-endian longs,
/// a cluster as JSON (its ids in order and each duplicate's reason).</summary>
internal static class DedupeRows
{
    /// <summary>A new generation for a state written over <paramref name="previous"/>: random, never 0 nor the previous.</summary>
    public static long NewGeneration(long? previous)
    {
        long g;
        do g = Random.Shared.NextInt64(1, long.MaxValue); while (g == previous);
        return g;
    }

    /// <summary>Record <paramref name="r"/>'s keys as a blob, read through <paramref name="buffer"/> (<see cref="KeyBuffer"/>:
    /// no array per record when a whole state is written).</summary>
    public static byte[] KeysBlob(DedupeState state, int r, long[] buffer) => KeysBlob(state.KeysOf(r, buffer));

    /// <summary>A buffer for <see cref="KeysBlob(DedupeState, int, long[])"/>, as long as a record's keys can be (a longer
    /// record would still be read, into an array of its own).</summary>
    public static long[] KeyBuffer() => new long[32];

    public static byte[] KeysBlob(ReadOnlySpan<long> keys)
    {
        var blob = new byte[keys.Length * 8];
        for (var k = 0; k < keys.Length; k++) BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(k * 8), keys[k]);
        return blob;
    }

    /// <summary>Appends the keys of a blob to <paramref name="keys"/>; returns how many.</summary>
    public static int ReadKeys(byte[] blob, List<long> keys)
    {
        if (blob.Length % 8 != 0) throw new InvalidDataException($"A stored dedupe key blob has {blob.Length} bytes, not a multiple of 8.");
        for (var k = 0; k < blob.Length; k += 8) keys.Add(BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(k)));
        return blob.Length / 8;
    }

    private sealed record ClusterJson(IReadOnlyList<string> Ids, IReadOnlyDictionary<string, string> Reasons);

    public static string ClusterData(DuplicateCluster cluster) =>
        JsonSerializer.Serialize(new ClusterJson(cluster.RecordIds, cluster.Reasons));

    /// <param name="texts">The reason texts read before, shared (added to): most clusters give one of a few.</param>
    public static DuplicateCluster Cluster(string objectType, string data, Dictionary<string, string> texts)
    {
        var json = JsonSerializer.Deserialize<ClusterJson>(data) ?? throw new InvalidDataException("A stored duplicate cluster is null.");
        var reasons = json.Ids.Skip(1).Select(id => json.Reasons.GetValueOrDefault(id)).ToArray();
        return new DuplicateCluster(objectType, json.Ids) { Reasons = DuplicateReasons.Of(json.Ids, reasons, texts) };
    }

    /// <summary>The state from its rows (records in any order: the state puts them in ordinal id order).</summary>
    public static DedupeState State(string settings, long ownerMask, List<string> ids, List<long> fingerprints, List<long> sortKeys,
        List<int> keyCounts, List<long> keys, List<DedupeLink> links, List<DuplicateCluster> clusters, string? model)
    {
        clusters.Sort((a, b) => string.CompareOrdinal(a.SurvivorId, b.SurvivorId));
        return new DedupeState(settings, ownerMask, ids.ToArray(), fingerprints.ToArray(), sortKeys.ToArray(), keyCounts.ToArray(),
            keys.ToArray(), links, clusters, model);
    }
}
