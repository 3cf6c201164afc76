using System.Buffers.Binary;
using System.Collections;
using System.Numerics;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// A <see cref="DedupeState"/>'s blocking keys or sort keys, each held in only its bytes above the owner bits
/// (<see cref="DedupeState.OwnerMask"/>): nothing reads those bits of a stored key (blocks are keys equal above them, a
/// large block's order is a sort key's bits above them), so they are dropped and read back as zero. From 2¹⁶ to 2²⁴
/// records a key takes 6 bytes rather than 8 (a million contacts: 5.1 million keys, 39 MB held in 29 MB).
/// </summary>
public sealed class PackedKeys : IReadOnlyList<long>
{
    /// <summary><see cref="Count"/> entries of <see cref="_width"/> bytes (little-endian), then 8 − width bytes more, so
    /// that every entry is read as one 8-byte read.</summary>
    private readonly byte[] _bytes;

    private readonly int _width;

    private readonly long _ownerMask;

    /// <summary>How many low bits an entry drops (64 − 8 × width, never more than the owner bits).</summary>
    private readonly int _shift;

    /// <summary><paramref name="count"/> zero entries for a state whose records' index bits are <paramref name="ownerMask"/>.</summary>
    public PackedKeys(int count, long ownerMask)
    {
        var ownerBits = BitOperations.PopCount((ulong)ownerMask);
        _width = Math.Clamp((64 - ownerBits + 7) / 8, 1, 8);
        _shift = 64 - 8 * _width;
        _bytes = new byte[(long)count * _width + 8 - _width];
        (_ownerMask, Count) = (ownerMask, count);
    }

    /// <summary>The keys held as <paramref name="ownerMask"/> allows.</summary>
    public static PackedKeys Of(long[] keys, long ownerMask)
    {
        var packed = new PackedKeys(keys.Length, ownerMask);
        for (var i = 0; i < keys.Length; i++) packed.Set(i, keys[i]);
        return packed;
    }

    public int Count { get; }

    /// <summary>Entry <paramref name="i"/>, its owner bits zero.</summary>
    public long this[int i]
    {
        get
        {
            if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i));
            return (long)(BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(i * _width, 8)) << _shift);
        }
    }

    /// <summary>Holds <paramref name="value"/> but for its owner bits (read back as zero) as entry <paramref name="i"/>.</summary>
    public void Set(int i, long value)
    {
        if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i));
        var bits = (ulong)(value & ~_ownerMask) >> _shift;
        var at = i * _width;
        for (var b = 0; b < _width; b++, bits >>= 8) _bytes[at + b] = (byte)bits;
    }

    /// <summary>Copies <paramref name="count"/> entries of <paramref name="source"/> (held for the same owner bits) from
    /// <paramref name="from"/> to <paramref name="to"/> here, bytes as they are.</summary>
    public void CopyFrom(PackedKeys source, int from, int to, int count)
    {
        if (source._ownerMask != _ownerMask) throw new ArgumentException("Packed keys of other owner bits cannot be copied as they are.", nameof(source));
        if ((uint)from > (uint)source.Count || (uint)count > (uint)(source.Count - from) || (uint)to > (uint)Count || (uint)count > (uint)(Count - to))
            throw new ArgumentOutOfRangeException(nameof(count));
        Array.Copy(source._bytes, (long)from * _width, _bytes, (long)to * _width, (long)count * _width);
    }

    /// <summary>The bytes held (for the benchmark's account of what a state holds).</summary>
    public long Bytes => _bytes.Length;

    public IEnumerator<long> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
