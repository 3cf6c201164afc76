using System.Collections;
using System.Numerics;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// A <see cref="DedupeState"/>'s blocking keys or sort keys, each held in only its bytes above the owner bits
/// (<see cref="DedupeState.OwnerMask"/>): nothing reads those bits of a stored key (blocks are keys equal above them, a
/// large block's order is a sort key's bits above them), so they are dropped and read back as zero. From 2¹⁶ to 2²⁴
/// records a key takes 6 bytes rather than 8 (a million contacts: 5.1 million keys, 39 MB held in 29 MB).
/// </summary>
public sealed class PackedKeys : IReadOnlyList<long>
{
    /// <summary>Each entry's bits above the owner bits, shifted down by <see cref="_shift"/>.</summary>
    private readonly NarrowInts _entries;

    private readonly long _ownerMask;

    /// <summary>How many low bits an entry drops (64 − 8 × width, never more than the owner bits).</summary>
    private readonly int _shift;

    /// <summary><paramref name="count"/> zero entries for a state whose records' index bits are <paramref name="ownerMask"/>.</summary>
    public PackedKeys(int count, long ownerMask)
    {
        var width = Math.Clamp((64 - BitOperations.PopCount((ulong)ownerMask) + 7) / 8, 1, 8);
        _entries = new NarrowInts(count, width);
        (_shift, _ownerMask) = (64 - 8 * width, ownerMask);
    }

    /// <summary>The keys held as <paramref name="ownerMask"/> allows.</summary>
    public static PackedKeys Of(long[] keys, long ownerMask)
    {
        var packed = new PackedKeys(keys.Length, ownerMask);
        for (var i = 0; i < keys.Length; i++) packed.Set(i, keys[i]);
        return packed;
    }

    public int Count => _entries.Length;

    /// <summary>Entry <paramref name="i"/>, its owner bits zero.</summary>
    public long this[int i] => (long)(_entries[i] << _shift);

    /// <summary>Holds <paramref name="value"/> but for its owner bits (read back as zero) as entry <paramref name="i"/>.</summary>
    public void Set(int i, long value) => _entries.Set(i, (ulong)(value & ~_ownerMask) >> _shift);

    /// <summary>Copies <paramref name="count"/> entries of <paramref name="source"/> (held for the same owner bits) from
    /// <paramref name="from"/> to <paramref name="to"/> here, bytes as they are.</summary>
    public void CopyFrom(PackedKeys source, int from, int to, int count)
    {
        if (source._ownerMask != _ownerMask) throw new ArgumentException("Packed keys of other owner bits cannot be copied as they are.", nameof(source));
        _entries.CopyFrom(source._entries, from, to, count);
    }

    /// <summary>The bytes held (for the benchmark's account of what a state holds).</summary>
    public long Bytes => _entries.Bytes;

    public IEnumerator<long> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
